package io.minkstream.jobs.sensor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * One Point Cloud Data file (PCL's .pcd, version 0.7): the header, then the points as DATA ascii (one
 * line a point) or DATA binary (packed little-endian records of the fields in header order).
 *
 * <p>Fields x, y, z are required and intensity is optional, each with COUNT 1; other fields are
 * skipped whatever their size or count. Values may be F (4 or 8 bytes) or I / U (1, 2, 4 or 8 bytes),
 * converted to float. Points with a non-finite x, y, z or intensity are dropped: organized clouds mark
 * missing returns with NaN. VIEWPOINT (translation + quaternion), when the header has it, becomes the
 * sensor-to-world pose. DATA binary_compressed is refused with a clear error.
 */
final class PcdFile {

    /** Longest header line accepted; a binary file without a DATA line must not be scanned as text. */
    private static final int MAX_HEADER_LINE = 65_536;

    final float[] positions;
    /** One intensity per point, or null when the file has no intensity field. */
    final float[] intensity;
    /** Row-major 4x4 pose from VIEWPOINT, or null when the header has none. */
    final float[] viewpointPose;

    private PcdFile(float[] positions, float[] intensity, float[] viewpointPose) {
        this.positions = positions;
        this.intensity = intensity;
        this.viewpointPose = viewpointPose;
    }

    int pointCount() {
        return positions.length / 3;
    }

    static PcdFile read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        PcdHeader header = PcdHeader.parse(file, bytes);
        int[] columns = {header.field(file, "x", true), header.field(file, "y", true), header.field(file, "z", true),
            header.field(file, "intensity", false)};
        float[] values = switch (header.data) {
            case "ascii" -> readAscii(file, bytes, header, columns);
            case "binary" -> readBinary(file, bytes, header, columns);
            case "binary_compressed" -> throw new ScanFormatException(file, "DATA binary_compressed is not supported;"
                    + " convert it to binary first (e.g. pcl_convert_pcd_ascii_binary in.pcd out.pcd 1)");
            default -> throw new ScanFormatException(file, "DATA '" + header.data
                    + "' is unknown (expected ascii or binary)");
        };
        return keepFinite(values, header.points, columns[3] >= 0, header.viewpointPose);
    }

    /** x, y, z, intensity (0 when absent) of every point, 4 floats a point, in file order. */
    private static float[] readAscii(Path file, byte[] bytes, PcdHeader header, int[] columns) {
        String text = new String(bytes, header.dataOffset, bytes.length - header.dataOffset, StandardCharsets.US_ASCII);
        String[] lines = text.split("\r?\n");
        int[] tokenIndex = new int[4];
        for (int k = 0; k < 4; k++) {
            tokenIndex[k] = columns[k] < 0 ? -1 : header.tokenOffset[columns[k]];
        }
        float[] values = new float[4 * header.points];
        int point = 0;
        for (int line = 0; line < lines.length && point < header.points; line++) {
            String trimmed = lines[line].strip();
            if (trimmed.isEmpty()) {
                continue;
            }
            String[] tokens = trimmed.split("\\s+");
            if (tokens.length != header.tokensPerPoint) {
                throw new ScanFormatException(file, "point " + point + " has " + tokens.length + " values, the header"
                        + " declares " + header.tokensPerPoint);
            }
            for (int k = 0; k < 4; k++) {
                values[4 * point + k] = tokenIndex[k] < 0 ? 0 : (float) asciiNumber(file, point, tokens[tokenIndex[k]]);
            }
            point++;
        }
        if (point < header.points) {
            throw new ScanFormatException(file, "DATA ascii holds " + point + " points, the header declares "
                    + header.points);
        }
        return values;
    }

    private static float[] readBinary(Path file, byte[] bytes, PcdHeader header, int[] columns) {
        long needed = (long) header.points * header.bytesPerPoint;
        long available = bytes.length - header.dataOffset;
        if (available < needed) {
            throw new ScanFormatException(file, "truncated: DATA binary needs " + needed + " bytes for "
                    + header.points + " points of " + header.bytesPerPoint + " bytes, found " + available);
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        float[] values = new float[4 * header.points];
        for (int point = 0; point < header.points; point++) {
            int base = header.dataOffset + point * header.bytesPerPoint;
            for (int k = 0; k < 4; k++) {
                int f = columns[k];
                values[4 * point + k] = f < 0 ? 0
                        : (float) binaryNumber(buffer, base + header.byteOffset[f], header.type[f], header.size[f]);
            }
        }
        return values;
    }

    private static PcdFile keepFinite(float[] values, int points, boolean hasIntensity, float[] pose) {
        float[] positions = new float[3 * points];
        float[] intensity = new float[points];
        int kept = 0;
        for (int p = 0; p < points; p++) {
            float x = values[4 * p];
            float y = values[4 * p + 1];
            float z = values[4 * p + 2];
            float i = values[4 * p + 3];
            if (!Float.isFinite(x) || !Float.isFinite(y) || !Float.isFinite(z) || !Float.isFinite(i)) {
                continue;
            }
            positions[3 * kept] = x;
            positions[3 * kept + 1] = y;
            positions[3 * kept + 2] = z;
            intensity[kept] = i;
            kept++;
        }
        return new PcdFile(Arrays.copyOf(positions, 3 * kept), hasIntensity ? Arrays.copyOf(intensity, kept) : null,
                pose);
    }

    private static double asciiNumber(Path file, int point, String token) {
        String lower = token.toLowerCase(Locale.ROOT);
        switch (lower) {
            case "nan", "-nan", "+nan":
                return Double.NaN;
            case "inf", "+inf", "infinity", "+infinity":
                return Double.POSITIVE_INFINITY;
            case "-inf", "-infinity":
                return Double.NEGATIVE_INFINITY;
            default:
                try {
                    return Double.parseDouble(token);
                } catch (NumberFormatException e) {
                    throw new ScanFormatException(file, "point " + point + ": '" + token + "' is not a number");
                }
        }
    }

    private static double binaryNumber(ByteBuffer buffer, int offset, char type, int size) {
        return switch (type) {
            case 'F' -> size == 4 ? buffer.getFloat(offset) : buffer.getDouble(offset);
            case 'I' -> switch (size) {
                case 1 -> buffer.get(offset);
                case 2 -> buffer.getShort(offset);
                case 4 -> buffer.getInt(offset);
                default -> buffer.getLong(offset);
            };
            default -> switch (size) {
                case 1 -> buffer.get(offset) & 0xFF;
                case 2 -> buffer.getShort(offset) & 0xFFFF;
                case 4 -> buffer.getInt(offset) & 0xFFFF_FFFFL;
                default -> unsignedLong(buffer.getLong(offset));
            };
        };
    }

    private static double unsignedLong(long value) {
        return value >= 0 ? value : (value >>> 1) * 2.0 + (value & 1);
    }

    /** The header lines up to and including DATA. */
    static final class PcdHeader {
        String[] fields;
        int[] size;
        char[] type;
        int[] count;
        int[] byteOffset;
        int[] tokenOffset;
        int bytesPerPoint;
        int tokensPerPoint;
        int points = -1;
        int width = -1;
        int height = -1;
        float[] viewpointPose;
        String data;
        int dataOffset;

        static PcdHeader parse(Path file, byte[] bytes) {
            PcdHeader header = new PcdHeader();
            int position = 0;
            while (header.data == null) {
                if (position >= bytes.length) {
                    throw new ScanFormatException(file, "header has no DATA line (not a PCD file?)");
                }
                int end = position;
                while (end < bytes.length && bytes[end] != '\n') {
                    if (end - position > MAX_HEADER_LINE) {
                        throw new ScanFormatException(file, "header line longer than " + MAX_HEADER_LINE
                                + " bytes (not a PCD file?)");
                    }
                    end++;
                }
                String line = new String(bytes, position, end - position, StandardCharsets.US_ASCII).strip();
                position = Math.min(end + 1, bytes.length);
                if (!line.isEmpty() && line.charAt(0) != '#') {
                    header.accept(file, line);
                }
            }
            header.dataOffset = position;
            header.complete(file);
            return header;
        }

        /** Index of field {@code name} in FIELDS, or -1 when absent and optional. */
        int field(Path file, String name, boolean required) {
            for (int f = 0; f < fields.length; f++) {
                if (fields[f].equals(name)) {
                    if (count[f] != 1) {
                        throw new ScanFormatException(file, "field " + name + " has COUNT " + count[f]
                                + "; x, y, z and intensity must have COUNT 1");
                    }
                    return f;
                }
            }
            if (required) {
                throw new ScanFormatException(file, "has no field " + name + " (FIELDS " + String.join(" ", fields)
                        + ")");
            }
            return -1;
        }

        private void accept(Path file, String line) {
            String[] tokens = line.split("\\s+");
            String key = tokens[0];
            String[] values = Arrays.copyOfRange(tokens, 1, tokens.length);
            switch (key) {
                case "VERSION" -> { }
                case "FIELDS" -> fields = values;
                case "SIZE" -> size = integers(file, key, values);
                case "TYPE" -> {
                    type = new char[values.length];
                    for (int i = 0; i < values.length; i++) {
                        if (values[i].length() != 1 || "FIU".indexOf(values[i].charAt(0)) < 0) {
                            throw new ScanFormatException(file, "TYPE '" + values[i] + "' is not F, I or U");
                        }
                        type[i] = values[i].charAt(0);
                    }
                }
                case "COUNT" -> count = integers(file, key, values);
                case "WIDTH" -> width = single(file, key, values);
                case "HEIGHT" -> height = single(file, key, values);
                case "POINTS" -> points = single(file, key, values);
                case "VIEWPOINT" -> viewpointPose = viewpoint(file, values);
                case "DATA" -> {
                    if (values.length != 1) {
                        throw new ScanFormatException(file, "DATA line must name one encoding, was '" + line + "'");
                    }
                    data = values[0].toLowerCase(Locale.ROOT);
                }
                default -> throw new ScanFormatException(file, "unknown header line '" + line + "'");
            }
        }

        private void complete(Path file) {
            if (fields == null || size == null || type == null) {
                throw new ScanFormatException(file, "header needs FIELDS, SIZE and TYPE before DATA");
            }
            if (count == null) {
                count = new int[fields.length];
                Arrays.fill(count, 1);
            }
            requireSameLength(file, "SIZE", size.length);
            requireSameLength(file, "TYPE", type.length);
            requireSameLength(file, "COUNT", count.length);
            if (points < 0) {
                if (width < 0 || height < 0) {
                    throw new ScanFormatException(file, "header needs POINTS or WIDTH and HEIGHT");
                }
                points = Math.multiplyExact(width, height);
            } else if (width >= 0 && height >= 0 && (long) width * height != points) {
                throw new ScanFormatException(file, "WIDTH " + width + " x HEIGHT " + height + " != POINTS " + points);
            }
            byteOffset = new int[fields.length];
            tokenOffset = new int[fields.length];
            for (int f = 0; f < fields.length; f++) {
                boolean sizeOk = type[f] == 'F' ? size[f] == 4 || size[f] == 8
                        : size[f] == 1 || size[f] == 2 || size[f] == 4 || size[f] == 8;
                if (!sizeOk || count[f] < 1) {
                    throw new ScanFormatException(file, "field " + fields[f] + ": TYPE " + type[f] + " SIZE " + size[f]
                            + " COUNT " + count[f] + " is not a valid field layout");
                }
                byteOffset[f] = bytesPerPoint;
                tokenOffset[f] = tokensPerPoint;
                bytesPerPoint += size[f] * count[f];
                tokensPerPoint += count[f];
            }
        }

        private void requireSameLength(Path file, String key, int length) {
            if (length != fields.length) {
                throw new ScanFormatException(file, key + " has " + length + " entries but FIELDS has "
                        + fields.length);
            }
        }

        private static int[] integers(Path file, String key, String[] values) {
            int[] parsed = new int[values.length];
            for (int i = 0; i < values.length; i++) {
                try {
                    parsed[i] = Integer.parseInt(values[i]);
                } catch (NumberFormatException e) {
                    throw new ScanFormatException(file, key + " value '" + values[i] + "' is not an integer");
                }
                if (parsed[i] < 0) {
                    throw new ScanFormatException(file, key + " value " + parsed[i] + " is negative");
                }
            }
            return parsed;
        }

        private static int single(Path file, String key, String[] values) {
            if (values.length != 1) {
                throw new ScanFormatException(file, key + " needs one value, had " + values.length);
            }
            return integers(file, key, values)[0];
        }

        private static float[] viewpoint(Path file, String[] values) {
            if (values.length != 7) {
                throw new ScanFormatException(file, "VIEWPOINT needs 7 numbers (tx ty tz qw qx qy qz), had "
                        + values.length);
            }
            double[] v = new double[7];
            for (int i = 0; i < 7; i++) {
                try {
                    v[i] = Double.parseDouble(values[i]);
                } catch (NumberFormatException e) {
                    throw new ScanFormatException(file, "VIEWPOINT value '" + values[i] + "' is not a number");
                }
                if (!Double.isFinite(v[i])) {
                    throw new ScanFormatException(file, "VIEWPOINT value '" + values[i] + "' is not finite");
                }
            }
            if (v[3] * v[3] + v[4] * v[4] + v[5] * v[5] + v[6] * v[6] < 1e-12) {
                throw new ScanFormatException(file, "VIEWPOINT quaternion is zero");
            }
            return PoseMath.toFloat(PoseMath.fromTranslationQuaternion(v[0], v[1], v[2], v[3], v[4], v[5], v[6]));
        }
    }
}
