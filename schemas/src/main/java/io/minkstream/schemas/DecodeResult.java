package io.minkstream.schemas;

/**
 * Outcome of decoding one Kafka value: either the record ({@link Decoded}) or the reason it could not be
 * read ({@link DecodeFailure}). Bad input is an expected, routable outcome on a stream, so it is a value here,
 * not an exception.
 *
 * @param <T> the record type
 */
public sealed interface DecodeResult<T> permits Decoded, DecodeFailure {

    /** True for {@link Decoded}. */
    boolean isDecoded();

    /**
     * The decoded record.
     *
     * @throws IllegalStateException on a {@link DecodeFailure}
     */
    T value();

    /**
     * The failure.
     *
     * @throws IllegalStateException on a {@link Decoded}
     */
    DecodeFailure<T> failure();
}
