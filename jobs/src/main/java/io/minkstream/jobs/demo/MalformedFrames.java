package io.minkstream.jobs.demo;

import io.minkstream.jobs.publish.SensorFrames;
import io.minkstream.schemas.PackedFloats;
import io.minkstream.schemas.SensorFrame;
import io.minkstream.schemas.Timestamps;
import java.nio.ByteBuffer;
import java.util.Random;

/**
 * Bad records for the demo's {@code --inject-bad}: each one is made from a good frame that was just
 * sent and breaks it in one way the job must dead-letter. Kinds are used in turn, so K bad records
 * cover min(K, 7) kinds.
 */
public final class MalformedFrames {

    /** One way of breaking a frame, with the reason the job gives it in the dead-letter topic. */
    public enum Kind {
        /** Random bytes, not single-object Avro: {@code UNDECODABLE}. */
        GARBAGE_BYTES,
        /** A NaN coordinate: {@code NON_FINITE_VALUE}. */
        NAN_POSITION,
        /** pointCount one more than the packed buffers hold: {@code BUFFER_LENGTH_MISMATCH}. */
        WRONG_BUFFER_LENGTH,
        /** An empty sensor id: {@code EMPTY_SENSOR_ID}. */
        EMPTY_SENSOR_ID,
        /** A sequence below 0: {@code NEGATIVE_SEQUENCE}. */
        NEGATIVE_SEQUENCE,
        /** A timestamp an hour ahead of the wall clock: {@code FUTURE_TIMESTAMP}. */
        FUTURE_TIMESTAMP,
        /** The good frame's bytes again, right after its tick (still in the window): {@code DUPLICATE_SEQUENCE}. */
        DUPLICATE_SEQUENCE
    }

    private static final long ONE_HOUR_MICROS = 3_600_000_000L;

    private final Random random;

    public MalformedFrames(long seed) {
        this.random = new Random(seed);
    }

    /** The kind of the {@code index}-th bad record. */
    public static Kind kind(int index) {
        Kind[] kinds = Kind.values();
        return kinds[index % kinds.length];
    }

    /**
     * The bytes of a bad record of {@code kind}, made from a good frame and its encoded bytes (which
     * were sent just before; the good frame is not changed).
     */
    public byte[] make(Kind kind, SensorFrame good, byte[] goodBytes) {
        switch (kind) {
            case GARBAGE_BYTES: {
                byte[] b = new byte[64 + random.nextInt(512)];
                random.nextBytes(b);
                b[0] = 0; // never the single-object marker C3 01
                return b;
            }
            case NAN_POSITION: {
                SensorFrame f = copy(good);
                float[] pos = PackedFloats.decode(f.getPositions(), "positions", 3L * f.getPointCount());
                if (pos.length == 0) return make(Kind.NEGATIVE_SEQUENCE, good, goodBytes);
                pos[random.nextInt(pos.length)] = Float.NaN;
                f.setPositions(PackedFloats.encode(pos));
                return SensorFrames.encode(f);
            }
            case WRONG_BUFFER_LENGTH: {
                SensorFrame f = copy(good);
                f.setPointCount(f.getPointCount() + 1);
                return SensorFrames.encode(f);
            }
            case EMPTY_SENSOR_ID: {
                SensorFrame f = copy(good);
                f.setSensorId("");
                return SensorFrames.encode(f);
            }
            case NEGATIVE_SEQUENCE: {
                SensorFrame f = copy(good);
                f.setSequence(-1 - good.getSequence());
                return SensorFrames.encode(f);
            }
            case FUTURE_TIMESTAMP: {
                SensorFrame f = copy(good);
                f.setTimestamp(Timestamps.fromMicros(System.currentTimeMillis() * 1000L + ONE_HOUR_MICROS));
                return SensorFrames.encode(f);
            }
            case DUPLICATE_SEQUENCE:
                return goodBytes.clone();
            default:
                throw new IllegalArgumentException("unknown kind " + kind);
        }
    }

    /** A copy whose byte buffers can be replaced without touching the original. */
    private static SensorFrame copy(SensorFrame f) {
        SensorFrame c = SensorFrame.newBuilder(f).build();
        c.setPositions(duplicate(f.getPositions()));
        c.setFeatures(duplicate(f.getFeatures()));
        return c;
    }

    private static ByteBuffer duplicate(ByteBuffer b) {
        return b == null ? null : b.duplicate();
    }
}
