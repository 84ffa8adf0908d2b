package io.minkstream.engine.ops;

import io.minkstream.engine.backend.Activation;
import io.minkstream.engine.backend.Backend;
import io.minkstream.engine.coords.CoordinateKey;
import io.minkstream.engine.coords.KernelMap;
import io.minkstream.engine.tensor.SparseTensor;

/** Batch norm in inference mode, instance norm, and pointwise activations. */
public final class Normalization {
    private Normalization() {
    }

    /**
     * {@code y = (x - mean) / sqrt(var + eps) * gamma + beta} per channel, folded into one scale
     * and shift, then {@code activation} (pass {@link Activation#IDENTITY} for none).
     */
    public static SparseTensor batchNorm(SparseTensor x, float[] gamma, float[] beta, float[] runningMean, float[] runningVar, float eps,
                                         Activation activation, Backend backend) {
        int c = x.channels();
        check("weight", gamma, c);
        check("bias", beta, c);
        check("running_mean", runningMean, c);
        check("running_var", runningVar, c);
        float[] scale = new float[c];
        float[] shift = new float[c];
        for (int i = 0; i < c; i++) {
            if (!(runningVar[i] + eps > 0f)) {
                throw new IllegalArgumentException("batch norm running_var[" + i + "] + eps = " + (runningVar[i] + eps) + " must be positive");
            }
            scale[i] = (float) (gamma[i] / Math.sqrt(runningVar[i] + (double) eps));
            shift[i] = beta[i] - runningMean[i] * scale[i];
        }
        float[] y = new float[x.features().length];
        backend.scaleShiftActivate(x.features(), c, scale, shift, activation, y);
        return x.withFeatures(y, c);
    }

    public static SparseTensor activate(SparseTensor x, Activation activation, Backend backend) {
        float[] y = new float[x.features().length];
        backend.scaleShiftActivate(x.features(), x.channels(), null, null, activation, y);
        return x.withFeatures(y, x.channels());
    }

    /**
     * {@code MinkowskiInstanceNorm}: each batch index' rows normalised per channel to zero mean and
     * unit (biased) variance, then {@code * gamma + beta} (null for 1 and 0).
     */
    public static SparseTensor instanceNorm(SparseTensor x, float[] gamma, float[] beta, float eps) {
        int c = x.channels();
        if (gamma != null) check("weight", gamma, c);
        if (beta != null) check("bias", beta, c);
        CoordinateKey g = x.manager().global(x.key());
        KernelMap byBatch = x.manager().globalMap(x.key(), g);
        int[] start = byBatch.outStart();
        int[] rows = byBatch.inRow();
        float[] f = x.features();
        float[] y = new float[f.length];
        for (int b = 0; b < byBatch.outSize(); b++) {
            int n = start[b + 1] - start[b];
            for (int ch = 0; ch < c; ch++) {
                double sum = 0;
                double sq = 0;
                for (int p = start[b]; p < start[b + 1]; p++) {
                    double v = f[rows[p] * c + ch];
                    sum += v;
                    sq += v * v;
                }
                double mean = sum / n;
                double inv = 1.0 / Math.sqrt(Math.max(0.0, sq / n - mean * mean) + eps);
                float gm = gamma == null ? 1f : gamma[ch];
                float bt = beta == null ? 0f : beta[ch];
                for (int p = start[b]; p < start[b + 1]; p++) {
                    int i = rows[p] * c + ch;
                    y[i] = (float) ((f[i] - mean) * inv) * gm + bt;
                }
            }
        }
        return x.withFeatures(y, c);
    }

    private static void check(String name, float[] v, int c) {
        if (v == null || v.length != c) {
            throw new IllegalArgumentException("normalization " + name + " has " + (v == null ? "no" : v.length) + " values, expected " + c);
        }
    }
}
