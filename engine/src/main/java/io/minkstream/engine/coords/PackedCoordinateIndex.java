package io.minkstream.engine.coords;

/**
 * Open-addressing (linear probing) index on packed long keys. Each axis is stored relative to the
 * minimum seen in the map, in just enough bits for its range; a query outside an axis' range is a
 * miss without probing, so a shifted coordinate can never wrap into another one's key.
 */
final class PackedCoordinateIndex implements CoordinateIndex {
    private static final long EMPTY = -1L;
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private final int width;
    private final int[] min;
    private final int[] max;
    private final int[] shift;
    private final long[] keys;
    private final int[] rows;
    private final int mask;
    private final int hashShift;

    private PackedCoordinateIndex(int width, int[] min, int[] max, int[] shift, int capacityLog2) {
        this.width = width;
        this.min = min;
        this.max = max;
        this.shift = shift;
        int capacity = 1 << capacityLog2;
        this.keys = new long[capacity];
        java.util.Arrays.fill(keys, EMPTY);
        this.rows = new int[capacity];
        this.mask = capacity - 1;
        this.hashShift = 64 - capacityLog2;
    }

    /** The index for these rows, or null when their ranges need more than 63 bits. */
    static PackedCoordinateIndex tryCreate(int[] coords, int n, int width) {
        int[] min = new int[width];
        int[] max = new int[width];
        java.util.Arrays.fill(min, Integer.MAX_VALUE);
        java.util.Arrays.fill(max, Integer.MIN_VALUE);
        for (int r = 0, p = 0; r < n; r++) {
            for (int a = 0; a < width; a++, p++) {
                int v = coords[p];
                if (v < min[a]) min[a] = v;
                if (v > max[a]) max[a] = v;
            }
        }
        if (n == 0) {
            java.util.Arrays.fill(min, 0);
            java.util.Arrays.fill(max, 0);
        }
        int[] shift = new int[width];
        int bits = 0;
        for (int a = width - 1; a >= 0; a--) {
            shift[a] = bits;
            long range = (long) max[a] - min[a];
            bits += 64 - Long.numberOfLeadingZeros(range);
            if (bits > 63) return null;
        }
        int capacityLog2 = Math.max(4, 64 - Long.numberOfLeadingZeros(Math.max(1, 2L * n - 1)));
        return new PackedCoordinateIndex(width, min, max, shift, capacityLog2);
    }

    /** Inserts a row; returns the row already holding this coordinate, or -1 when it was new. */
    int insert(int[] coords, int from, int row) {
        long key = pack(coords, from);
        int slot = slot(key);
        while (true) {
            long k = keys[slot];
            if (k == EMPTY) {
                keys[slot] = key;
                rows[slot] = row;
                return -1;
            }
            if (k == key) return rows[slot];
            slot = (slot + 1) & mask;
        }
    }

    private long pack(int[] c, int from) {
        long key = 0;
        for (int a = 0; a < width; a++) {
            key |= (long) (c[from + a] - min[a]) << shift[a];
        }
        return key;
    }

    private int slot(long key) {
        return (int) ((key * GOLDEN) >>> hashShift);
    }

    private int probe(long key) {
        int slot = slot(key);
        while (true) {
            long k = keys[slot];
            if (k == key) return rows[slot];
            if (k == EMPTY) return -1;
            slot = (slot + 1) & mask;
        }
    }

    @Override
    public int find(int[] query, int from) {
        for (int a = 0; a < width; a++) {
            int v = query[from + a];
            if (v < min[a] || v > max[a]) return -1;
        }
        return probe(pack(query, from));
    }

    @Override
    public void findNeighbours(int[] query, int from, int[] offsets, int kernelVolume, int sign, int[] out) {
        int d = width - 1;
        int b = query[from];
        if (b < min[0] || b > max[0]) {
            java.util.Arrays.fill(out, 0, kernelVolume, -1);
            return;
        }
        long base = (long) (b - min[0]) << shift[0];
        for (int k = 0, o = 0; k < kernelVolume; k++, o += d) {
            long key = base;
            boolean inside = true;
            for (int a = 1; a <= d; a++) {
                long v = (long) query[from + a] + sign * offsets[o + a - 1];
                if (v < min[a] || v > max[a]) {
                    inside = false;
                    break;
                }
                key |= (long) (v - min[a]) << shift[a];
            }
            out[k] = inside ? probe(key) : -1;
        }
    }
}
