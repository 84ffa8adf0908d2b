package io.minkstream.engine.backend;

import io.minkstream.engine.coords.KernelMap;

/** Plain-Java fallback of {@link VectorConvolutionKernel}, for JVMs without the Vector API module. */
final class ScalarConvolutionKernel implements ConvolutionKernel {

    @Override
    public void convolve(float[] in, int cIn, float[] w, int cOut, float[] bias, KernelMap map, float[] out, int from, int to) {
        int[] start = map.outStart();
        int[] ks = map.kernelIndex();
        int[] rows = map.inRow();
        int kStride = cIn * cOut;
        float[] acc = new float[cOut];
        for (int o = from; o < to; o++) {
            if (bias == null) {
                java.util.Arrays.fill(acc, 0f);
            } else {
                System.arraycopy(bias, 0, acc, 0, cOut);
            }
            for (int p = start[o]; p < start[o + 1]; p++) {
                int ib = rows[p] * cIn;
                int wb = ks[p] * kStride;
                for (int ci = 0; ci < cIn; ci++, wb += cOut) {
                    float x = in[ib + ci];
                    for (int co = 0; co < cOut; co++) acc[co] += x * w[wb + co];
                }
            }
            System.arraycopy(acc, 0, out, o * cOut, cOut);
        }
    }
}
