package io.minkstream.jobs.sensor;

import java.util.Arrays;
import java.util.Objects;

/**
 * One LiDAR sweep of one sensor as plain arrays, before it is wrapped into an Avro {@code SensorFrame}.
 *
 * <p>Layouts match the {@code SensorFrame} schema: {@code positions} is N x 3 (x, y, z of each point in
 * metres in the sensor frame, packed); {@code features} is N x {@code featureChannels} row-major (the
 * channels of point 0, then of point 1, ...); {@code pose} is the row-major 4x4 sensor-to-world
 * transform (world = pose * [x y z 1]^T) or null; {@code labels} holds one motion label per point
 * (1 = moving, 0 = static) or is null when no ground truth exists.
 *
 * <p>The arrays are not copied: a frame owns them and nobody may change them after construction.
 * {@link #equals} and {@link #hashCode} compare array contents, so two frames made from the same inputs
 * are equal.
 */
public record ScanFrame(
        String sensorId,
        long sequence,
        long timestampMicros,
        float[] positions,
        float[] features,
        int featureChannels,
        float[] pose,
        int[] labels) {

    public ScanFrame {
        Objects.requireNonNull(sensorId, "sensorId");
        Objects.requireNonNull(positions, () -> where(sensorId, sequence) + "positions is null");
        Objects.requireNonNull(features, () -> where(sensorId, sequence) + "features is null");
        if (positions.length % 3 != 0) {
            throw new IllegalArgumentException(where(sensorId, sequence)
                    + "positions.length must be a multiple of 3, was " + positions.length);
        }
        int points = positions.length / 3;
        if (featureChannels < 0) {
            throw new IllegalArgumentException(where(sensorId, sequence)
                    + "featureChannels must be >= 0, was " + featureChannels);
        }
        if (features.length != (long) points * featureChannels) {
            throw new IllegalArgumentException(where(sensorId, sequence) + "features.length must be "
                    + points + " points x " + featureChannels + " channels = " + (long) points * featureChannels
                    + ", was " + features.length);
        }
        if (pose != null && pose.length != 16) {
            throw new IllegalArgumentException(where(sensorId, sequence)
                    + "pose must hold 16 floats (row-major 4x4), had " + pose.length);
        }
        if (labels != null && labels.length != points) {
            throw new IllegalArgumentException(where(sensorId, sequence)
                    + "labels.length must equal pointCount " + points + ", was " + labels.length);
        }
    }

    /** Number of points N; every array length follows from it. */
    public int pointCount() {
        return positions.length / 3;
    }

    /** The same frame with another capture time, e.g. to rebase a recording onto the wall clock. */
    public ScanFrame withTimestampMicros(long newTimestampMicros) {
        return new ScanFrame(sensorId, sequence, newTimestampMicros, positions, features, featureChannels, pose,
                labels);
    }

    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof ScanFrame that)) {
            return false;
        }
        return sequence == that.sequence
                && timestampMicros == that.timestampMicros
                && featureChannels == that.featureChannels
                && sensorId.equals(that.sensorId)
                && Arrays.equals(positions, that.positions)
                && Arrays.equals(features, that.features)
                && Arrays.equals(pose, that.pose)
                && Arrays.equals(labels, that.labels);
    }

    @Override
    public int hashCode() {
        int h = Objects.hash(sensorId, sequence, timestampMicros, featureChannels);
        h = 31 * h + Arrays.hashCode(positions);
        h = 31 * h + Arrays.hashCode(features);
        h = 31 * h + Arrays.hashCode(pose);
        return 31 * h + Arrays.hashCode(labels);
    }

    @Override
    public String toString() {
        return "ScanFrame[sensorId=" + sensorId + ", sequence=" + sequence + ", timestampMicros=" + timestampMicros
                + ", pointCount=" + pointCount() + ", featureChannels=" + featureChannels
                + ", pose=" + (pose == null ? "null" : Arrays.toString(pose))
                + ", labels=" + (labels == null ? "null" : "int[" + labels.length + "]") + "]";
    }

    private static String where(String sensorId, long sequence) {
        return "frame " + sensorId + "#" + sequence + ": ";
    }
}
