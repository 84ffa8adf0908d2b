package io.minkstream.engine.coords;

import io.minkstream.engine.concurrent.WorkerPool;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The kernel map of a coordinate map onto itself (every stride-1 layer), built by columns instead
 * of one hash probe per (row, offset).
 *
 * <p>A column is the set of rows that agree on every axis but the last (for [b, x, y, z, t]: one
 * voxel's frames). The rows are sorted by packed key (a radix sort), which puts each column's rows
 * next to each other in ascending order of the last axis. Offsets are grouped by their steps on the
 * other axes (a 3^4 cube has 27 such groups of 3). Then for each column and group, one probe of a
 * small column table finds the neighbouring column, and every row of the column finds its
 * neighbours of the whole group inside that column's sorted run: with a bit set of the column's
 * last-axis values when that axis spans fewer than 64 values (one shift, one popcount, no branch),
 * else by a merge of the two sorted runs. So the probes drop from rows x K to columns x groups
 * (about 1.1 M instead of 8.1 M on the 100k-row LiDAR case), and the probes that remain hit a table
 * of columns, not of rows.
 *
 * <p>Each row's pairs are collected in a bit set over k and emitted in ascending k, so the map is
 * exactly the one a probe per (row, offset) gives, for any thread count.
 */
final class ColumnKernelMapBuilder {
    private static final int COLUMN_GRAIN = 1024;
    private static final int RADIX_BITS = 11;

    private final WorkerPool pool;

    ColumnKernelMapBuilder(WorkerPool pool) {
        this.pool = pool;
    }

    /** Whether the map's coordinates pack into one key (else {@link WideCoordinateIndex} holds them). */
    static boolean applies(CoordinateMap map) {
        return map.index() instanceof PackedCoordinateIndex;
    }

    KernelMap build(CoordinateMap map, int[] offsets, int kernelVolume, int sign) {
        PackedCoordinateIndex index = (PackedCoordinateIndex) map.index();
        int n = map.size();
        int d = map.dimension();
        if (n == 0) return new KernelMap(kernelVolume, 0, 0, new int[1], new int[0], new int[0]);
        Columns cols = new Columns(index, map.coordinates(), n, map.width());
        Groups groups = new Groups(index, offsets, kernelVolume, d, sign, cols.lastBits);
        int[] bounds = pool.ranges(cols.count, COLUMN_GRAIN);
        int chunks = bounds.length - 1;
        int[] counts = new int[n];
        int[][] chunkK = new int[chunks][];
        int[][] chunkIn = new int[chunks][];
        pool.forEach(chunks, c -> {
            // Room for 16 pairs a row (a 3^4 cube on a LiDAR scan has 15); the buffer grows if needed.
            int rows = cols.start[bounds[c + 1]] - cols.start[bounds[c]];
            ColumnScan scan = new ColumnScan(cols, groups, index, d, kernelVolume, rows * Math.min(kernelVolume, 16) + 64);
            scan.begin(bounds[c]);
            for (int col = bounds[c]; col < bounds[c + 1]; col++) scan.column(col, counts);
            chunkK[c] = scan.k;
            chunkIn[c] = scan.in;
        });
        int[] start = new int[n + 1];
        for (int r = 0; r < n; r++) start[r + 1] = start[r] + counts[r];
        int[] kIdx = new int[start[n]];
        int[] inRow = new int[start[n]];
        pool.forEach(chunks, c -> {
            int[] ks = chunkK[c];
            int[] ins = chunkIn[c];
            int p = 0;
            for (int j = cols.start[bounds[c]], e = cols.start[bounds[c + 1]]; j < e; j++) {
                int row = cols.row[j];
                for (int q = start[row], end = start[row + 1]; q < end; q++, p++) {
                    kIdx[q] = ks[p];
                    inRow[q] = ins[p];
                }
            }
        });
        return new KernelMap(kernelVolume, n, n, start, kIdx, inRow);
    }

    /** The rows sorted by key, cut into columns, with a hash table from column key to column. */
    private static final class Columns {
        final int lastBits;
        final int count;
        /** Row of each sorted position, plus one pad entry (see {@link ColumnScan#bitColumn}). */
        final int[] row;
        /** Last-axis field of each sorted position. */
        final long[] last;
        final int[] start;
        /** Column keys ascending, then one {@code Long.MAX_VALUE} sentinel so cursors need no bound check. */
        final long[] key;
        /** Bit v set when the column has a row whose last-axis field is v; null when the axis spans 64+ values. */
        final long[] bits;

        Columns(PackedCoordinateIndex index, int[] coords, int n, int width) {
            int d = width - 1;
            lastBits = index.shift(d - 1);
            long[] sortedKey = new long[n];
            row = new int[n + 1];
            sortByKey(index, coords, n, width, sortedKey, row);
            last = new long[n];
            long lastMask = (1L << lastBits) - 1;
            int[] colStart = new int[n + 1];
            long[] colKey = new long[n];
            int nc = 0;
            long previous = -1;
            for (int i = 0; i < n; i++) {
                long k = sortedKey[i];
                last[i] = k & lastMask;
                long ck = k >>> lastBits;
                if (ck != previous) {
                    colStart[nc] = i;
                    colKey[nc++] = ck;
                    previous = ck;
                }
            }
            colStart[nc] = n;
            count = nc;
            start = Arrays.copyOf(colStart, nc + 1);
            key = Arrays.copyOf(colKey, nc + 1);
            key[nc] = Long.MAX_VALUE;
            if (index.range(d) < 64) {
                bits = new long[nc];
                for (int c = 0; c < nc; c++) {
                    for (int j = start[c]; j < start[c + 1]; j++) bits[c] |= 1L << last[j];
                }
            } else {
                bits = null;
            }
        }

        /** Every row's packed key, and the rows sorted by it (LSD radix sort, 11 bits a pass). */
        private static void sortByKey(PackedCoordinateIndex index, int[] coords, int n, int width, long[] keys, int[] rows) {
            long maxKey = 0;
            for (int r = 0; r < n; r++) {
                keys[r] = index.key(coords, r * width);
                rows[r] = r;
                maxKey = Math.max(maxKey, keys[r]);
            }
            int keyBits = 64 - Long.numberOfLeadingZeros(maxKey);
            long[] keys2 = new long[n];
            int[] rows2 = new int[n + 1];
            long[] ka = keys, kb = keys2;
            int[] ra = rows, rb = rows2;
            int[] count = new int[1 << RADIX_BITS];
            int digitMask = (1 << RADIX_BITS) - 1;
            for (int shift = 0; shift < keyBits; shift += RADIX_BITS) {
                Arrays.fill(count, 0);
                for (int i = 0; i < n; i++) count[(int) (ka[i] >>> shift) & digitMask]++;
                for (int i = 0, sum = 0; i < count.length; i++) {
                    int c = count[i];
                    count[i] = sum;
                    sum += c;
                }
                for (int i = 0; i < n; i++) {
                    int at = count[(int) (ka[i] >>> shift) & digitMask]++;
                    kb[at] = ka[i];
                    rb[at] = ra[i];
                }
                long[] kt = ka;
                ka = kb;
                kb = kt;
                int[] rt = ra;
                ra = rb;
                rb = rt;
            }
            if (ka != keys) {
                System.arraycopy(ka, 0, keys, 0, n);
                System.arraycopy(ra, 0, rows, 0, n);
            }
        }
    }

    /** The offsets grouped by their steps on every axis but the last. */
    private static final class Groups {
        final int count;
        /** Column key delta of each group. */
        final long[] delta;
        /** Steps of each group on axes 1 .. d-1, {@code count x (d - 1)}. */
        final long[] prefix;
        /** Members of each group: kernel index and last-axis step. */
        final int[][] memberK;
        final long[][] memberStep;
        /** See {@link #isProduct()}. */
        final boolean product;
        /** Per axis 1 .. d-1: the largest backward and forward prefix step of any group. */
        final long[] low;
        final long[] high;

        Groups(PackedCoordinateIndex index, int[] offsets, int kernelVolume, int d, int sign, int lastBits) {
            Map<String, List<Integer>> byPrefix = new LinkedHashMap<>();
            for (int k = 0; k < kernelVolume; k++) {
                long[] p = new long[d - 1];
                for (int a = 0; a < d - 1; a++) p[a] = (long) sign * offsets[k * d + a];
                byPrefix.computeIfAbsent(Arrays.toString(p), x -> new ArrayList<>()).add(k);
            }
            count = byPrefix.size();
            delta = new long[count];
            prefix = new long[count * Math.max(1, d - 1)];
            memberK = new int[count][];
            memberStep = new long[count][];
            int g = 0;
            for (List<Integer> ks : byPrefix.values()) {
                int k0 = ks.get(0);
                for (int a = 1; a < d; a++) {
                    long s = (long) sign * offsets[k0 * d + a - 1];
                    prefix[g * (d - 1) + a - 1] = s;
                    delta[g] += s << (index.shift(a) - lastBits);
                }
                memberK[g] = ks.stream().mapToInt(Integer::intValue).toArray();
                memberStep[g] = new long[memberK[g].length];
                for (int m = 0; m < memberK[g].length; m++) memberStep[g][m] = (long) sign * offsets[memberK[g][m] * d + d - 1];
                g++;
            }
            product = isProduct();
            low = new long[d];
            high = new long[d];
            for (int gg = 0; gg < count; gg++) {
                for (int a = 1; a < d; a++) {
                    low[a] = Math.max(low[a], -prefix[gg * (d - 1) + a - 1]);
                    high[a] = Math.max(high[a], prefix[gg * (d - 1) + a - 1]);
                }
            }
        }

        /**
         * Whether the region is a product of the groups and one list of last-axis steps, enumerated
         * with the last axis slowest: {@code k = g + groups * b} for step b of every group g. That
         * is MinkowskiEngine's order for cubes and hybrids, and it lets rows emit their pairs in
         * ascending k without sorting.
         */
        private boolean isProduct() {
            int steps = memberK[0].length;
            for (int g = 0; g < count; g++) {
                if (memberK[g].length != steps) return false;
                for (int b = 0; b < steps; b++) {
                    if (memberK[g][b] != g + count * b || memberStep[g][b] != memberStep[0][b]) return false;
                }
            }
            return true;
        }
    }

    /** One thread's pass over a range of columns; collects each row's pairs in ascending k. */
    private static final class ColumnScan {
        private final Columns cols;
        private final Groups groups;
        private final int kernelVolume;
        private final int words;
        private final int d;
        private final long[] fieldMask;
        private final int[] fieldShift;
        private final long[] range;
        private final long[] field;
        private int[] found;
        private long[] present;
        int[] k;
        int[] in;
        private int size;
        private final int[] nearGroup;
        private final long[] nearBits;
        private final int[] nearStart;
        private final int[] cursor;
        /** Whether every group's steps keep the current column inside all ranges. */
        private boolean interior;

        ColumnScan(Columns cols, Groups groups, PackedCoordinateIndex index, int d, int kernelVolume, int capacity) {
            this.cols = cols;
            this.groups = groups;
            this.kernelVolume = kernelVolume;
            this.words = (kernelVolume + 63) >>> 6;
            this.d = d;
            fieldMask = new long[d];
            fieldShift = new int[d];
            range = new long[d];
            field = new long[d];
            for (int a = 1; a < d; a++) {
                fieldShift[a] = index.shift(a) - cols.lastBits;
                fieldMask[a] = (1L << (index.shift(a - 1) - index.shift(a))) - 1;
                range[a] = index.range(a);
            }
            found = new int[16 * kernelVolume];
            present = new long[16 * words];
            k = new int[capacity];
            in = new int[capacity];
            nearGroup = new int[groups.count];
            nearBits = new long[groups.count];
            nearStart = new int[groups.count];
            cursor = new int[groups.count];
        }

        void column(int c, int[] counts) {
            int j0 = cols.start[c];
            int len = cols.start[c + 1] - j0;
            if (found.length < len * kernelVolume) {
                found = new int[len * kernelVolume];
                present = new long[len * words];
            }
            Arrays.fill(present, 0, len * words, 0L);
            long columnKey = cols.key[c];
            interior = true;
            for (int a = 1; a < d; a++) {
                field[a] = (columnKey >>> fieldShift[a]) & fieldMask[a];
                interior &= field[a] >= groups.low[a] & field[a] <= range[a] - groups.high[a];
            }
            if (groups.product && cols.bits != null) {
                productColumn(j0, len, columnKey, counts);
                return;
            }
            for (int g = 0; g < groups.count; g++) {
                int c2 = neighbour(g, columnKey);
                if (c2 < 0 || !inside(g)) continue;
                if (cols.bits != null) {
                    bitColumn(g, j0, len, c2);
                } else {
                    mergeColumn(g, j0, len, c2);
                }
            }
            emit(j0, len, counts);
        }

        /**
         * A product region over a short last axis: find the neighbouring columns once, then each
         * row walks k in order (step-major, group-minor) and appends every candidate, advancing
         * the buffer only on a hit, so there is no branch on whether a neighbour exists.
         */
        private void productColumn(int j0, int len, long columnKey, int[] counts) {
            int existing = 0;
            for (int g = 0; g < groups.count; g++) {
                int c2 = neighbour(g, columnKey);
                if (c2 < 0 || !inside(g)) continue;
                nearGroup[existing] = g;
                nearBits[existing] = cols.bits[c2];
                nearStart[existing++] = cols.start[c2];
            }
            long[] steps = groups.memberStep[0];
            int stepCount = steps.length;
            reserve(len * existing * stepCount + 1);
            int[] ks = k;
            int[] ins = in;
            int[] rows = cols.row;
            int p = size;
            for (int j = j0; j < j0 + len; j++) {
                int before = p;
                long t = cols.last[j];
                for (int b = 0; b < stepCount; b++) {
                    long v = t + steps[b];
                    long ok = ((v >>> 6) - 1) >>> 63; // 1 when 0 <= v < 64
                    long below = (1L << v) - 1;
                    int kBase = groups.count * b;
                    for (int e = 0; e < existing; e++) {
                        long bits2 = nearBits[e];
                        ks[p] = kBase + nearGroup[e];
                        ins[p] = rows[nearStart[e] + Long.bitCount(bits2 & below)];
                        p += (int) ((bits2 >>> v) & ok);
                    }
                }
                counts[rows[j]] = p - before;
            }
            size = p;
        }

        private void reserve(int more) {
            if (size + more > k.length) {
                int grown = Math.max(k.length * 2, size + more);
                k = Arrays.copyOf(k, grown);
                in = Arrays.copyOf(in, grown);
            }
        }

        /**
         * Positions each group's cursor at the first column whose key is at least the group's
         * target for column {@code c0}. Columns are scanned in ascending key order, so every
         * target ascends too and the cursors only move forward: a merge join instead of hash
         * probes, over one sequentially read array.
         */
        void begin(int c0) {
            for (int g = 0; g < groups.count; g++) {
                int at = Arrays.binarySearch(cols.key, 0, cols.count, c0 < cols.count ? cols.key[c0] + groups.delta[g] : Long.MAX_VALUE);
                cursor[g] = at >= 0 ? at : -at - 1;
            }
        }

        /**
         * The column at this column's key plus the group's delta, or -1 (the group must be inside).
         * The cursor usually moves by 0 to 2 columns: a few steps without branches, then a loop
         * for the rare longer jump.
         */
        private int neighbour(int g, long columnKey) {
            long target = columnKey + groups.delta[g];
            long[] keys = cols.key;
            int q = cursor[g];
            q += keys[q] < target ? 1 : 0;
            q += keys[q] < target ? 1 : 0;
            q += keys[q] < target ? 1 : 0;
            while (keys[q] < target) q++;
            cursor[g] = q;
            return keys[q] == target ? q : -1;
        }

        /** Whether the group's steps keep this column's fields inside their ranges. */
        private boolean inside(int g) {
            if (interior) return true;
            for (int a = 1; a < d; a++) {
                long v = field[a] + groups.prefix[g * (d - 1) + a - 1];
                if (v < 0 || v > range[a]) return false;
            }
            return true;
        }

        /**
         * Neighbours by the other column's bit set of last-axis values: the row of value v is at
         * the column's start plus the number of smaller values present. Branch-free; where v is
         * absent the index may point one past the column, hence the pad entry in {@code row}.
         */
        private void bitColumn(int g, int j0, int len, int c2) {
            long bits2 = cols.bits[c2];
            int base2 = cols.start[c2];
            int[] ks = groups.memberK[g];
            long[] steps = groups.memberStep[g];
            for (int m = 0; m < ks.length; m++) {
                int kk = ks[m];
                long s = steps[m];
                int word = kk >>> 6;
                int bit = kk & 63;
                for (int j = 0; j < len; j++) {
                    long v = cols.last[j0 + j] + s;
                    long ok = ((v >>> 6) - 1) >>> 63; // 1 when 0 <= v < 64
                    long hit = (bits2 >>> v) & ok;
                    found[j * kernelVolume + kk] = cols.row[base2 + Long.bitCount(bits2 & ((1L << v) - 1))];
                    present[j * words + word] |= hit << bit;
                }
            }
        }

        /** Neighbours by merging the two columns' sorted last-axis values. */
        private void mergeColumn(int g, int j0, int len, int c2) {
            int q0 = cols.start[c2];
            int q1 = cols.start[c2 + 1];
            int[] ks = groups.memberK[g];
            long[] steps = groups.memberStep[g];
            for (int m = 0; m < ks.length; m++) {
                int kk = ks[m];
                long s = steps[m];
                int q = q0;
                for (int j = 0; j < len; j++) {
                    long want = cols.last[j0 + j] + s;
                    while (q < q1 && cols.last[q] < want) q++;
                    if (q < q1 && cols.last[q] == want) {
                        found[j * kernelVolume + kk] = cols.row[q];
                        present[j * words + (kk >>> 6)] |= 1L << (kk & 63);
                    }
                }
            }
        }

        /** Appends each row's pairs in ascending k and records its pair count. */
        private void emit(int j0, int len, int[] counts) {
            reserve(len * kernelVolume);
            for (int j = 0; j < len; j++) {
                int before = size;
                for (int w = 0; w < words; w++) {
                    long bitsW = present[j * words + w];
                    while (bitsW != 0) {
                        int kk = (w << 6) + Long.numberOfTrailingZeros(bitsW);
                        k[size] = kk;
                        in[size++] = found[j * kernelVolume + kk];
                        bitsW &= bitsW - 1;
                    }
                }
                counts[cols.row[j0 + j]] = size - before;
            }
        }
    }
}
