package io.minkstream.engine.ops;

import io.minkstream.engine.coords.KernelMap;
import io.minkstream.engine.tensor.SparseTensor;

/**
 * {@code MinkowskiBroadcastAddition} / {@code MinkowskiBroadcastMultiplication}: combines every row
 * with the global feature of its batch index (the output of global pooling on the same manager).
 */
public final class Broadcast {
    private Broadcast() {
    }

    public static SparseTensor add(SparseTensor x, SparseTensor global) {
        return apply(x, global, false);
    }

    public static SparseTensor multiply(SparseTensor x, SparseTensor global) {
        return apply(x, global, true);
    }

    private static SparseTensor apply(SparseTensor x, SparseTensor global, boolean multiply) {
        int c = x.channels();
        if (global.channels() != c || global.manager() != x.manager()) {
            throw new IllegalArgumentException("broadcast needs a global tensor of the same manager and " + c + " channels, got " + global);
        }
        KernelMap byBatch = x.manager().globalMap(x.key(), global.key());
        int[] start = byBatch.outStart();
        int[] rows = byBatch.inRow();
        float[] f = x.features();
        float[] g = global.features();
        float[] y = new float[f.length];
        for (int b = 0; b < byBatch.outSize(); b++) {
            for (int p = start[b]; p < start[b + 1]; p++) {
                int i = rows[p] * c;
                for (int ch = 0; ch < c; ch++) y[i + ch] = multiply ? f[i + ch] * g[b * c + ch] : f[i + ch] + g[b * c + ch];
            }
        }
        return x.withFeatures(y, c);
    }
}
