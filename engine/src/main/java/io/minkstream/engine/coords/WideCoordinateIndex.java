package io.minkstream.engine.coords;

/**
 * Open-addressing index for coordinates whose ranges do not fit one 63-bit key: slots hold row
 * numbers and equality compares the stored coordinate rows themselves. Slower than the packed
 * index, but exact for any int32 coordinates.
 */
final class WideCoordinateIndex implements CoordinateIndex {
    private final int width;
    private final int[] coords;
    private final int[] slots;
    private final int mask;

    WideCoordinateIndex(int[] coords, int n, int width) {
        this.width = width;
        this.coords = coords;
        int capacity = Integer.highestOneBit(Math.max(8, 2 * n - 1)) << 1;
        this.slots = new int[capacity];
        java.util.Arrays.fill(slots, -1);
        this.mask = capacity - 1;
    }

    int insert(int row) {
        int slot = hash(coords, row * width) & mask;
        while (true) {
            int r = slots[slot];
            if (r < 0) {
                slots[slot] = row;
                return -1;
            }
            if (equal(coords, r * width, coords, row * width)) return r;
            slot = (slot + 1) & mask;
        }
    }

    private int hash(int[] c, int from) {
        long h = 0x9E3779B97F4A7C15L;
        for (int a = 0; a < width; a++) {
            h = (h ^ c[from + a]) * 0xBF58476D1CE4E5B9L;
            h ^= h >>> 31;
        }
        return (int) (h ^ (h >>> 32));
    }

    private boolean equal(int[] a, int ai, int[] b, int bi) {
        for (int i = 0; i < width; i++) {
            if (a[ai + i] != b[bi + i]) return false;
        }
        return true;
    }

    @Override
    public int find(int[] query, int from) {
        int slot = hash(query, from) & mask;
        while (true) {
            int r = slots[slot];
            if (r < 0) return -1;
            if (equal(coords, r * width, query, from)) return r;
            slot = (slot + 1) & mask;
        }
    }

    @Override
    public void findNeighbours(int[] query, int from, int[] offsets, int kernelVolume, int sign, int[] out) {
        int d = width - 1;
        int[] shifted = new int[width];
        shifted[0] = query[from];
        for (int k = 0; k < kernelVolume; k++) {
            boolean overflow = false;
            for (int a = 1; a <= d; a++) {
                long v = (long) query[from + a] + (long) sign * offsets[k * d + a - 1];
                if (v != (int) v) {
                    overflow = true;
                    break;
                }
                shifted[a] = (int) v;
            }
            out[k] = overflow ? -1 : find(shifted, 0);
        }
    }
}
