package io.minkstream.operators.voxel;

import java.util.Arrays;

/**
 * One sensor frame after voxelization: unique integer voxel coordinates (x, y, z per row), the
 * averaged point features per voxel, and the ground-truth label per voxel where the frame had
 * labels. This is what the sliding window keeps in Flink state.
 *
 * @param coords         voxels x 3, row-major
 * @param features       voxels x channels, row-major
 * @param truth          per voxel 1 (moving) / 0 (static), or null when the frame had no labels
 * @param ingestMicros   when the pipeline read the frame (for end-to-end latency)
 */
public record VoxelFrame(long sequence, long timestampMicros, long ingestMicros, int channels, int[] coords, float[] features, int[] truth) {

    public VoxelFrame {
        if (coords.length % 3 != 0) throw new IllegalArgumentException("voxel coordinates length " + coords.length + " is not a multiple of 3");
        int n = coords.length / 3;
        if (features.length != (long) n * channels) {
            throw new IllegalArgumentException("voxel features have " + features.length + " values, expected " + n + " x " + channels);
        }
        if (truth != null && truth.length != n) throw new IllegalArgumentException("voxel truth has " + truth.length + " labels, expected " + n);
    }

    public int voxels() {
        return coords.length / 3;
    }

    /** Bytes held by the arrays (for state size accounting). */
    public long bytes() {
        return 4L * (coords.length + features.length + (truth == null ? 0 : truth.length));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VoxelFrame v && sequence == v.sequence && timestampMicros == v.timestampMicros && ingestMicros == v.ingestMicros
                && channels == v.channels && Arrays.equals(coords, v.coords) && Arrays.equals(features, v.features) && Arrays.equals(truth, v.truth);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(sequence) * 31 + Arrays.hashCode(coords);
    }

    @Override
    public String toString() {
        return "VoxelFrame[seq " + sequence + ", " + voxels() + " voxels x " + channels + "]";
    }
}
