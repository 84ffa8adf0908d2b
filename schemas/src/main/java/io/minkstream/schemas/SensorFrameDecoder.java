package io.minkstream.schemas;

import java.io.Serializable;

/**
 * Turns a Kafka value from the {@code sensor-frames} topic into a {@link SensorFrame} or a
 * {@link DecodeFailure}; never throws on bad bytes. Field-level validation (buffer lengths, finite values,
 * sequence rules) is the operators' job; this class only answers "is it a SensorFrame at all".
 */
public final class SensorFrameDecoder implements Serializable {

    private static final long serialVersionUID = 1L;

    private final SingleObjectDecoder<SensorFrame> decoder = SingleObjectDecoder.forType(SensorFrame.class);

    public DecodeResult<SensorFrame> decode(byte[] value) {
        return decoder.decode(value);
    }
}
