package io.minkstream.jobs.cli;

import io.minkstream.jobs.demo.Rate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns command-line text into values, failing with an {@link InvalidOptionException} that names the
 * option and quotes what was given. Shared by every subcommand so the same flag is read the same way.
 */
final class OptionValues {
    private OptionValues() {
    }

    /** {@code 0.2} (cubic voxels) or {@code 0.2,0.2,0.3} (x, y, z), metres, all positive. */
    static float[] voxelSize(String option, String text) {
        float[] v = numbers(text);
        if (v != null && v.length == 1) v = new float[] {v[0], v[0], v[0]};
        if (v == null || v.length != 3 || !(v[0] > 0 && v[1] > 0 && v[2] > 0)) {
            throw new InvalidOptionException(option, "expected 1 or 3 positive numbers, got \"" + text + "\"");
        }
        return v;
    }

    /** {@code xmin,ymin,zmin,xmax,ymax,zmax} in metres: returns {min, max}. */
    static float[][] cropBox(String option, String text) {
        float[] v = numbers(text);
        if (v == null || v.length != 6) {
            throw new InvalidOptionException(option, "expected 6 numbers xmin,ymin,zmin,xmax,ymax,zmax, got \"" + text + "\"");
        }
        float[] min = {v[0], v[1], v[2]};
        float[] max = {v[3], v[4], v[5]};
        for (int a = 0; a < 3; a++) {
            if (!(min[a] < max[a])) {
                throw new InvalidOptionException(option, "min must be below max on every axis, got " + "xyz".charAt(a)
                        + " from " + min[a] + " to " + max[a] + " in \"" + text + "\"");
            }
        }
        return new float[][] {min, max};
    }

    /** {@code key=value} with a non-empty key; the value may be empty or contain '='. */
    static Map.Entry<String, String> keyValue(String option, String text) {
        int eq = text == null ? -1 : text.indexOf('=');
        if (eq <= 0 || text.substring(0, eq).isBlank()) {
            throw new InvalidOptionException(option, "expected key=value, got \"" + text + "\"");
        }
        return Map.entry(text.substring(0, eq).strip(), text.substring(eq + 1));
    }

    /** A comma-separated list of names (topics); blanks between commas are ignored. */
    static List<String> names(String text) {
        List<String> out = new ArrayList<>();
        if (text == null) return out;
        for (String part : text.split(",")) {
            if (!part.isBlank()) out.add(part.strip());
        }
        return out;
    }

    static Rate rate(String option, String text) {
        try {
            return Rate.parse(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidOptionException(option, e.getMessage());
        }
    }

    /** One of {@code choices}' keys, case-insensitive. */
    static <T> T choice(String option, String text, Map<String, T> choices) {
        T v = text == null ? null : choices.get(text.strip().toLowerCase(Locale.ROOT));
        if (v == null) {
            throw new InvalidOptionException(option, "expected one of " + String.join("|", choices.keySet()) + ", got \"" + text + "\"");
        }
        return v;
    }

    static int atLeast(String option, int value, int min) {
        if (value < min) throw new InvalidOptionException(option, "must be >= " + min + ", got " + value);
        return value;
    }

    static long atLeast(String option, long value, long min) {
        if (value < min) throw new InvalidOptionException(option, "must be >= " + min + ", got " + value);
        return value;
    }

    static Path existingFile(String option, Path p) {
        if (!Files.isRegularFile(p)) throw new InvalidOptionException(option, "no such file: " + p);
        if (!Files.isReadable(p)) throw new InvalidOptionException(option, "cannot read " + p);
        return p;
    }

    static Path existingDirectory(String option, Path p) {
        if (!Files.isDirectory(p)) throw new InvalidOptionException(option, "no such folder: " + p);
        return p;
    }

    /** Comma-separated finite floats, or null when any part is not one. */
    private static float[] numbers(String text) {
        if (text == null || text.isBlank()) return null;
        String[] parts = text.split(",", -1);
        float[] v = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                v[i] = Float.parseFloat(parts[i].strip());
            } catch (NumberFormatException e) {
                return null;
            }
            if (!Float.isFinite(v[i])) return null;
        }
        return v;
    }
}
