package io.minkstream.engine.coords;

import io.minkstream.engine.concurrent.WorkerPool;
import java.util.Arrays;

/**
 * Builds kernel maps on the CPU by looking up, for every output row and offset k, the input row at
 * {@code out + sign * offset_k} (sign +1 for convolution and pooling, -1 for transposed
 * convolution, whose offsets point from input to output). Output rows are processed in parallel
 * chunks; each chunk fills its own pair buffer, and the chunks are stitched in output order, so the
 * result does not depend on the thread count.
 */
public final class KernelMapBuilder {
    private static final int GRAIN = 2048;

    private final WorkerPool pool;

    public KernelMapBuilder(WorkerPool pool) {
        this.pool = pool;
    }

    public KernelMap build(CoordinateMap in, CoordinateMap out, int[] offsets, int kernelVolume, int sign) {
        if (in.dimension() != out.dimension()) {
            throw new IllegalArgumentException("input and output dimensions differ: " + in.dimension() + " vs " + out.dimension());
        }
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
            int[] rows = new int[kernelVolume];
            int[] ks = new int[Math.max(16, (to - from) * 8)];
            int[] ins = new int[ks.length];
            int count = 0;
            for (int o = from; o < to; o++) {
                in.findNeighbours(outCoords, o * width, offsets, kernelVolume, sign, rows);
                if (count + kernelVolume > ks.length) {
                    int grown = Math.max(ks.length * 2, count + kernelVolume);
                    ks = Arrays.copyOf(ks, grown);
                    ins = Arrays.copyOf(ins, grown);
                }
                int before = count;
                for (int k = 0; k < kernelVolume; k++) {
                    int r = rows[k];
                    if (r >= 0) {
                        ks[count] = k;
                        ins[count] = r;
                        count++;
                    }
                }
                start[o + 1] = count - before;
            }
            chunkK[c] = Arrays.copyOf(ks, count);
            chunkIn[c] = Arrays.copyOf(ins, count);
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
}
