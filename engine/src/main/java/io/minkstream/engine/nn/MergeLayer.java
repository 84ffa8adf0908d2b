package io.minkstream.engine.nn;

import io.minkstream.engine.backend.Backend;
import io.minkstream.engine.tensor.SparseTensor;
import java.util.List;

/**
 * A step of a network that combines several tensors of one coordinate manager: concatenation,
 * union (add), broadcast of a global feature, pruning by a mask. Immutable like {@link Layer}.
 */
public interface MergeLayer {

    /** Combines {@code inputs}, in the order the spec lists them. */
    SparseTensor forward(List<SparseTensor> inputs, Backend backend);
}
