package io.minkstream.engine.coords;

import java.util.Arrays;

/**
 * Open-addressing (linear probing) index on packed long keys. Each axis is stored relative to the
 * minimum seen in the map, in just enough bits for its range; a query outside an axis' range is a
 * miss without probing, so a shifted coordinate can never wrap into another one's key.
 *
 * <p>Layout: when keys take at most 32 bits (a LiDAR scene of 10^5 voxels takes about 27) each
 * slot is one long, {@code key << 32 | row}, so a probe touches one cache line and the table is
 * half the size (2 MiB for 10^5 rows); wider keys use a key array and a row array.
 *
 * <p>Neighbour search ({@link #prepare}) adds a precomputed key delta per offset instead of
 * re-packing every shifted coordinate (exact whenever every field stays inside its range, which is
 * checked once per query row), and probes in two passes: first the home slot of every offset (loads
 * that do not depend on each other, so the cache misses overlap), then the rare collision chains.
 */
final class PackedCoordinateIndex implements CoordinateIndex {
    private static final long EMPTY = -1L;
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private final int width;
    private final int[] min;
    private final int[] max;
    private final int[] shift;
    private final int mask;
    private final int hashShift;
    /** {@code key << 32 | row} per slot when keys fit 32 bits, else null. */
    private final long[] slots;
    /** Keys and rows in two arrays when keys need more than 32 bits, else null. */
    private final long[] keys;
    private final int[] rows;

    private PackedCoordinateIndex(int width, int[] min, int[] max, int[] shift, int keyBits, int capacityLog2) {
        this.width = width;
        this.min = min;
        this.max = max;
        this.shift = shift;
        int capacity = 1 << capacityLog2;
        this.mask = capacity - 1;
        this.hashShift = 64 - capacityLog2;
        if (keyBits <= 32) {
            this.slots = new long[capacity];
            Arrays.fill(slots, EMPTY);
            this.keys = null;
            this.rows = null;
        } else {
            this.slots = null;
            this.keys = new long[capacity];
            Arrays.fill(keys, EMPTY);
            this.rows = new int[capacity];
        }
    }

    /** The index for these rows, or null when their ranges need more than 63 bits. */
    static PackedCoordinateIndex tryCreate(int[] coords, int n, int width) {
        int[] min = new int[width];
        int[] max = new int[width];
        Arrays.fill(min, Integer.MAX_VALUE);
        Arrays.fill(max, Integer.MIN_VALUE);
        for (int r = 0, p = 0; r < n; r++) {
            for (int a = 0; a < width; a++, p++) {
                int v = coords[p];
                if (v < min[a]) min[a] = v;
                if (v > max[a]) max[a] = v;
            }
        }
        if (n == 0) {
            Arrays.fill(min, 0);
            Arrays.fill(max, 0);
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
        return new PackedCoordinateIndex(width, min, max, shift, bits, capacityLog2);
    }

    /** The packed key of the coordinate row at {@code c[from .. from + width)}, which must be in range. */
    long key(int[] c, int from) {
        return pack(c, from);
    }

    /** Bit position of an axis' field in the key (the last axis is at 0). */
    int shift(int axis) {
        return shift[axis];
    }

    /** {@code max - min} of an axis over the map's rows. */
    long range(int axis) {
        return (long) max[axis] - min[axis];
    }

    /** Inserts a row; returns the row already holding this coordinate, or -1 when it was new. */
    int insert(int[] coords, int from, int row) {
        long key = pack(coords, from);
        int slot = slot(key);
        if (slots != null) {
            while (true) {
                long e = slots[slot];
                if (e == EMPTY) {
                    slots[slot] = key << 32 | row;
                    return -1;
                }
                if (e >>> 32 == key) return (int) e;
                slot = (slot + 1) & mask;
            }
        }
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
            key |= ((long) c[from + a] - min[a]) << shift[a]; // long: a range may exceed 2^31
        }
        return key;
    }

    private int slot(long key) {
        return (int) ((key * GOLDEN) >>> hashShift);
    }

    /** Row of a key whose home slot held {@code e}; -1 when absent. */
    private int resolve(long key, int slot, long e) {
        if (slots != null) {
            while (true) {
                if (e == EMPTY) return -1;
                if (e >>> 32 == key) return (int) e;
                slot = (slot + 1) & mask;
                e = slots[slot];
            }
        }
        while (true) {
            if (e == EMPTY) return -1;
            if (e == key) return rows[slot];
            slot = (slot + 1) & mask;
            e = keys[slot];
        }
    }

    private long table(int slot) {
        return slots != null ? slots[slot] : keys[slot];
    }

    private int probe(long key) {
        int slot = slot(key);
        return resolve(key, slot, slots != null ? slots[slot] : keys[slot]);
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
        prepare(offsets, kernelVolume, sign).find(query, from, out);
    }

    @Override
    public NeighbourSearch prepare(int[] offsets, int kernelVolume, int sign) {
        return new PackedNeighbourSearch(offsets, kernelVolume, sign);
    }

    /** One thread's search of K fixed offsets; holds scratch arrays, so not shared. */
    private final class PackedNeighbourSearch implements NeighbourSearch {
        private final int kernelVolume;
        private final long[] steps;     // K x D signed offsets, as longs
        private final long[] delta;     // key delta per offset
        private final long[] low;       // per axis: the smallest field value with every offset inside
        private final long[] high;      // per axis: the largest
        private final long[] queryKeys;
        private final int[] home;
        private final long[] first;
        private final int[] edgeAxes = new int[width];

        PackedNeighbourSearch(int[] offsets, int kernelVolume, int sign) {
            int d = width - 1;
            this.kernelVolume = kernelVolume;
            this.steps = new long[kernelVolume * d];
            this.delta = new long[kernelVolume];
            this.low = new long[width];
            this.high = new long[width];
            long[] lo = new long[width];
            long[] hi = new long[width];
            for (int k = 0; k < kernelVolume; k++) {
                long dk = 0;
                for (int a = 1; a <= d; a++) {
                    long s = (long) sign * offsets[k * d + a - 1];
                    steps[k * d + a - 1] = s;
                    dk += s << shift[a];
                    lo[a] = Math.min(lo[a], s);
                    hi[a] = Math.max(hi[a], s);
                }
                delta[k] = dk;
            }
            for (int a = 1; a <= d; a++) {
                low[a] = -lo[a];
                high[a] = ((long) max[a] - min[a]) - hi[a];
            }
            this.queryKeys = new long[kernelVolume];
            this.home = new int[kernelVolume];
            this.first = new long[kernelVolume];
        }

        @Override
        public void find(int[] query, int from, int[] out) {
            int b = query[from];
            if (b < min[0] || b > max[0]) {
                Arrays.fill(out, 0, kernelVolume, -1);
                return;
            }
            long key = ((long) b - min[0]) << shift[0];
            boolean interior = true;
            for (int a = 1; a < width; a++) {
                long f = (long) query[from + a] - min[a];
                interior &= f >= low[a] & f <= high[a];
                key += f << shift[a];
            }
            if (interior) {
                for (int k = 0; k < kernelVolume; k++) queryKeys[k] = key + delta[k];
                probeAll(out);
            } else {
                border(query, from, key, out);
            }
        }

        /** Every offset's key is valid: load all home slots first, then resolve. */
        private void probeAll(int[] out) {
            int n = kernelVolume;
            if (slots != null) {
                for (int k = 0; k < n; k++) {
                    int s = slot(queryKeys[k]);
                    home[k] = s;
                    first[k] = slots[s];
                }
            } else {
                for (int k = 0; k < n; k++) {
                    int s = slot(queryKeys[k]);
                    home[k] = s;
                    first[k] = keys[s];
                }
            }
            for (int k = 0; k < n; k++) out[k] = resolve(queryKeys[k], home[k], first[k]);
        }

        /**
         * A query near the edge of some axis' range: offsets that leave a range are misses. Only
         * the axes where the query is near an edge need a check per offset.
         */
        private void border(int[] query, int from, long key, int[] out) {
            int d = width - 1;
            int edges = 0;
            for (int a = 1; a <= d; a++) {
                long f = (long) query[from + a] - min[a];
                if (f < low[a] || f > high[a]) edgeAxes[edges++] = a;
            }
            int valid = 0;
            for (int k = 0; k < kernelVolume; k++) {
                boolean inside = true;
                for (int e = 0; e < edges; e++) {
                    int a = edgeAxes[e];
                    long v = (long) query[from + a] + steps[k * d + a - 1];
                    inside &= v >= min[a] & v <= max[a];
                }
                out[k] = -1;
                if (inside) {
                    home[valid] = k;
                    queryKeys[valid++] = key + delta[k];
                }
            }
            for (int j = 0; j < valid; j++) first[j] = table(slot(queryKeys[j]));
            for (int j = 0; j < valid; j++) {
                long q = queryKeys[j];
                out[home[j]] = resolve(q, slot(q), first[j]);
            }
        }
    }
}
