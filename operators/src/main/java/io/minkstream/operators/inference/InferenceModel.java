package io.minkstream.operators.inference;

import io.minkstream.engine.nn.Network;

/**
 * A loaded network with how to feed it and how to read labels from it.
 *
 * @param labelRule null when the model's output carries no label
 */
public record InferenceModel(String name, Network network, ModelInput input, LabelRule labelRule) {

    public InferenceModel {
        if (network.dimension() != 4) {
            throw new IllegalArgumentException("model '" + name + "' has dimension " + network.dimension() + "; windows are 4-D (x, y, z, t)");
        }
        if (labelRule != null && labelRule.channel() >= network.outChannels()) {
            throw new IllegalArgumentException("model '" + name + "' label channel " + labelRule.channel() + " is beyond its " + network.outChannels() + " output channels");
        }
    }
}
