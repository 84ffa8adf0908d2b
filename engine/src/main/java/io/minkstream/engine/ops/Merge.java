package io.minkstream.engine.ops;

import io.minkstream.engine.coords.CoordinateKey;
import io.minkstream.engine.coords.CoordinateManager;
import io.minkstream.engine.coords.CoordinateMap;
import io.minkstream.engine.tensor.SparseTensor;

/** Concatenation of features on shared coordinates (U-Net skips) and union of coordinate sets. */
public final class Merge {
    private Merge() {
    }

    /** {@code MinkowskiConcatenation}: channels of all tensors side by side; coordinates must be the same map. */
    public static SparseTensor concatenate(SparseTensor... xs) {
        SparseTensor first = xs[0];
        int total = 0;
        for (SparseTensor x : xs) {
            if (x.manager() != first.manager() || !x.key().equals(first.key())) {
                throw new IllegalArgumentException("concatenation needs tensors on the same coordinates: " + first.key() + " vs " + x.key());
            }
            total += x.channels();
        }
        int n = first.size();
        float[] y = new float[n * total];
        int at = 0;
        for (SparseTensor x : xs) {
            int c = x.channels();
            float[] f = x.features();
            for (int r = 0; r < n; r++) System.arraycopy(f, r * c, y, r * total + at, c);
            at += c;
        }
        return first.withFeatures(y, total);
    }

    /**
     * {@code MinkowskiUnion}: the union of the coordinate sets (same manager and tensor stride),
     * features summed where coordinates coincide. Rows: the first tensor's, then new ones in order.
     */
    public static SparseTensor union(SparseTensor... xs) {
        SparseTensor first = xs[0];
        CoordinateManager m = first.manager();
        int c = first.channels();
        int w = first.dimension() + 1;
        int rows = 0;
        for (SparseTensor x : xs) {
            if (x.manager() != m || x.channels() != c || !java.util.Arrays.equals(x.tensorStride(), first.tensorStride())) {
                throw new IllegalArgumentException("union needs one manager, tensor stride and channel count; got " + first + " and " + x);
            }
            rows += x.size();
        }
        int[] all = new int[rows * w];
        int at = 0;
        for (SparseTensor x : xs) {
            System.arraycopy(x.coordinates(), 0, all, at, x.size() * w);
            at += x.size() * w;
        }
        int[] inverse = new int[rows];
        CoordinateMap union = CoordinateMap.unique(all, first.dimension(), first.tensorStride(), inverse);
        float[] y = new float[union.size() * c];
        int r = 0;
        for (SparseTensor x : xs) {
            float[] f = x.features();
            for (int i = 0; i < x.size(); i++, r++) {
                int ob = inverse[r] * c;
                for (int ch = 0; ch < c; ch++) y[ob + ch] += f[i * c + ch];
            }
        }
        CoordinateKey key = m.register(union);
        return SparseTensor.onMap(m, key, y, c);
    }
}
