package io.minkstream.gpu.internal;

/**
 * How a coordinate map's rows pack into one 63-bit hash key on the device: column a (batch index
 * first) is stored as {@code (c[a] - min[a]) << shift[a]} in just enough bits for
 * {@code max[a] - min[a]}, as the engine's PackedCoordinateIndex does. A query outside a column's
 * range is a miss without probing, so shifted coordinates never alias. Sent to the kernels as the
 * int array {@code min ++ max ++ shift}.
 */
public final class KeyPacking {
    private final int[] min;
    private final int[] max;
    private final int[] shift;

    private KeyPacking(int[] min, int[] max, int[] shift) {
        this.min = min;
        this.max = max;
        this.shift = shift;
    }

    /** The packing of {@code n} rows of {@code width} values, or null when they need more than 63 bits. */
    public static KeyPacking of(int[] coords, int n, int width) {
        long[] min = new long[width];
        long[] max = new long[width];
        java.util.Arrays.fill(min, Long.MAX_VALUE);
        java.util.Arrays.fill(max, Long.MIN_VALUE);
        for (int r = 0, p = 0; r < n; r++) {
            for (int a = 0; a < width; a++, p++) {
                min[a] = Math.min(min[a], coords[p]);
                max[a] = Math.max(max[a], coords[p]);
            }
        }
        if (n == 0) {
            java.util.Arrays.fill(min, 0);
            java.util.Arrays.fill(max, 0);
        }
        return ofRanges(min, max);
    }

    /** The packing of rows whose column a lies in {@code [min[a], max[a]]}, or null when over 63 bits or outside int. */
    public static KeyPacking ofRanges(long[] min, long[] max) {
        int width = min.length;
        int[] lo = new int[width];
        int[] hi = new int[width];
        int[] shift = new int[width];
        int bits = 0;
        for (int a = width - 1; a >= 0; a--) {
            if (min[a] < Integer.MIN_VALUE || max[a] > Integer.MAX_VALUE || min[a] > max[a]) return null;
            lo[a] = (int) min[a];
            hi[a] = (int) max[a];
            shift[a] = bits;
            bits += 64 - Long.numberOfLeadingZeros(max[a] - min[a]);
            if (bits > 63) return null;
        }
        return new KeyPacking(lo, hi, shift);
    }

    public int width() {
        return min.length;
    }

    public long min(int column) {
        return min[column];
    }

    public long max(int column) {
        return max[column];
    }

    /** {@code min ++ max ++ shift}, the kernels' {@code pack} argument. */
    public int[] toArray() {
        int w = min.length;
        int[] a = new int[3 * w];
        System.arraycopy(min, 0, a, 0, w);
        System.arraycopy(max, 0, a, w, w);
        System.arraycopy(shift, 0, a, 2 * w, w);
        return a;
    }
}
