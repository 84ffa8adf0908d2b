package io.minkstream.engine.nn;

import io.minkstream.engine.backend.Activation;
import io.minkstream.engine.backend.Backend;
import io.minkstream.engine.ops.Normalization;
import io.minkstream.engine.tensor.SparseTensor;

/** A pointwise non-linearity. */
public record ActivationLayer(Activation activation) implements Layer {

    @Override
    public SparseTensor forward(SparseTensor x, Backend backend) {
        return Normalization.activate(x, activation, backend);
    }
}
