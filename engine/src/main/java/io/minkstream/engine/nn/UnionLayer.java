package io.minkstream.engine.nn;

import io.minkstream.engine.backend.Backend;
import io.minkstream.engine.ops.Merge;
import io.minkstream.engine.tensor.SparseTensor;
import java.util.List;

/** {@code MinkowskiUnion}: the union of the coordinate sets, features summed where they coincide. */
public record UnionLayer() implements MergeLayer {

    @Override
    public SparseTensor forward(List<SparseTensor> inputs, Backend backend) {
        return Merge.union(inputs.toArray(SparseTensor[]::new));
    }
}
