package io.minkstream.operators.decode;

import io.minkstream.schemas.PackedFloats;
import io.minkstream.schemas.PackedInts;
import io.minkstream.schemas.PackedLengthException;
import io.minkstream.schemas.RejectReason;
import io.minkstream.schemas.SensorFrame;
import io.minkstream.schemas.Timestamps;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * Checks a decoded frame field by field. Stateless: late and duplicate frames need the sensor's
 * history and are caught by the keyed window.
 */
public final class FrameValidator implements Serializable {
    private static final long serialVersionUID = 1L;

    private final DecodeOptions options;

    public FrameValidator(DecodeOptions options) {
        this.options = options;
    }

    /** The first problem found, or empty when the frame is acceptable at {@code nowMicros}. */
    public Optional<Rejection> validate(SensorFrame f, long nowMicros) {
        if (f.getSensorId() == null || f.getSensorId().isBlank()) {
            return reject(RejectReason.EMPTY_SENSOR_ID, "sensorId is empty");
        }
        if (f.getSequence() < 0) {
            return reject(RejectReason.NEGATIVE_SEQUENCE, "sequence is " + f.getSequence() + ", must be >= 0");
        }
        if (f.getPointCount() < 0 || f.getFeatureChannels() < 0) {
            return reject(RejectReason.BUFFER_LENGTH_MISMATCH, "pointCount " + f.getPointCount() + " and featureChannels "
                    + f.getFeatureChannels() + " must be >= 0");
        }
        if (f.getPointCount() > options.maxPoints()) {
            return reject(RejectReason.TOO_MANY_POINTS, "pointCount " + f.getPointCount() + " exceeds the limit of " + options.maxPoints());
        }
        long ts = Timestamps.toMicros(f.getTimestamp());
        if (ts > nowMicros + options.maxFutureMicros()) {
            return reject(RejectReason.FUTURE_TIMESTAMP, "timestamp " + f.getTimestamp() + " is more than "
                    + options.maxFutureMicros() / 1_000_000.0 + " s ahead of the clock");
        }
        try {
            long n = f.getPointCount();
            PackedFloats.requireCount(f.getPositions(), "positions", n * 3);
            PackedFloats.requireCount(f.getFeatures(), "features", n * f.getFeatureChannels());
            if (f.getPose() != null) PackedFloats.requireCount(f.getPose(), "pose", 16);
            if (f.getLabels() != null) PackedInts.requireCount(f.getLabels(), "labels", n);
        } catch (PackedLengthException e) {
            return reject(RejectReason.BUFFER_LENGTH_MISMATCH, e.getMessage());
        }
        Optional<Rejection> nonFinite = firstNonFinite(f.getPositions(), "positions", 3);
        if (nonFinite.isEmpty()) nonFinite = firstNonFinite(f.getFeatures(), "features", Math.max(1, f.getFeatureChannels()));
        if (nonFinite.isPresent()) return nonFinite;
        if (f.getPose() != null) return checkPose(f.getPose());
        return Optional.empty();
    }

    private static Optional<Rejection> firstNonFinite(ByteBuffer packed, String field, int perPoint) {
        int n = packed.remaining() / Float.BYTES;
        for (int i = 0; i < n; i++) {
            float v = PackedFloats.get(packed, i);
            if (!Float.isFinite(v)) {
                return reject(RejectReason.NON_FINITE_VALUE, field + " of point " + i / perPoint + " (value " + i % perPoint + ") is " + v);
            }
        }
        return Optional.empty();
    }

    /** A rigid transform: finite, last row 0 0 0 1, rotation part orthonormal to 1e-3. */
    private static Optional<Rejection> checkPose(ByteBuffer pose) {
        float[] m = new float[16];
        for (int i = 0; i < 16; i++) {
            m[i] = PackedFloats.get(pose, i);
            if (!Float.isFinite(m[i])) return reject(RejectReason.INVALID_POSE, "pose element " + i + " is " + m[i]);
        }
        if (Math.abs(m[12]) > 1e-6 || Math.abs(m[13]) > 1e-6 || Math.abs(m[14]) > 1e-6 || Math.abs(m[15] - 1) > 1e-6) {
            return reject(RejectReason.INVALID_POSE, "pose's last row is [" + m[12] + ", " + m[13] + ", " + m[14] + ", " + m[15] + "], expected [0, 0, 0, 1]");
        }
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                double dot = 0;
                for (int k = 0; k < 3; k++) dot += (double) m[i * 4 + k] * m[j * 4 + k];
                if (Math.abs(dot - (i == j ? 1 : 0)) > 1e-3) {
                    return reject(RejectReason.INVALID_POSE, "pose's rotation rows " + i + " and " + j + " are not orthonormal (dot " + dot + ")");
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<Rejection> reject(RejectReason reason, String message) {
        return Optional.of(new Rejection(reason, message));
    }
}
