package io.minkstream.engine.ops;

import io.minkstream.engine.coords.CoordinateKey;
import io.minkstream.engine.coords.CoordinateMap;
import io.minkstream.engine.tensor.SparseTensor;

/** {@code MinkowskiPruning}: keeps the rows whose mask entry is true, in order. */
public final class Pruning {
    private Pruning() {
    }

    public static SparseTensor prune(SparseTensor x, boolean[] keep) {
        if (keep.length != x.size()) {
            throw new IllegalArgumentException("pruning mask has " + keep.length + " entries, tensor has " + x.size() + " rows");
        }
        int w = x.dimension() + 1;
        int c = x.channels();
        int kept = 0;
        for (boolean k : keep) if (k) kept++;
        int[] coords = new int[kept * w];
        float[] f = new float[kept * c];
        int[] src = x.coordinates();
        float[] sf = x.features();
        for (int r = 0, j = 0; r < keep.length; r++) {
            if (!keep[r]) continue;
            System.arraycopy(src, r * w, coords, j * w, w);
            System.arraycopy(sf, r * c, f, j * c, c);
            j++;
        }
        CoordinateKey key = x.manager().register(CoordinateMap.of(coords, x.dimension(), x.tensorStride()));
        return SparseTensor.onMap(x.manager(), key, f, c);
    }
}
