package io.minkstream.schemas;

import java.util.Objects;

/** A successfully decoded record. */
public record Decoded<T>(T value) implements DecodeResult<T> {

    public Decoded {
        Objects.requireNonNull(value, "value");
    }

    @Override
    public boolean isDecoded() {
        return true;
    }

    @Override
    public DecodeFailure<T> failure() {
        throw new IllegalStateException("decoded successfully, there is no failure");
    }
}
