package io.minkstream.operators.inference;

/**
 * The rows a window emits: coordinates (x, y, z, t per row), the network's features, the predicted
 * label per row (or null when the model has no label rule), and the ground truth per row (or null).
 */
public record WindowResult(int[] coords, float[] features, int channels, int[] labels, int[] truth, int tensorStride, long networkNanos) {

    public int rows() {
        return coords.length / 4;
    }
}
