package io.minkstream.engine.backend;

import static org.assertj.core.api.Assertions.assertThat;

import io.minkstream.engine.coords.KernelMap;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Both convolution dataflows (the Vector API tiles and the scalar fallback) on random kernel maps
 * built by hand, against a double-precision gather-multiply-accumulate written here. Output counts
 * span several 512-row tiles and the channel counts reach every register-tile width and the masked
 * tail, for 256- and 512-bit vectors alike.
 */
class ConvolutionKernelTest {

    /** A random CSR map: each output row takes a random ascending subset of the K offsets, each from a random input row. */
    static KernelMap randomMap(Random rnd, int kernelVolume, int inSize, int outSize, double density) {
        int[] start = new int[outSize + 1];
        int[] ks = new int[outSize * kernelVolume];
        int[] rows = new int[ks.length];
        int n = 0;
        for (int o = 0; o < outSize; o++) {
            // a few rows without any pair (an output whose window is empty)
            if (o % 97 != 5) {
                for (int k = 0; k < kernelVolume; k++) {
                    if (rnd.nextDouble() < density) {
                        ks[n] = k;
                        rows[n++] = rnd.nextInt(inSize);
                    }
                }
            }
            start[o + 1] = n;
        }
        return new KernelMap(kernelVolume, inSize, outSize, start, java.util.Arrays.copyOf(ks, n), java.util.Arrays.copyOf(rows, n));
    }

    static float[] values(Random rnd, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = rnd.nextFloat() * 2f - 1f;
        return v;
    }

    private static void check(String what, ConvolutionKernel kernel, float[] in, int cIn, float[] w, int cOut, float[] bias, KernelMap map) {
        float[] out = new float[map.outSize() * cOut];
        java.util.Arrays.fill(out, Float.NaN); // every output value must be written
        kernel.convolve(in, cIn, w, cOut, bias, map, out, 0, map.outSize());
        int[] start = map.outStart();
        int bad = 0;
        StringBuilder msg = new StringBuilder();
        for (int o = 0; o < map.outSize(); o++) {
            for (int co = 0; co < cOut; co++) {
                double ref = bias == null ? 0 : bias[co];
                for (int p = start[o]; p < start[o + 1]; p++) {
                    for (int ci = 0; ci < cIn; ci++) {
                        ref += (double) in[map.inRow()[p] * cIn + ci] * w[(map.kernelIndex()[p] * cIn + ci) * cOut + co];
                    }
                }
                double got = out[o * cOut + co];
                if (!(Math.abs(got - ref) <= 1e-4 + 1e-4 * Math.abs(ref)) && bad++ < 5) {
                    msg.append(String.format("%n  row %d channel %d: kernel %.7g, reference %.7g", o, co, got, ref));
                }
            }
        }
        if (bad > 0) throw new AssertionError(what + ": " + bad + " values differ" + msg);
    }

    @ParameterizedTest(name = "Cin={0} Cout={1}")
    @CsvSource({"1,1", "3,5", "7,8", "16,16", "5,17", "8,32", "4,33", "6,48", "2,64", "3,70", "9,100"})
    void vectorAndScalarKernelsMatchTheReference(int cIn, int cOut) {
        assertThat(ModuleLayer.boot().findModule("jdk.incubator.vector")).as("tests run with the Vector API module").isPresent();
        Random rnd = new Random(31L * cIn + cOut);
        int k = 27;
        KernelMap map = randomMap(rnd, k, 900, 1300, 0.3);
        float[] in = values(rnd, 900 * cIn);
        float[] w = values(rnd, k * cIn * cOut);
        float[] bias = values(rnd, cOut);
        check("vector, bias", new VectorConvolutionKernel(), in, cIn, w, cOut, bias, map);
        check("vector, no bias", new VectorConvolutionKernel(), in, cIn, w, cOut, null, map);
        check("scalar, bias", new ScalarConvolutionKernel(), in, cIn, w, cOut, bias, map);
    }

    @ParameterizedTest(name = "Cout={0}")
    @CsvSource({"5", "32", "70"})
    void splittingTheOutputRowsAnywhereGivesBitwiseTheSameResult(int cOut) {
        Random rnd = new Random(cOut);
        int cIn = 6;
        KernelMap map = randomMap(rnd, 27, 700, 1500, 0.35);
        float[] in = values(rnd, 700 * cIn);
        float[] w = values(rnd, 27 * cIn * cOut);
        VectorConvolutionKernel kernel = new VectorConvolutionKernel();
        float[] whole = new float[1500 * cOut];
        kernel.convolve(in, cIn, w, cOut, null, map, whole, 0, 1500);
        float[] pieces = new float[1500 * cOut];
        int[] cuts = {0, 1, 9, 513, 700, 1024, 1499, 1500};
        for (int i = 0; i + 1 < cuts.length; i++) kernel.convolve(in, cIn, w, cOut, null, map, pieces, cuts[i], cuts[i + 1]);
        for (int i = 0; i < whole.length; i++) {
            if (Float.floatToRawIntBits(whole[i]) != Float.floatToRawIntBits(pieces[i])) {
                throw new AssertionError("value " + i + " (row " + i / cOut + ") differs: whole " + whole[i] + ", pieces " + pieces[i]);
            }
        }
    }
}
