package io.minkstream.engine.backend;

import io.minkstream.engine.coords.KernelMap;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Tiled convolution with the Vector API (the preferred species: 512-bit where the JVM uses
 * AVX-512). Output rows are taken in tiles of {@link #TILE_ROWS} whose pairs are grouped by kernel
 * offset ({@link OffsetGroupedTiles}, computed once per kernel map). For each offset the pairs
 * stream through register tiles of several pairs x several vectors of output channels: 12 x 2
 * vectors when a block is 2 vectors wide (C = 32 at 512 bits), 6 x 4 when it is 4 wide (C = 64),
 * 24 accumulators either way, then narrower tiles for an offset's last pairs. Per input channel
 * each weight vector is loaded once and feeds one FMA per pair of the register tile; a
 * row-at-a-time loop loads every weight for a single FMA, so it runs at the speed of L2, not of the
 * FMA units. The tile's output rows (64 KiB for C = 32) stay in L2 while all offsets add into them;
 * one offset's weights stay in L1 while its pairs stream past.
 *
 * <p>Each output row is still summed in MinkowskiEngine's k order (offsets ascending, input
 * channels ascending within an offset, one FMA chain per output value), whatever the tile
 * boundaries or thread count, so the result is deterministic and the same as a row-at-a-time loop.
 */
final class VectorConvolutionKernel implements ConvolutionKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /**
     * 512-bit vectors mean AVX-512 and its 32 vector registers, room for 24 accumulators; with
     * 16 registers (AVX2) the wide register tiles would spill, so only the 8-accumulator ones run.
     */
    private static final boolean WIDE_REGISTER_FILE = S.vectorBitSize() >= 512;
    /** Output rows per tile: 512 x 32 floats = 64 KiB of outputs, well inside L2. */
    private static final int TILE_ROWS = OffsetGroupedTiles.TILE_ROWS;

    /** Per kernel map, its pairs grouped by tile and offset; weak keys, so a dropped map frees its plan. */
    private final Map<KernelMap, OffsetGroupedTiles> plans = Collections.synchronizedMap(new WeakHashMap<>());

    @Override
    public void convolve(float[] in, int cIn, float[] w, int cOut, float[] bias, KernelMap map, float[] out, int from, int to) {
        OffsetGroupedTiles plan = plans.computeIfAbsent(map, OffsetGroupedTiles::of);
        int kernelVolume = map.kernelVolume();
        int n = map.outSize();
        int[] scratchStart = null;
        int[] scratchIn = null;
        int[] scratchOut = null;
        for (int t0 = from; t0 < to; ) {
            int t1 = Math.min(to, (t0 / TILE_ROWS + 1) * TILE_ROWS);
            int[] offsetStart;
            int[] groupIn;
            int[] groupOut;
            int at;
            if (t0 % TILE_ROWS == 0 && t1 == Math.min(n, t0 + TILE_ROWS)) {
                offsetStart = plan.offsetStart;
                at = t0 / TILE_ROWS * (kernelVolume + 1);
                groupIn = plan.inRow;
                groupOut = plan.outRow;
            } else {
                // A range that cuts a tile (a caller whose ranges are not multiples of the tile).
                int pairs = map.outStart()[t1] - map.outStart()[t0];
                if (scratchStart == null || scratchIn.length < pairs) {
                    scratchStart = new int[kernelVolume + 1];
                    scratchIn = new int[Math.max(pairs, 1024)];
                    scratchOut = new int[scratchIn.length];
                }
                OffsetGroupedTiles.group(map, t0, t1, 0, scratchStart, scratchIn, scratchOut);
                offsetStart = scratchStart;
                at = 0;
                groupIn = scratchIn;
                groupOut = scratchOut;
            }
            initialise(out, cOut, bias, t0, t1);
            for (int k = 0; k < kernelVolume; k++) {
                int g0 = offsetStart[at + k];
                int g1 = offsetStart[at + k + 1];
                if (g0 == g1) continue;
                int wk = k * cIn * cOut;
                int c = 0;
                for (; WIDE_REGISTER_FILE && c + 4 * L <= cOut; c += 4 * L) {
                    int j = rows6x4(in, cIn, w, wk + c, cOut, out, c, groupIn, groupOut, g0, g1);
                    j = rows4x4(in, cIn, w, wk + c, cOut, out, c, groupIn, groupOut, j, g1);
                    j = rows2x4(in, cIn, w, wk + c, cOut, out, c, groupIn, groupOut, j, g1);
                    rows1x4(in, cIn, w, wk + c, cOut, out, c, groupIn, groupOut, j, g1);
                }
                for (; c + 2 * L <= cOut; c += 2 * L) {
                    int j = WIDE_REGISTER_FILE ? rows12x2(in, cIn, w, wk + c, cOut, out, c, groupIn, groupOut, g0, g1) : g0;
                    j = WIDE_REGISTER_FILE ? rows8x2(in, cIn, w, wk + c, cOut, out, c, groupIn, groupOut, j, g1) : j;
                    j = rows4x2(in, cIn, w, wk + c, cOut, out, c, groupIn, groupOut, j, g1);
                    rows1x2(in, cIn, w, wk + c, cOut, out, c, groupIn, groupOut, j, g1);
                }
                for (; c < cOut; c += L) {
                    oneMaskedColumn(in, cIn, w, wk + c, cOut, out, c, S.indexInRange(c, cOut), groupIn, groupOut, g0, g1);
                }
            }
            t0 = t1;
        }
    }

    private static void initialise(float[] out, int cOut, float[] bias, int t0, int t1) {
        if (bias == null) {
            java.util.Arrays.fill(out, t0 * cOut, t1 * cOut, 0f);
            return;
        }
        for (int o = t0; o < t1; o++) System.arraycopy(bias, 0, out, o * cOut, cOut);
    }

    /** Register tile of 12 pairs x 2 vectors (C = 32 at 512 bits): 24 accumulators. Returns the first pair it left. */
    private static int rows12x2(float[] in, int cIn, float[] w, int wb, int cOut, float[] out, int c, int[] groupIn, int[] groupOut, int j, int g1) {
        for (; j + 12 <= g1; j += 12) {
            int i0 = groupIn[j] * cIn, i1 = groupIn[j + 1] * cIn, i2 = groupIn[j + 2] * cIn, i3 = groupIn[j + 3] * cIn, i4 = groupIn[j + 4] * cIn, i5 = groupIn[j + 5] * cIn, i6 = groupIn[j + 6] * cIn, i7 = groupIn[j + 7] * cIn, i8 = groupIn[j + 8] * cIn, i9 = groupIn[j + 9] * cIn, i10 = groupIn[j + 10] * cIn, i11 = groupIn[j + 11] * cIn;
            int o0 = groupOut[j] * cOut + c, o1 = groupOut[j + 1] * cOut + c, o2 = groupOut[j + 2] * cOut + c, o3 = groupOut[j + 3] * cOut + c, o4 = groupOut[j + 4] * cOut + c, o5 = groupOut[j + 5] * cOut + c, o6 = groupOut[j + 6] * cOut + c, o7 = groupOut[j + 7] * cOut + c, o8 = groupOut[j + 8] * cOut + c, o9 = groupOut[j + 9] * cOut + c, o10 = groupOut[j + 10] * cOut + c, o11 = groupOut[j + 11] * cOut + c;
            FloatVector a00 = FloatVector.fromArray(S, out, o0), a01 = FloatVector.fromArray(S, out, o0 + L);
            FloatVector a10 = FloatVector.fromArray(S, out, o1), a11 = FloatVector.fromArray(S, out, o1 + L);
            FloatVector a20 = FloatVector.fromArray(S, out, o2), a21 = FloatVector.fromArray(S, out, o2 + L);
            FloatVector a30 = FloatVector.fromArray(S, out, o3), a31 = FloatVector.fromArray(S, out, o3 + L);
            FloatVector a40 = FloatVector.fromArray(S, out, o4), a41 = FloatVector.fromArray(S, out, o4 + L);
            FloatVector a50 = FloatVector.fromArray(S, out, o5), a51 = FloatVector.fromArray(S, out, o5 + L);
            FloatVector a60 = FloatVector.fromArray(S, out, o6), a61 = FloatVector.fromArray(S, out, o6 + L);
            FloatVector a70 = FloatVector.fromArray(S, out, o7), a71 = FloatVector.fromArray(S, out, o7 + L);
            FloatVector a80 = FloatVector.fromArray(S, out, o8), a81 = FloatVector.fromArray(S, out, o8 + L);
            FloatVector a90 = FloatVector.fromArray(S, out, o9), a91 = FloatVector.fromArray(S, out, o9 + L);
            FloatVector a100 = FloatVector.fromArray(S, out, o10), a101 = FloatVector.fromArray(S, out, o10 + L);
            FloatVector a110 = FloatVector.fromArray(S, out, o11), a111 = FloatVector.fromArray(S, out, o11 + L);
            for (int ci = 0, wi = wb; ci < cIn; ci++, wi += cOut) {
                FloatVector w0 = FloatVector.fromArray(S, w, wi);
                FloatVector w1 = FloatVector.fromArray(S, w, wi + L);
                FloatVector x = FloatVector.broadcast(S, in[i0 + ci]);
                a00 = w0.fma(x, a00);
                a01 = w1.fma(x, a01);
                x = FloatVector.broadcast(S, in[i1 + ci]);
                a10 = w0.fma(x, a10);
                a11 = w1.fma(x, a11);
                x = FloatVector.broadcast(S, in[i2 + ci]);
                a20 = w0.fma(x, a20);
                a21 = w1.fma(x, a21);
                x = FloatVector.broadcast(S, in[i3 + ci]);
                a30 = w0.fma(x, a30);
                a31 = w1.fma(x, a31);
                x = FloatVector.broadcast(S, in[i4 + ci]);
                a40 = w0.fma(x, a40);
                a41 = w1.fma(x, a41);
                x = FloatVector.broadcast(S, in[i5 + ci]);
                a50 = w0.fma(x, a50);
                a51 = w1.fma(x, a51);
                x = FloatVector.broadcast(S, in[i6 + ci]);
                a60 = w0.fma(x, a60);
                a61 = w1.fma(x, a61);
                x = FloatVector.broadcast(S, in[i7 + ci]);
                a70 = w0.fma(x, a70);
                a71 = w1.fma(x, a71);
                x = FloatVector.broadcast(S, in[i8 + ci]);
                a80 = w0.fma(x, a80);
                a81 = w1.fma(x, a81);
                x = FloatVector.broadcast(S, in[i9 + ci]);
                a90 = w0.fma(x, a90);
                a91 = w1.fma(x, a91);
                x = FloatVector.broadcast(S, in[i10 + ci]);
                a100 = w0.fma(x, a100);
                a101 = w1.fma(x, a101);
                x = FloatVector.broadcast(S, in[i11 + ci]);
                a110 = w0.fma(x, a110);
                a111 = w1.fma(x, a111);
            }
            a00.intoArray(out, o0);
            a01.intoArray(out, o0 + L);
            a10.intoArray(out, o1);
            a11.intoArray(out, o1 + L);
            a20.intoArray(out, o2);
            a21.intoArray(out, o2 + L);
            a30.intoArray(out, o3);
            a31.intoArray(out, o3 + L);
            a40.intoArray(out, o4);
            a41.intoArray(out, o4 + L);
            a50.intoArray(out, o5);
            a51.intoArray(out, o5 + L);
            a60.intoArray(out, o6);
            a61.intoArray(out, o6 + L);
            a70.intoArray(out, o7);
            a71.intoArray(out, o7 + L);
            a80.intoArray(out, o8);
            a81.intoArray(out, o8 + L);
            a90.intoArray(out, o9);
            a91.intoArray(out, o9 + L);
            a100.intoArray(out, o10);
            a101.intoArray(out, o10 + L);
            a110.intoArray(out, o11);
            a111.intoArray(out, o11 + L);
        }
        return j;
    }

    /** Register tile of 8 pairs x 2 vectors, for the rest of an offset's pairs. Returns the first pair it left. */
    private static int rows8x2(float[] in, int cIn, float[] w, int wb, int cOut, float[] out, int c, int[] groupIn, int[] groupOut, int j, int g1) {
        for (; j + 8 <= g1; j += 8) {
            int i0 = groupIn[j] * cIn, i1 = groupIn[j + 1] * cIn, i2 = groupIn[j + 2] * cIn, i3 = groupIn[j + 3] * cIn, i4 = groupIn[j + 4] * cIn, i5 = groupIn[j + 5] * cIn, i6 = groupIn[j + 6] * cIn, i7 = groupIn[j + 7] * cIn;
            int o0 = groupOut[j] * cOut + c, o1 = groupOut[j + 1] * cOut + c, o2 = groupOut[j + 2] * cOut + c, o3 = groupOut[j + 3] * cOut + c, o4 = groupOut[j + 4] * cOut + c, o5 = groupOut[j + 5] * cOut + c, o6 = groupOut[j + 6] * cOut + c, o7 = groupOut[j + 7] * cOut + c;
            FloatVector a00 = FloatVector.fromArray(S, out, o0), a01 = FloatVector.fromArray(S, out, o0 + L);
            FloatVector a10 = FloatVector.fromArray(S, out, o1), a11 = FloatVector.fromArray(S, out, o1 + L);
            FloatVector a20 = FloatVector.fromArray(S, out, o2), a21 = FloatVector.fromArray(S, out, o2 + L);
            FloatVector a30 = FloatVector.fromArray(S, out, o3), a31 = FloatVector.fromArray(S, out, o3 + L);
            FloatVector a40 = FloatVector.fromArray(S, out, o4), a41 = FloatVector.fromArray(S, out, o4 + L);
            FloatVector a50 = FloatVector.fromArray(S, out, o5), a51 = FloatVector.fromArray(S, out, o5 + L);
            FloatVector a60 = FloatVector.fromArray(S, out, o6), a61 = FloatVector.fromArray(S, out, o6 + L);
            FloatVector a70 = FloatVector.fromArray(S, out, o7), a71 = FloatVector.fromArray(S, out, o7 + L);
            for (int ci = 0, wi = wb; ci < cIn; ci++, wi += cOut) {
                FloatVector w0 = FloatVector.fromArray(S, w, wi);
                FloatVector w1 = FloatVector.fromArray(S, w, wi + L);
                FloatVector x = FloatVector.broadcast(S, in[i0 + ci]);
                a00 = w0.fma(x, a00);
                a01 = w1.fma(x, a01);
                x = FloatVector.broadcast(S, in[i1 + ci]);
                a10 = w0.fma(x, a10);
                a11 = w1.fma(x, a11);
                x = FloatVector.broadcast(S, in[i2 + ci]);
                a20 = w0.fma(x, a20);
                a21 = w1.fma(x, a21);
                x = FloatVector.broadcast(S, in[i3 + ci]);
                a30 = w0.fma(x, a30);
                a31 = w1.fma(x, a31);
                x = FloatVector.broadcast(S, in[i4 + ci]);
                a40 = w0.fma(x, a40);
                a41 = w1.fma(x, a41);
                x = FloatVector.broadcast(S, in[i5 + ci]);
                a50 = w0.fma(x, a50);
                a51 = w1.fma(x, a51);
                x = FloatVector.broadcast(S, in[i6 + ci]);
                a60 = w0.fma(x, a60);
                a61 = w1.fma(x, a61);
                x = FloatVector.broadcast(S, in[i7 + ci]);
                a70 = w0.fma(x, a70);
                a71 = w1.fma(x, a71);
            }
            a00.intoArray(out, o0);
            a01.intoArray(out, o0 + L);
            a10.intoArray(out, o1);
            a11.intoArray(out, o1 + L);
            a20.intoArray(out, o2);
            a21.intoArray(out, o2 + L);
            a30.intoArray(out, o3);
            a31.intoArray(out, o3 + L);
            a40.intoArray(out, o4);
            a41.intoArray(out, o4 + L);
            a50.intoArray(out, o5);
            a51.intoArray(out, o5 + L);
            a60.intoArray(out, o6);
            a61.intoArray(out, o6 + L);
            a70.intoArray(out, o7);
            a71.intoArray(out, o7 + L);
        }
        return j;
    }

    /** Register tile of 4 pairs x 2 vectors. Returns the first pair it left. */
    private static int rows4x2(float[] in, int cIn, float[] w, int wb, int cOut, float[] out, int c, int[] groupIn, int[] groupOut, int j, int g1) {
        for (; j + 4 <= g1; j += 4) {
            int i0 = groupIn[j] * cIn, i1 = groupIn[j + 1] * cIn, i2 = groupIn[j + 2] * cIn, i3 = groupIn[j + 3] * cIn;
            int o0 = groupOut[j] * cOut + c, o1 = groupOut[j + 1] * cOut + c, o2 = groupOut[j + 2] * cOut + c, o3 = groupOut[j + 3] * cOut + c;
            FloatVector a00 = FloatVector.fromArray(S, out, o0), a01 = FloatVector.fromArray(S, out, o0 + L);
            FloatVector a10 = FloatVector.fromArray(S, out, o1), a11 = FloatVector.fromArray(S, out, o1 + L);
            FloatVector a20 = FloatVector.fromArray(S, out, o2), a21 = FloatVector.fromArray(S, out, o2 + L);
            FloatVector a30 = FloatVector.fromArray(S, out, o3), a31 = FloatVector.fromArray(S, out, o3 + L);
            for (int ci = 0, wi = wb; ci < cIn; ci++, wi += cOut) {
                FloatVector w0 = FloatVector.fromArray(S, w, wi);
                FloatVector w1 = FloatVector.fromArray(S, w, wi + L);
                FloatVector x = FloatVector.broadcast(S, in[i0 + ci]);
                a00 = w0.fma(x, a00);
                a01 = w1.fma(x, a01);
                x = FloatVector.broadcast(S, in[i1 + ci]);
                a10 = w0.fma(x, a10);
                a11 = w1.fma(x, a11);
                x = FloatVector.broadcast(S, in[i2 + ci]);
                a20 = w0.fma(x, a20);
                a21 = w1.fma(x, a21);
                x = FloatVector.broadcast(S, in[i3 + ci]);
                a30 = w0.fma(x, a30);
                a31 = w1.fma(x, a31);
            }
            a00.intoArray(out, o0);
            a01.intoArray(out, o0 + L);
            a10.intoArray(out, o1);
            a11.intoArray(out, o1 + L);
            a20.intoArray(out, o2);
            a21.intoArray(out, o2 + L);
            a30.intoArray(out, o3);
            a31.intoArray(out, o3 + L);
        }
        return j;
    }

    /** Register tile of One pair x 2 vectors, for the last pairs of an offset. Returns the first pair it left. */
    private static int rows1x2(float[] in, int cIn, float[] w, int wb, int cOut, float[] out, int c, int[] groupIn, int[] groupOut, int j, int g1) {
        for (; j + 1 <= g1; j += 1) {
            int i0 = groupIn[j] * cIn;
            int o0 = groupOut[j] * cOut + c;
            FloatVector a00 = FloatVector.fromArray(S, out, o0), a01 = FloatVector.fromArray(S, out, o0 + L);
            for (int ci = 0, wi = wb; ci < cIn; ci++, wi += cOut) {
                FloatVector w0 = FloatVector.fromArray(S, w, wi);
                FloatVector w1 = FloatVector.fromArray(S, w, wi + L);
                FloatVector x = FloatVector.broadcast(S, in[i0 + ci]);
                a00 = w0.fma(x, a00);
                a01 = w1.fma(x, a01);
            }
            a00.intoArray(out, o0);
            a01.intoArray(out, o0 + L);
        }
        return j;
    }

    /** Register tile of 6 pairs x 4 vectors (C = 64 at 512 bits): 24 accumulators. Returns the first pair it left. */
    private static int rows6x4(float[] in, int cIn, float[] w, int wb, int cOut, float[] out, int c, int[] groupIn, int[] groupOut, int j, int g1) {
        for (; j + 6 <= g1; j += 6) {
            int i0 = groupIn[j] * cIn, i1 = groupIn[j + 1] * cIn, i2 = groupIn[j + 2] * cIn, i3 = groupIn[j + 3] * cIn, i4 = groupIn[j + 4] * cIn, i5 = groupIn[j + 5] * cIn;
            int o0 = groupOut[j] * cOut + c, o1 = groupOut[j + 1] * cOut + c, o2 = groupOut[j + 2] * cOut + c, o3 = groupOut[j + 3] * cOut + c, o4 = groupOut[j + 4] * cOut + c, o5 = groupOut[j + 5] * cOut + c;
            FloatVector a00 = FloatVector.fromArray(S, out, o0), a01 = FloatVector.fromArray(S, out, o0 + L), a02 = FloatVector.fromArray(S, out, o0 + 2 * L), a03 = FloatVector.fromArray(S, out, o0 + 3 * L);
            FloatVector a10 = FloatVector.fromArray(S, out, o1), a11 = FloatVector.fromArray(S, out, o1 + L), a12 = FloatVector.fromArray(S, out, o1 + 2 * L), a13 = FloatVector.fromArray(S, out, o1 + 3 * L);
            FloatVector a20 = FloatVector.fromArray(S, out, o2), a21 = FloatVector.fromArray(S, out, o2 + L), a22 = FloatVector.fromArray(S, out, o2 + 2 * L), a23 = FloatVector.fromArray(S, out, o2 + 3 * L);
            FloatVector a30 = FloatVector.fromArray(S, out, o3), a31 = FloatVector.fromArray(S, out, o3 + L), a32 = FloatVector.fromArray(S, out, o3 + 2 * L), a33 = FloatVector.fromArray(S, out, o3 + 3 * L);
            FloatVector a40 = FloatVector.fromArray(S, out, o4), a41 = FloatVector.fromArray(S, out, o4 + L), a42 = FloatVector.fromArray(S, out, o4 + 2 * L), a43 = FloatVector.fromArray(S, out, o4 + 3 * L);
            FloatVector a50 = FloatVector.fromArray(S, out, o5), a51 = FloatVector.fromArray(S, out, o5 + L), a52 = FloatVector.fromArray(S, out, o5 + 2 * L), a53 = FloatVector.fromArray(S, out, o5 + 3 * L);
            for (int ci = 0, wi = wb; ci < cIn; ci++, wi += cOut) {
                FloatVector w0 = FloatVector.fromArray(S, w, wi);
                FloatVector w1 = FloatVector.fromArray(S, w, wi + L);
                FloatVector w2 = FloatVector.fromArray(S, w, wi + 2 * L);
                FloatVector w3 = FloatVector.fromArray(S, w, wi + 3 * L);
                FloatVector x = FloatVector.broadcast(S, in[i0 + ci]);
                a00 = w0.fma(x, a00);
                a01 = w1.fma(x, a01);
                a02 = w2.fma(x, a02);
                a03 = w3.fma(x, a03);
                x = FloatVector.broadcast(S, in[i1 + ci]);
                a10 = w0.fma(x, a10);
                a11 = w1.fma(x, a11);
                a12 = w2.fma(x, a12);
                a13 = w3.fma(x, a13);
                x = FloatVector.broadcast(S, in[i2 + ci]);
                a20 = w0.fma(x, a20);
                a21 = w1.fma(x, a21);
                a22 = w2.fma(x, a22);
                a23 = w3.fma(x, a23);
                x = FloatVector.broadcast(S, in[i3 + ci]);
                a30 = w0.fma(x, a30);
                a31 = w1.fma(x, a31);
                a32 = w2.fma(x, a32);
                a33 = w3.fma(x, a33);
                x = FloatVector.broadcast(S, in[i4 + ci]);
                a40 = w0.fma(x, a40);
                a41 = w1.fma(x, a41);
                a42 = w2.fma(x, a42);
                a43 = w3.fma(x, a43);
                x = FloatVector.broadcast(S, in[i5 + ci]);
                a50 = w0.fma(x, a50);
                a51 = w1.fma(x, a51);
                a52 = w2.fma(x, a52);
                a53 = w3.fma(x, a53);
            }
            a00.intoArray(out, o0);
            a01.intoArray(out, o0 + L);
            a02.intoArray(out, o0 + 2 * L);
            a03.intoArray(out, o0 + 3 * L);
            a10.intoArray(out, o1);
            a11.intoArray(out, o1 + L);
            a12.intoArray(out, o1 + 2 * L);
            a13.intoArray(out, o1 + 3 * L);
            a20.intoArray(out, o2);
            a21.intoArray(out, o2 + L);
            a22.intoArray(out, o2 + 2 * L);
            a23.intoArray(out, o2 + 3 * L);
            a30.intoArray(out, o3);
            a31.intoArray(out, o3 + L);
            a32.intoArray(out, o3 + 2 * L);
            a33.intoArray(out, o3 + 3 * L);
            a40.intoArray(out, o4);
            a41.intoArray(out, o4 + L);
            a42.intoArray(out, o4 + 2 * L);
            a43.intoArray(out, o4 + 3 * L);
            a50.intoArray(out, o5);
            a51.intoArray(out, o5 + L);
            a52.intoArray(out, o5 + 2 * L);
            a53.intoArray(out, o5 + 3 * L);
        }
        return j;
    }

    /** Register tile of 4 pairs x 4 vectors. Returns the first pair it left. */
    private static int rows4x4(float[] in, int cIn, float[] w, int wb, int cOut, float[] out, int c, int[] groupIn, int[] groupOut, int j, int g1) {
        for (; j + 4 <= g1; j += 4) {
            int i0 = groupIn[j] * cIn, i1 = groupIn[j + 1] * cIn, i2 = groupIn[j + 2] * cIn, i3 = groupIn[j + 3] * cIn;
            int o0 = groupOut[j] * cOut + c, o1 = groupOut[j + 1] * cOut + c, o2 = groupOut[j + 2] * cOut + c, o3 = groupOut[j + 3] * cOut + c;
            FloatVector a00 = FloatVector.fromArray(S, out, o0), a01 = FloatVector.fromArray(S, out, o0 + L), a02 = FloatVector.fromArray(S, out, o0 + 2 * L), a03 = FloatVector.fromArray(S, out, o0 + 3 * L);
            FloatVector a10 = FloatVector.fromArray(S, out, o1), a11 = FloatVector.fromArray(S, out, o1 + L), a12 = FloatVector.fromArray(S, out, o1 + 2 * L), a13 = FloatVector.fromArray(S, out, o1 + 3 * L);
            FloatVector a20 = FloatVector.fromArray(S, out, o2), a21 = FloatVector.fromArray(S, out, o2 + L), a22 = FloatVector.fromArray(S, out, o2 + 2 * L), a23 = FloatVector.fromArray(S, out, o2 + 3 * L);
            FloatVector a30 = FloatVector.fromArray(S, out, o3), a31 = FloatVector.fromArray(S, out, o3 + L), a32 = FloatVector.fromArray(S, out, o3 + 2 * L), a33 = FloatVector.fromArray(S, out, o3 + 3 * L);
            for (int ci = 0, wi = wb; ci < cIn; ci++, wi += cOut) {
                FloatVector w0 = FloatVector.fromArray(S, w, wi);
                FloatVector w1 = FloatVector.fromArray(S, w, wi + L);
                FloatVector w2 = FloatVector.fromArray(S, w, wi + 2 * L);
                FloatVector w3 = FloatVector.fromArray(S, w, wi + 3 * L);
                FloatVector x = FloatVector.broadcast(S, in[i0 + ci]);
                a00 = w0.fma(x, a00);
                a01 = w1.fma(x, a01);
                a02 = w2.fma(x, a02);
                a03 = w3.fma(x, a03);
                x = FloatVector.broadcast(S, in[i1 + ci]);
                a10 = w0.fma(x, a10);
                a11 = w1.fma(x, a11);
                a12 = w2.fma(x, a12);
                a13 = w3.fma(x, a13);
                x = FloatVector.broadcast(S, in[i2 + ci]);
                a20 = w0.fma(x, a20);
                a21 = w1.fma(x, a21);
                a22 = w2.fma(x, a22);
                a23 = w3.fma(x, a23);
                x = FloatVector.broadcast(S, in[i3 + ci]);
                a30 = w0.fma(x, a30);
                a31 = w1.fma(x, a31);
                a32 = w2.fma(x, a32);
                a33 = w3.fma(x, a33);
            }
            a00.intoArray(out, o0);
            a01.intoArray(out, o0 + L);
            a02.intoArray(out, o0 + 2 * L);
            a03.intoArray(out, o0 + 3 * L);
            a10.intoArray(out, o1);
            a11.intoArray(out, o1 + L);
            a12.intoArray(out, o1 + 2 * L);
            a13.intoArray(out, o1 + 3 * L);
            a20.intoArray(out, o2);
            a21.intoArray(out, o2 + L);
            a22.intoArray(out, o2 + 2 * L);
            a23.intoArray(out, o2 + 3 * L);
            a30.intoArray(out, o3);
            a31.intoArray(out, o3 + L);
            a32.intoArray(out, o3 + 2 * L);
            a33.intoArray(out, o3 + 3 * L);
        }
        return j;
    }

    /** Register tile of 2 pairs x 4 vectors. Returns the first pair it left. */
    private static int rows2x4(float[] in, int cIn, float[] w, int wb, int cOut, float[] out, int c, int[] groupIn, int[] groupOut, int j, int g1) {
        for (; j + 2 <= g1; j += 2) {
            int i0 = groupIn[j] * cIn, i1 = groupIn[j + 1] * cIn;
            int o0 = groupOut[j] * cOut + c, o1 = groupOut[j + 1] * cOut + c;
            FloatVector a00 = FloatVector.fromArray(S, out, o0), a01 = FloatVector.fromArray(S, out, o0 + L), a02 = FloatVector.fromArray(S, out, o0 + 2 * L), a03 = FloatVector.fromArray(S, out, o0 + 3 * L);
            FloatVector a10 = FloatVector.fromArray(S, out, o1), a11 = FloatVector.fromArray(S, out, o1 + L), a12 = FloatVector.fromArray(S, out, o1 + 2 * L), a13 = FloatVector.fromArray(S, out, o1 + 3 * L);
            for (int ci = 0, wi = wb; ci < cIn; ci++, wi += cOut) {
                FloatVector w0 = FloatVector.fromArray(S, w, wi);
                FloatVector w1 = FloatVector.fromArray(S, w, wi + L);
                FloatVector w2 = FloatVector.fromArray(S, w, wi + 2 * L);
                FloatVector w3 = FloatVector.fromArray(S, w, wi + 3 * L);
                FloatVector x = FloatVector.broadcast(S, in[i0 + ci]);
                a00 = w0.fma(x, a00);
                a01 = w1.fma(x, a01);
                a02 = w2.fma(x, a02);
                a03 = w3.fma(x, a03);
                x = FloatVector.broadcast(S, in[i1 + ci]);
                a10 = w0.fma(x, a10);
                a11 = w1.fma(x, a11);
                a12 = w2.fma(x, a12);
                a13 = w3.fma(x, a13);
            }
            a00.intoArray(out, o0);
            a01.intoArray(out, o0 + L);
            a02.intoArray(out, o0 + 2 * L);
            a03.intoArray(out, o0 + 3 * L);
            a10.intoArray(out, o1);
            a11.intoArray(out, o1 + L);
            a12.intoArray(out, o1 + 2 * L);
            a13.intoArray(out, o1 + 3 * L);
        }
        return j;
    }

    /** Register tile of One pair x 4 vectors. Returns the first pair it left. */
    private static int rows1x4(float[] in, int cIn, float[] w, int wb, int cOut, float[] out, int c, int[] groupIn, int[] groupOut, int j, int g1) {
        for (; j + 1 <= g1; j += 1) {
            int i0 = groupIn[j] * cIn;
            int o0 = groupOut[j] * cOut + c;
            FloatVector a00 = FloatVector.fromArray(S, out, o0), a01 = FloatVector.fromArray(S, out, o0 + L), a02 = FloatVector.fromArray(S, out, o0 + 2 * L), a03 = FloatVector.fromArray(S, out, o0 + 3 * L);
            for (int ci = 0, wi = wb; ci < cIn; ci++, wi += cOut) {
                FloatVector w0 = FloatVector.fromArray(S, w, wi);
                FloatVector w1 = FloatVector.fromArray(S, w, wi + L);
                FloatVector w2 = FloatVector.fromArray(S, w, wi + 2 * L);
                FloatVector w3 = FloatVector.fromArray(S, w, wi + 3 * L);
                FloatVector x = FloatVector.broadcast(S, in[i0 + ci]);
                a00 = w0.fma(x, a00);
                a01 = w1.fma(x, a01);
                a02 = w2.fma(x, a02);
                a03 = w3.fma(x, a03);
            }
            a00.intoArray(out, o0);
            a01.intoArray(out, o0 + L);
            a02.intoArray(out, o0 + 2 * L);
            a03.intoArray(out, o0 + 3 * L);
        }
        return j;
    }

    /** As {@link #rows4x2} for the last {@code <= L} output channels, one pair at a time. */
    private static void oneMaskedColumn(float[] in, int cIn, float[] w, int wb, int cOut, float[] out, int c, VectorMask<Float> m,
                                        int[] groupIn, int[] groupOut, int g0, int g1) {
        for (int j = g0; j < g1; j++) {
            int i0 = groupIn[j] * cIn;
            int o0 = groupOut[j] * cOut + c;
            FloatVector a = FloatVector.fromArray(S, out, o0, m);
            for (int ci = 0, wi = wb; ci < cIn; ci++, wi += cOut) {
                a = FloatVector.fromArray(S, w, wi, m).fma(FloatVector.broadcast(S, in[i0 + ci]), a);
            }
            a.intoArray(out, o0, m);
        }
    }
}
