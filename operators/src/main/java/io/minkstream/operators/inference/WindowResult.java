package io.minkstream.operators.inference;

import java.util.Arrays;

/**
 * The rows a window emits for frame {@code sequence}: coordinates (x, y, z, t per row), the
 * network's features, the predicted label per row (or null when the model has no label rule), and
 * the ground truth per row (or null), with the time the network took and the part of it spent
 * building kernel maps.
 */
public record WindowResult(long sequence, int[] coords, float[] features, int channels, int[] labels, int[] truth, int tensorStride, long networkNanos,
                           long kernelMapNanos) {

    public int rows() {
        return coords.length / 4;
    }

    WindowResult forSequence(long s) {
        return new WindowResult(s, coords, features, channels, labels, truth, tensorStride, networkNanos, kernelMapNanos);
    }

    WindowResult withTimes(long nanos, long mapNanos) {
        return new WindowResult(sequence, coords, features, channels, labels, truth, tensorStride, nanos, mapNanos);
    }

    /** These rows followed by {@code more}'s (same channels). */
    WindowResult append(WindowResult more) {
        return new WindowResult(sequence, concat(coords, more.coords), concat(features, more.features), channels,
                labels == null ? null : concat(labels, more.labels), truth == null || more.truth == null ? null : concat(truth, more.truth),
                tensorStride, networkNanos + more.networkNanos, kernelMapNanos + more.kernelMapNanos);
    }

    private static int[] concat(int[] a, int[] b) {
        int[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    private static float[] concat(float[] a, float[] b) {
        float[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
