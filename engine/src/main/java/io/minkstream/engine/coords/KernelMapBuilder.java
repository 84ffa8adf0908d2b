package io.minkstream.engine.coords;

import io.minkstream.engine.concurrent.WorkerPool;
import java.util.Arrays;

/**
 * Builds kernel maps on the CPU by looking up, for every output row and offset k, the input row at
 * {@code out + sign * offset_k} (sign +1 for convolution and pooling, -1 for transposed
 * convolution, whose offsets point from input to output). Output rows are processed in parallel
 * chunks; each chunk fills its own pair buffer, and the chunks are stitched in output order, so the
 * result does not depend on the thread count.
 *
 * <p>When the input and output maps are the same packed map (every stride-1 layer), the map is
 * built by columns instead ({@link ColumnKernelMapBuilder}: sorted rows, a merge over columns, no
 * hash probe per pair). Otherwise each chunk runs a prepared neighbour search per output row
 * ({@link CoordinateIndex#prepare}); on the same map the zero offset pairs each row with itself,
 * with no lookup. Every path produces the same map.
 */
public final class KernelMapBuilder {
    private static final int GRAIN = 2048;

    private final WorkerPool pool;
    private final ColumnKernelMapBuilder columns;

    public KernelMapBuilder(WorkerPool pool) {
        this.pool = pool;
        this.columns = new ColumnKernelMapBuilder(pool);
    }

    public KernelMap build(CoordinateMap in, CoordinateMap out, int[] offsets, int kernelVolume, int sign) {
        if (in.dimension() != out.dimension()) {
            throw new IllegalArgumentException("input and output dimensions differ: " + in.dimension() + " vs " + out.dimension());
        }
        if (in == out && ColumnKernelMapBuilder.applies(in)) {
            return columns.build(in, offsets, kernelVolume, sign);
        }
        return buildDirect(in, out, offsets, kernelVolume, sign);
    }

    /** Every offset looked up for every output row, except the zero offset on the same map. */
    private KernelMap buildDirect(CoordinateMap in, CoordinateMap out, int[] offsets, int kernelVolume, int sign) {
        int d = in.dimension();
        boolean sameMap = in == out;
        // lookup[k]: position of k among the searched offsets, or -1 for an identity offset.
        int[] lookup = new int[kernelVolume];
        int searched = 0;
        for (int k = 0; k < kernelVolume; k++) lookup[k] = sameMap && isZero(offsets, k, d) ? -1 : searched++;
        int[] searchOffsets = new int[searched * d];
        for (int k = 0; k < kernelVolume; k++) {
            if (lookup[k] >= 0) System.arraycopy(offsets, k * d, searchOffsets, lookup[k] * d, d);
        }
        int count = searched;
        int n = out.size();
        int width = out.width();
        int[] outCoords = out.coordinates();
        int[] bounds = pool.ranges(n, GRAIN);
        int chunks = bounds.length - 1;
        int[] start = new int[n + 1];
        int[][] chunkK = new int[chunks][];
        int[][] chunkIn = new int[chunks][];
        pool.forEach(chunks, c -> {
            int from = bounds[c], to = bounds[c + 1];
            CoordinateIndex.NeighbourSearch search = in.index().prepare(searchOffsets, count, sign);
            int[] found = new int[Math.max(1, count)];
            PairBuffer buf = new PairBuffer((to - from) * 8);
            for (int o = from; o < to; o++) {
                search.find(outCoords, o * width, found);
                buf.reserve(kernelVolume);
                int before = buf.size;
                for (int k = 0; k < kernelVolume; k++) {
                    int j = lookup[k];
                    int r = j < 0 ? o : found[j];
                    if (r >= 0) buf.add(k, r);
                }
                start[o + 1] = buf.size - before;
            }
            chunkK[c] = Arrays.copyOf(buf.k, buf.size);
            chunkIn[c] = Arrays.copyOf(buf.in, buf.size);
        });
        for (int o = 0; o < n; o++) start[o + 1] += start[o];
        int total = start[n];
        int[] kIdx = new int[total];
        int[] inRow = new int[total];
        for (int c = 0; c < chunks; c++) {
            int at = start[bounds[c]];
            System.arraycopy(chunkK[c], 0, kIdx, at, chunkK[c].length);
            System.arraycopy(chunkIn[c], 0, inRow, at, chunkIn[c].length);
        }
        return new KernelMap(kernelVolume, in.size(), n, start, kIdx, inRow);
    }

    private static boolean isZero(int[] offsets, int k, int d) {
        for (int a = 0; a < d; a++) {
            if (offsets[k * d + a] != 0) return false;
        }
        return true;
    }

    /** A growable list of (kernel index, input row) pairs. */
    private static final class PairBuffer {
        int[] k;
        int[] in;
        int size;

        PairBuffer(int capacity) {
            k = new int[Math.max(16, capacity)];
            in = new int[k.length];
        }

        void reserve(int more) {
            if (size + more > k.length) {
                int grown = Math.max(k.length * 2, size + more);
                k = Arrays.copyOf(k, grown);
                in = Arrays.copyOf(in, grown);
            }
        }

        void add(int kernelIndex, int inputRow) {
            k[size] = kernelIndex;
            in[size] = inputRow;
            size++;
        }
    }
}
