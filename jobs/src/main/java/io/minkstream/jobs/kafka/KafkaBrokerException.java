package io.minkstream.jobs.kafka;

/** The embedded broker could not be formatted, started, or could not create topics. */
public final class KafkaBrokerException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public KafkaBrokerException(String message) {
        super(message);
    }

    public KafkaBrokerException(String message, Throwable cause) {
        super(message, cause);
    }
}
