package io.minkstream.schemas;

/**
 * A packed buffer whose byte length does not match what the record's counts say it must be.
 *
 * <p>Carries the field name and both lengths so that decode-and-validate can turn it into a
 * {@link RejectReason#BUFFER_LENGTH_MISMATCH} with a precise message, without parsing strings.
 */
public final class PackedLengthException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String field;
    private final long expectedBytes;
    private final long foundBytes;

    public PackedLengthException(String field, long expectedBytes, long foundBytes, String detail) {
        super(field + ": expected " + expectedBytes + " bytes" + (detail.isEmpty() ? "" : " (" + detail + ")")
                + ", found " + foundBytes);
        this.field = field;
        this.expectedBytes = expectedBytes;
        this.foundBytes = foundBytes;
    }

    /** Name of the record field that holds the buffer, e.g. {@code positions}. */
    public String field() {
        return field;
    }

    /** Byte length the counts require; {@code -1} when only a multiple of the element size was required. */
    public long expectedBytes() {
        return expectedBytes;
    }

    public long foundBytes() {
        return foundBytes;
    }
}
