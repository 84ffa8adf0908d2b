package io.minkstream.engine.ops;

import io.minkstream.engine.backend.Backend;
import io.minkstream.engine.coords.CoordinateKey;
import io.minkstream.engine.coords.CoordinateManager;
import io.minkstream.engine.coords.KernelMap;
import io.minkstream.engine.coords.KernelRegion;
import io.minkstream.engine.tensor.SparseTensor;
import java.util.Arrays;

/**
 * Generalized sparse convolutions with MinkowskiEngine's semantics: ordinary (strided) and
 * transposed convolution, generative transposed convolution, and channelwise convolution.
 * Weights are {@code kernel[K][Cin][Cout]} (channelwise: {@code [K][C]}), bias {@code [Cout]} or null.
 */
public final class Convolution {
    private Convolution() {
    }

    /**
     * {@code MinkowskiConvolution}: output coordinates are the input's (stride 1) or
     * {@code unique(floor(c / ts_out) * ts_out)}; output o gathers input {@code o + offset_k}.
     */
    public static SparseTensor convolution(SparseTensor x, float[] weights, int cOut, float[] bias, KernelRegion region, int[] stride, Backend backend) {
        checkShapes(x, weights, region.volume() * (long) x.channels() * cOut, "[" + region.volume() + "][" + x.channels() + "][" + cOut + "]", bias, cOut, region);
        CoordinateManager m = x.manager();
        CoordinateKey out = m.stride(x.key(), stride);
        KernelMap map = m.kernelMap(x.key(), out, region, false);
        float[] y = new float[map.outSize() * cOut];
        backend.convolution(x.features(), x.channels(), weights, cOut, bias, map, y);
        return SparseTensor.onMap(m, out, y, cOut);
    }

    /**
     * {@code MinkowskiConvolutionTranspose}: lands on the existing map of tensor stride
     * {@code ts_in / stride} when the manager has one (a U-Net decoder returning to its encoder's
     * coordinates), else generates {@code in + offset_k}; {@code generate} forces the latter
     * ({@code MinkowskiGenerativeConvolutionTranspose}). Output o gathers input {@code o - offset_k}.
     */
    public static SparseTensor transposed(SparseTensor x, float[] weights, int cOut, float[] bias, KernelRegion region, int[] stride,
                                          boolean generate, Backend backend) {
        checkShapes(x, weights, region.volume() * (long) x.channels() * cOut, "[" + region.volume() + "][" + x.channels() + "][" + cOut + "]", bias, cOut, region);
        CoordinateManager m = x.manager();
        CoordinateKey out = m.transposed(x.key(), stride, region, generate);
        KernelMap map = m.kernelMap(x.key(), out, region, true);
        float[] y = new float[map.outSize() * cOut];
        backend.convolution(x.features(), x.channels(), weights, cOut, bias, map, y);
        return SparseTensor.onMap(m, out, y, cOut);
    }

    /** {@code MinkowskiChannelwiseConvolution}: per-channel weights, no channel mixing. */
    public static SparseTensor channelwise(SparseTensor x, float[] weights, float[] bias, KernelRegion region, int[] stride, Backend backend) {
        int c = x.channels();
        checkShapes(x, weights, region.volume() * (long) c, "[" + region.volume() + "][" + c + "]", bias, c, region);
        CoordinateManager m = x.manager();
        CoordinateKey out = m.stride(x.key(), stride);
        KernelMap map = m.kernelMap(x.key(), out, region, false);
        float[] y = new float[map.outSize() * c];
        backend.channelwiseConvolution(x.features(), c, weights, bias, map, y);
        return SparseTensor.onMap(m, out, y, c);
    }

    /** A 1x1 convolution (MinkowskiLinear): {@code y = x . W + b}, W of shape {@code [Cin][Cout]}. */
    public static SparseTensor linear(SparseTensor x, float[] weights, int cOut, float[] bias, Backend backend) {
        if (weights.length != (long) x.channels() * cOut) {
            throw new IllegalArgumentException("linear weights have " + weights.length + " values, expected [" + x.channels() + "][" + cOut + "]");
        }
        checkBias(bias, cOut);
        float[] y = new float[x.size() * cOut];
        backend.convolution(x.features(), x.channels(), weights, cOut, bias, KernelMap.identity(x.size()), y);
        return x.withFeatures(y, cOut);
    }

    private static void checkShapes(SparseTensor x, float[] weights, long expected, String shape, float[] bias, int cOut, KernelRegion region) {
        if (region.dimension() != x.dimension()) {
            throw new IllegalArgumentException("kernel region " + region + " has dimension " + region.dimension() + ", tensor has " + x.dimension());
        }
        if (weights.length != expected) {
            throw new IllegalArgumentException("kernel has " + weights.length + " values, expected " + shape + " = " + expected
                    + " for region " + region + " and " + x.channels() + " input channels");
        }
        checkBias(bias, cOut);
    }

    private static void checkBias(float[] bias, int cOut) {
        if (bias != null && bias.length != cOut) {
            throw new IllegalArgumentException("bias has " + bias.length + " values, expected " + cOut);
        }
    }

    static int[] ones(int d) {
        int[] a = new int[d];
        Arrays.fill(a, 1);
        return a;
    }
}
