package io.minkstream.operators.inference;

import java.io.Serializable;

/** Turns a network output row into a label: 1 when {@code feature[channel] > threshold}, else 0. */
public record LabelRule(int channel, float threshold) implements Serializable {

    public LabelRule {
        if (channel < 0) throw new IllegalArgumentException("label channel must be >= 0, got " + channel);
        if (!Float.isFinite(threshold)) throw new IllegalArgumentException("label threshold must be finite, got " + threshold);
    }
}
