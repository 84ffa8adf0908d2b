package io.minkstream.engine.nn;

import io.minkstream.engine.backend.Backend;
import io.minkstream.engine.coords.KernelRegion;
import io.minkstream.engine.ops.Convolution;
import io.minkstream.engine.tensor.SparseTensor;
import java.util.Arrays;

/**
 * A convolution of any of MinkowskiEngine's kinds with its weights: {@code kernel[K][Cin][Cout]}
 * ({@code [K][C]} for channelwise) and an optional bias.
 */
public final class ConvolutionLayer implements Layer {

    public enum Kind { CONVOLUTION, TRANSPOSED, GENERATIVE_TRANSPOSED, CHANNELWISE }

    private final Kind kind;
    private final KernelRegion region;
    private final int[] stride;
    private final int inChannels;
    private final int outChannels;
    private final float[] weights;
    private final float[] bias;

    public ConvolutionLayer(Kind kind, KernelRegion region, int[] stride, int inChannels, int outChannels, float[] weights, float[] bias) {
        if (stride.length != region.dimension()) {
            throw new IllegalArgumentException("stride " + Arrays.toString(stride) + " has " + stride.length + " axes, region has " + region.dimension());
        }
        if (kind == Kind.CHANNELWISE && inChannels != outChannels) {
            throw new IllegalArgumentException("channelwise convolution needs in = out channels, got " + inChannels + " -> " + outChannels);
        }
        long expected = kind == Kind.CHANNELWISE ? (long) region.volume() * inChannels : (long) region.volume() * inChannels * outChannels;
        if (weights.length != expected) {
            throw new IllegalArgumentException("kernel has " + weights.length + " values, expected " + expected + " ("
                    + (kind == Kind.CHANNELWISE ? "[" + region.volume() + "][" + inChannels + "]" : "[" + region.volume() + "][" + inChannels + "][" + outChannels + "]") + ")");
        }
        if (bias != null && bias.length != outChannels) {
            throw new IllegalArgumentException("bias has " + bias.length + " values, expected " + outChannels);
        }
        this.kind = kind;
        this.region = region;
        this.stride = stride.clone();
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.weights = weights;
        this.bias = bias;
    }

    @Override
    public SparseTensor forward(SparseTensor x, Backend backend) {
        if (x.channels() != inChannels) {
            throw new IllegalArgumentException("convolution expects " + inChannels + " input channels, tensor has " + x.channels());
        }
        return switch (kind) {
            case CONVOLUTION -> Convolution.convolution(x, weights, outChannels, bias, region, stride, backend);
            case TRANSPOSED -> Convolution.transposed(x, weights, outChannels, bias, region, stride, false, backend);
            case GENERATIVE_TRANSPOSED -> Convolution.transposed(x, weights, outChannels, bias, region, stride, true, backend);
            case CHANNELWISE -> Convolution.channelwise(x, weights, bias, region, stride, backend);
        };
    }

    public Kind kind() {
        return kind;
    }

    public KernelRegion region() {
        return region;
    }

    public int[] stride() {
        return stride.clone();
    }

    /** The kernel, {@code [K][Cin][Cout]} ({@code [K][C]} for channelwise). Shared, do not modify. */
    public float[] weights() {
        return weights;
    }

    /** The bias, or null. Shared, do not modify. */
    public float[] bias() {
        return bias;
    }

    @Override
    public int inChannels() {
        return inChannels;
    }

    @Override
    public int outChannels(int in) {
        return outChannels;
    }
}
