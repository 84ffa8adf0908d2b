package io.minkstream.engine.backend;

import io.minkstream.engine.coords.KernelMap;
import io.minkstream.engine.coords.KernelMapBuilder;

/**
 * The compute interface every operation runs through. Features are row-major {@code rows x
 * channels} float arrays; weights follow MinkowskiEngine's {@code kernel[K][Cin][Cout]} layout.
 * Every method overwrites its output array.
 */
public interface Backend extends AutoCloseable {

    String name();

    /** Builds kernel maps for coordinate managers that use this backend. */
    KernelMapBuilder kernelMapBuilder();

    /**
     * {@code out[o] = bias + sum over pairs (k, i, o) of in[i] . weights[k]}, with
     * {@code weights} of length {@code K * cIn * cOut} and {@code bias} null or of length cOut.
     */
    void convolution(float[] in, int cIn, float[] weights, int cOut, float[] bias, KernelMap map, float[] out);

    /** Depthwise: {@code out[o][c] = bias[c] + sum over pairs of in[i][c] * weights[k][c]}. */
    void channelwiseConvolution(float[] in, int channels, float[] weights, float[] bias, KernelMap map, float[] out);

    /** Max, average or sum over each output's pairs; an output without pairs gets zeros. */
    void pooling(PoolMode mode, float[] in, int channels, KernelMap map, float[] out);

    /**
     * {@code out[r][c] = act(x[r][c] * scale[c] + shift[c])}; scale/shift may be null (1 and 0).
     * Batch norm in inference mode folds into scale and shift.
     */
    void scaleShiftActivate(float[] x, int channels, float[] scale, float[] shift, Activation activation, float[] out);

    @Override
    void close();
}
