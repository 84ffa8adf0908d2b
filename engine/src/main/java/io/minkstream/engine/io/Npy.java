package io.minkstream.engine.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads NumPy {@code .npy} files (format 1.x/2.x, little-endian, C order) of dtype {@code <i4} or
 * {@code <f4}: how MinkowskiEngine fixtures and PyTorch users exchange arrays.
 */
public final class Npy {
    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']+)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order':\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    /** An array's shape and raw little-endian data. */
    public record Array(String dtype, int[] shape, ByteBuffer data) {
        public long size() {
            long n = 1;
            for (int s : shape) n *= s;
            return n;
        }

        public float[] floats() {
            require("<f4");
            float[] out = new float[(int) size()];
            data.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
            return out;
        }

        public int[] ints() {
            require("<i4");
            int[] out = new int[(int) size()];
            data.duplicate().order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(out);
            return out;
        }

        private void require(String want) {
            if (!dtype.equals(want)) throw new IllegalArgumentException("array has dtype " + dtype + ", expected " + want);
        }
    }

    private Npy() {
    }

    public static Array read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        try {
            return parse(bytes);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    static Array parse(byte[] bytes) {
        if (bytes.length < 10 || (bytes[0] & 0xff) != 0x93 || !new String(bytes, 1, 5, StandardCharsets.US_ASCII).equals("NUMPY")) {
            throw new IllegalArgumentException("not a .npy file (missing \\x93NUMPY magic)");
        }
        int major = bytes[6];
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int headerLength;
        int headerStart;
        if (major == 1) {
            headerLength = Short.toUnsignedInt(b.getShort(8));
            headerStart = 10;
        } else if (major == 2 || major == 3) {
            headerLength = b.getInt(8);
            headerStart = 12;
        } else {
            throw new IllegalArgumentException("unsupported .npy version " + major);
        }
        String header = new String(bytes, headerStart, headerLength, StandardCharsets.US_ASCII);
        String dtype = group(DESCR, header, "descr");
        if (!dtype.equals("<f4") && !dtype.equals("<i4")) throw new IllegalArgumentException("unsupported dtype " + dtype + " (only <f4 and <i4)");
        if (group(FORTRAN, header, "fortran_order").equals("True")) throw new IllegalArgumentException("Fortran-order arrays are not supported");
        String dims = group(SHAPE, header, "shape").trim();
        int[] shape = dims.isEmpty() ? new int[0]
                : Arrays.stream(dims.split(",")).map(String::trim).filter(s -> !s.isEmpty()).mapToInt(Integer::parseInt).toArray();
        int dataStart = headerStart + headerLength;
        long n = 1;
        for (int s : shape) n *= s;
        if (bytes.length - dataStart != n * 4) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n * 4 + " data bytes, file has " + (bytes.length - dataStart));
        }
        return new Array(dtype, shape, ByteBuffer.wrap(bytes, dataStart, bytes.length - dataStart).slice());
    }

    private static String group(Pattern p, String header, String field) {
        Matcher m = p.matcher(header);
        if (!m.find()) throw new IllegalArgumentException("header has no '" + field + "': " + header.trim());
        return m.group(1);
    }
}
