package io.minkstream.jobs.sensor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The whitespace-separated number tables of the KITTI layout (poses.txt, times.txt, calib.txt). Line i
 * of poses.txt and times.txt belongs to frame i, so an empty line is only allowed at the end: anywhere
 * else it would shift every later frame onto the wrong pose.
 */
final class KittiTextFiles {

    private KittiTextFiles() {
    }

    /** Every line of {@code file} as exactly {@code columns} numbers. */
    static List<double[]> rows(Path file, int columns) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        int last = lines.size();
        while (last > 0 && lines.get(last - 1).isBlank()) {
            last--;
        }
        List<double[]> rows = new ArrayList<>(last);
        for (int i = 0; i < last; i++) {
            rows.add(numbers(file, i + 1, lines.get(i), columns));
        }
        return rows;
    }

    /** The 12 numbers of the line {@code key + ":"} of a KITTI calib.txt. */
    static double[] calibration(Path file, String key) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        String prefix = key + ":";
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.startsWith(prefix)) {
                return numbers(file, i + 1, line.substring(prefix.length()), 12);
            }
        }
        throw new ScanFormatException(file, "has no line starting with '" + prefix + "'");
    }

    private static double[] numbers(Path file, int lineNumber, String line, int columns) {
        String trimmed = line.strip();
        String[] tokens = trimmed.isEmpty() ? new String[0] : trimmed.split("\\s+");
        if (tokens.length != columns) {
            throw new ScanFormatException(file, "line " + lineNumber + ": expected " + columns + " numbers, found "
                    + tokens.length);
        }
        double[] values = new double[columns];
        for (int c = 0; c < columns; c++) {
            try {
                values[c] = Double.parseDouble(tokens[c]);
            } catch (NumberFormatException e) {
                throw new ScanFormatException(file, "line " + lineNumber + ": '" + tokens[c] + "' is not a number");
            }
            if (!Double.isFinite(values[c])) {
                throw new ScanFormatException(file, "line " + lineNumber + ": '" + tokens[c] + "' is not finite");
            }
        }
        return values;
    }
}
