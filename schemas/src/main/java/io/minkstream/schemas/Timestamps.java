package io.minkstream.schemas;

import java.time.Instant;

/**
 * Conversions for the {@code timestamp-micros} fields, which the Avro compiler maps to {@link Instant}
 * ({@code SensorFrame.timestamp}, {@code SparseFeatureFrame.frameTimestamp}). The wire value is a long of
 * microseconds since the epoch; sub-microsecond digits of an {@code Instant} are dropped on write.
 */
public final class Timestamps {

    private static final long MICROS_PER_SECOND = 1_000_000L;
    private static final long NANOS_PER_MICRO = 1_000L;

    private Timestamps() {
    }

    public static long toMicros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), MICROS_PER_SECOND),
                instant.getNano() / NANOS_PER_MICRO);
    }

    public static Instant fromMicros(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, MICROS_PER_SECOND),
                Math.floorMod(micros, MICROS_PER_SECOND) * NANOS_PER_MICRO);
    }

    /** Milliseconds since the epoch, as Flink's event-time timestamps and watermarks want them. */
    public static long toMillis(Instant instant) {
        return instant.toEpochMilli();
    }
}
