package io.minkstream.engine.nn;

import io.minkstream.engine.backend.Backend;
import io.minkstream.engine.tensor.SparseTensor;

/** One step of a network: a tensor in, a tensor out, computed on a backend. Layers are immutable. */
public interface Layer {

    SparseTensor forward(SparseTensor x, Backend backend);

    /** Channels this layer expects, or -1 when any count works (activations, pooling). */
    default int inChannels() {
        return -1;
    }

    /** Channels this layer produces given {@code in} input channels. */
    default int outChannels(int in) {
        return in;
    }
}
