package io.minkstream.schemas;

import java.util.Objects;

/**
 * Why a value could not be decoded: {@link RejectReason#UNDECODABLE} (not single-object Avro, or a body
 * that does not parse) or {@link RejectReason#UNKNOWN_SCHEMA} (a fingerprint this reader does not know).
 *
 * @param reason  the reject code to put into a {@link RejectedFrame}
 * @param message human-readable detail, naming what was wrong
 */
public record DecodeFailure<T>(RejectReason reason, String message) implements DecodeResult<T> {

    public DecodeFailure {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public boolean isDecoded() {
        return false;
    }

    @Override
    public T value() {
        throw new IllegalStateException("not decoded: " + reason + ": " + message);
    }

    @Override
    public DecodeFailure<T> failure() {
        return this;
    }
}
