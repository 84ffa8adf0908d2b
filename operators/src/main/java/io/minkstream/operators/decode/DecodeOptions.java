package io.minkstream.operators.decode;

import java.io.Serializable;

/**
 * Limits a frame must respect to be accepted.
 *
 * @param maxPoints       the most points one frame may carry
 * @param maxFutureMicros how far a frame's timestamp may lie ahead of the wall clock
 */
public record DecodeOptions(int maxPoints, long maxFutureMicros) implements Serializable {
    public static final DecodeOptions DEFAULTS = new DecodeOptions(500_000, 60_000_000L);

    public DecodeOptions {
        if (maxPoints < 1) throw new IllegalArgumentException("maxPoints must be >= 1, got " + maxPoints);
        if (maxFutureMicros < 0) throw new IllegalArgumentException("maxFutureMicros must be >= 0, got " + maxFutureMicros);
    }
}
