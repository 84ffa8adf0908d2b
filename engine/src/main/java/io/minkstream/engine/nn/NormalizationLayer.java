package io.minkstream.engine.nn;

import io.minkstream.engine.backend.Activation;
import io.minkstream.engine.backend.Backend;
import io.minkstream.engine.ops.Normalization;
import io.minkstream.engine.tensor.SparseTensor;

/**
 * Batch norm (inference, running statistics) or instance norm, optionally fused with the
 * activation that follows it.
 */
public final class NormalizationLayer implements Layer {
    private final boolean instance;
    private final float[] gamma;
    private final float[] beta;
    private final float[] runningMean;
    private final float[] runningVar;
    private final float eps;
    private final Activation activation;

    private NormalizationLayer(boolean instance, float[] gamma, float[] beta, float[] runningMean, float[] runningVar, float eps, Activation activation) {
        if (!(eps >= 0f)) throw new IllegalArgumentException("eps must be >= 0, got " + eps);
        this.instance = instance;
        this.gamma = gamma;
        this.beta = beta;
        this.runningMean = runningMean;
        this.runningVar = runningVar;
        this.eps = eps;
        this.activation = activation;
    }

    public static NormalizationLayer batchNorm(float[] gamma, float[] beta, float[] runningMean, float[] runningVar, float eps, Activation activation) {
        return new NormalizationLayer(false, gamma, beta, runningMean, runningVar, eps, activation);
    }

    public static NormalizationLayer instanceNorm(float[] gamma, float[] beta, float eps) {
        return new NormalizationLayer(true, gamma, beta, null, null, eps, Activation.IDENTITY);
    }

    /** This layer with {@code next} applied after it in the same pass. */
    public NormalizationLayer fusedWith(Activation next) {
        if (instance || activation.kind() != Activation.Kind.IDENTITY) throw new IllegalStateException("only a plain batch norm can absorb an activation");
        return new NormalizationLayer(false, gamma, beta, runningMean, runningVar, eps, next);
    }

    @Override
    public int inChannels() {
        return gamma == null ? -1 : gamma.length;
    }

    @Override
    public SparseTensor forward(SparseTensor x, Backend backend) {
        return instance ? Normalization.instanceNorm(x, gamma, beta, eps)
                : Normalization.batchNorm(x, gamma, beta, runningMean, runningVar, eps, activation, backend);
    }
}
