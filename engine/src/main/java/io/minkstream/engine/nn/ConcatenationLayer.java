package io.minkstream.engine.nn;

import io.minkstream.engine.backend.Backend;
import io.minkstream.engine.ops.Merge;
import io.minkstream.engine.tensor.SparseTensor;
import java.util.List;

/** {@code MinkowskiConcatenation}: channels side by side on shared coordinates (U-Net skips). */
public record ConcatenationLayer() implements MergeLayer {

    @Override
    public SparseTensor forward(List<SparseTensor> inputs, Backend backend) {
        return Merge.concatenate(inputs.toArray(SparseTensor[]::new));
    }
}
