package io.minkstream.engine.nn;

import io.minkstream.engine.backend.Backend;
import io.minkstream.engine.ops.Convolution;
import io.minkstream.engine.tensor.SparseTensor;

/** {@code MinkowskiLinear}: {@code y = x . W + b} per row, W of shape {@code [Cin][Cout]}. */
public final class LinearLayer implements Layer {
    private final int inChannels;
    private final int outChannels;
    private final float[] weights;
    private final float[] bias;

    public LinearLayer(int inChannels, int outChannels, float[] weights, float[] bias) {
        if (weights.length != (long) inChannels * outChannels) {
            throw new IllegalArgumentException("linear weights have " + weights.length + " values, expected [" + inChannels + "][" + outChannels + "]");
        }
        if (bias != null && bias.length != outChannels) throw new IllegalArgumentException("bias has " + bias.length + " values, expected " + outChannels);
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.weights = weights;
        this.bias = bias;
    }

    @Override
    public SparseTensor forward(SparseTensor x, Backend backend) {
        if (x.channels() != inChannels) throw new IllegalArgumentException("linear expects " + inChannels + " input channels, tensor has " + x.channels());
        return Convolution.linear(x, weights, outChannels, bias, backend);
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
