package io.minkstream.engine.nn;

import io.minkstream.engine.backend.Backend;
import io.minkstream.engine.ops.Broadcast;
import io.minkstream.engine.tensor.SparseTensor;
import java.util.List;

/**
 * {@code MinkowskiBroadcastAddition} / {@code MinkowskiBroadcastMultiplication}: inputs
 * {@code [x, global]}, every row of x combined with its batch index' global feature.
 */
public record BroadcastLayer(boolean multiply) implements MergeLayer {

    @Override
    public SparseTensor forward(List<SparseTensor> inputs, Backend backend) {
        if (inputs.size() != 2) throw new IllegalArgumentException("broadcast takes [tensor, global tensor], got " + inputs.size() + " inputs");
        return multiply ? Broadcast.multiply(inputs.get(0), inputs.get(1)) : Broadcast.add(inputs.get(0), inputs.get(1));
    }
}
