package io.minkstream.engine.backend;

import io.minkstream.engine.coords.KernelMap;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Output-stationary convolution with the Vector API. Output channels are processed in blocks of
 * four 256-bit vectors (32 floats) held in registers while all pairs of the row stream past: per
 * input channel one broadcast feeds four FMAs against one weight row, which is what keeps the
 * loop near the FMA ports instead of the load ports. Remaining channels go one vector at a time,
 * and a masked vector covers the tail. The three loops differ only in block width; unrolled by
 * hand because C2 keeps vectors in registers only as named locals.
 */
final class VectorConvolutionKernel implements ConvolutionKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
    private static final int L = S.length();

    @Override
    public void convolve(float[] in, int cIn, float[] w, int cOut, float[] bias, KernelMap map, float[] out, int from, int to) {
        int[] start = map.outStart();
        int[] ks = map.kernelIndex();
        int[] rows = map.inRow();
        int kStride = cIn * cOut;
        for (int o = from; o < to; o++) {
            int p0 = start[o];
            int p1 = start[o + 1];
            int ob = o * cOut;
            int c = 0;
            for (; c + 4 * L <= cOut; c += 4 * L) {
                FloatVector a0 = init(bias, c), a1 = init(bias, c + L), a2 = init(bias, c + 2 * L), a3 = init(bias, c + 3 * L);
                for (int p = p0; p < p1; p++) {
                    int ib = rows[p] * cIn;
                    int wb = ks[p] * kStride + c;
                    for (int ci = 0; ci < cIn; ci++, wb += cOut) {
                        FloatVector x = FloatVector.broadcast(S, in[ib + ci]);
                        a0 = FloatVector.fromArray(S, w, wb).fma(x, a0);
                        a1 = FloatVector.fromArray(S, w, wb + L).fma(x, a1);
                        a2 = FloatVector.fromArray(S, w, wb + 2 * L).fma(x, a2);
                        a3 = FloatVector.fromArray(S, w, wb + 3 * L).fma(x, a3);
                    }
                }
                a0.intoArray(out, ob + c);
                a1.intoArray(out, ob + c + L);
                a2.intoArray(out, ob + c + 2 * L);
                a3.intoArray(out, ob + c + 3 * L);
            }
            for (; c + L <= cOut; c += L) {
                FloatVector a0 = init(bias, c);
                for (int p = p0; p < p1; p++) {
                    int ib = rows[p] * cIn;
                    int wb = ks[p] * kStride + c;
                    for (int ci = 0; ci < cIn; ci++, wb += cOut) {
                        a0 = FloatVector.fromArray(S, w, wb).fma(FloatVector.broadcast(S, in[ib + ci]), a0);
                    }
                }
                a0.intoArray(out, ob + c);
            }
            if (c < cOut) {
                VectorMask<Float> m = S.indexInRange(c, cOut);
                FloatVector a0 = bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, c, m);
                for (int p = p0; p < p1; p++) {
                    int ib = rows[p] * cIn;
                    int wb = ks[p] * kStride + c;
                    for (int ci = 0; ci < cIn; ci++, wb += cOut) {
                        a0 = FloatVector.fromArray(S, w, wb, m).fma(FloatVector.broadcast(S, in[ib + ci]), a0);
                    }
                }
                a0.intoArray(out, ob + c, m);
            }
        }
    }

    private static FloatVector init(float[] bias, int c) {
        return bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, c);
    }
}
