package io.minkstream.engine.coords;

import java.util.Arrays;

/**
 * Which input row feeds which output row through which kernel offset.
 *
 * <p>Stored output-major (CSR): the pairs of output row o are {@code [outStart[o], outStart[o+1])},
 * each with its kernel index (ascending within a row) and input row. This is the layout the CPU
 * convolution consumes (each output accumulated once, in registers, in MinkowskiEngine's k order).
 * The per-offset view of MinkowskiEngine ({@code in[k]}, {@code out[k]}) is derived on first use.
 */
public final class KernelMap {
    private final int kernelVolume;
    private final int inSize;
    private final int outSize;
    private final int[] outStart;
    private final int[] kernelIndex;
    private final int[] inRow;
    private volatile int[][] perOffset; // [2k] = in rows, [2k+1] = out rows

    public KernelMap(int kernelVolume, int inSize, int outSize, int[] outStart, int[] kernelIndex, int[] inRow) {
        if (outStart.length != outSize + 1) throw new IllegalArgumentException("outStart must have outSize + 1 entries");
        if (kernelIndex.length != inRow.length || outStart[outSize] != inRow.length) {
            throw new IllegalArgumentException("pair arrays disagree: " + kernelIndex.length + " kernel indices, " + inRow.length + " input rows, "
                    + outStart[outSize] + " pairs by outStart");
        }
        this.kernelVolume = kernelVolume;
        this.inSize = inSize;
        this.outSize = outSize;
        this.outStart = outStart;
        this.kernelIndex = kernelIndex;
        this.inRow = inRow;
    }

    /** Builds the output-major map from per-offset lists ({@code in[k][j] -> out[k][j]}). */
    public static KernelMap fromPerOffset(int inSize, int outSize, int[][] in, int[][] out) {
        int kernelVolume = in.length;
        int[] start = new int[outSize + 1];
        for (int k = 0; k < kernelVolume; k++) {
            for (int o : out[k]) start[o + 1]++;
        }
        for (int o = 0; o < outSize; o++) start[o + 1] += start[o];
        int total = start[outSize];
        int[] fill = Arrays.copyOf(start, outSize);
        int[] kIdx = new int[total];
        int[] inR = new int[total];
        for (int k = 0; k < kernelVolume; k++) {
            for (int j = 0; j < out[k].length; j++) {
                int p = fill[out[k][j]]++;
                kIdx[p] = k;
                inR[p] = in[k][j];
            }
        }
        return new KernelMap(kernelVolume, inSize, outSize, start, kIdx, inR);
    }

    /** Each row to itself through one offset (a 1x1 convolution's map). */
    public static KernelMap identity(int rows) {
        int[] start = new int[rows + 1];
        int[] inRow = new int[rows];
        for (int r = 0; r < rows; r++) {
            start[r + 1] = r + 1;
            inRow[r] = r;
        }
        return new KernelMap(1, rows, rows, start, new int[rows], inRow);
    }

    public int kernelVolume() {
        return kernelVolume;
    }

    public int inSize() {
        return inSize;
    }

    public int outSize() {
        return outSize;
    }

    public int pairCount() {
        return inRow.length;
    }

    /** CSR row starts, {@code outSize() + 1} entries. Shared, do not modify. */
    public int[] outStart() {
        return outStart;
    }

    /** Kernel index of each pair, output-major. Shared, do not modify. */
    public int[] kernelIndex() {
        return kernelIndex;
    }

    /** Input row of each pair, output-major. Shared, do not modify. */
    public int[] inRow() {
        return inRow;
    }

    public int pairCount(int k) {
        return perOffset()[2 * k].length;
    }

    /** Input rows of offset k, ordered by output row. */
    public int[] inRows(int k) {
        return perOffset()[2 * k];
    }

    /** Output rows of offset k, ascending. */
    public int[] outRows(int k) {
        return perOffset()[2 * k + 1];
    }

    /** The map read the other way: each pair {@code (k, i, o)} becomes {@code (k, o, i)}. */
    public KernelMap transpose() {
        int[][] in = new int[kernelVolume][];
        int[][] out = new int[kernelVolume][];
        for (int k = 0; k < kernelVolume; k++) {
            in[k] = outRows(k);
            out[k] = inRows(k);
        }
        return fromPerOffset(outSize, inSize, in, out);
    }

    /** Bytes held by this map's arrays (for cache accounting). */
    public long bytes() {
        long b = 4L * (outStart.length + kernelIndex.length + inRow.length);
        return perOffset == null ? b : 2 * b;
    }

    private int[][] perOffset() {
        int[][] p = perOffset;
        if (p == null) {
            synchronized (this) {
                p = perOffset;
                if (p == null) {
                    p = buildPerOffset();
                    perOffset = p;
                }
            }
        }
        return p;
    }

    private int[][] buildPerOffset() {
        int[] counts = new int[kernelVolume];
        for (int k : kernelIndex) counts[k]++;
        int[][] p = new int[2 * kernelVolume][];
        for (int k = 0; k < kernelVolume; k++) {
            p[2 * k] = new int[counts[k]];
            p[2 * k + 1] = new int[counts[k]];
        }
        int[] fill = new int[kernelVolume];
        for (int o = 0; o < outSize; o++) {
            for (int q = outStart[o]; q < outStart[o + 1]; q++) {
                int k = kernelIndex[q];
                int j = fill[k]++;
                p[2 * k][j] = inRow[q];
                p[2 * k + 1][j] = o;
            }
        }
        return p;
    }
}
