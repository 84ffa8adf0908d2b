package io.minkstream.deploy.verify;

import io.minkstream.schemas.PackedFloats;
import io.minkstream.schemas.SparseFeatureFrame;
import java.nio.ByteBuffer;

/**
 * Whether an output frame equals the reference run's output for the same frame: the same window
 * (first sequence, frame count), the same rows (coordinates byte for byte, labels) and the same
 * features to float tolerance. Timestamps of processing (latency) are not compared.
 */
public final class FrameDifference {
    /** Relative tolerance on features: the reference may run with another thread count or dataflow. */
    static final float TOLERANCE = 1e-4f;

    private FrameDifference() {
    }

    /** Null when equal, else what differs first (for the report's examples). */
    public static String between(SparseFeatureFrame actual, SparseFeatureFrame expected) {
        if (actual.getWindowFirstSequence() != expected.getWindowFirstSequence() || actual.getFramesInWindow() != expected.getFramesInWindow()) {
            return "window " + actual.getWindowFirstSequence() + "+" + actual.getFramesInWindow() + " frames, reference "
                    + expected.getWindowFirstSequence() + "+" + expected.getFramesInWindow();
        }
        if (actual.getRowCount() != expected.getRowCount() || actual.getChannels() != expected.getChannels()
                || actual.getTensorStride() != expected.getTensorStride()) {
            return "shape " + actual.getRowCount() + "x" + actual.getChannels() + "/" + actual.getTensorStride() + ", reference "
                    + expected.getRowCount() + "x" + expected.getChannels() + "/" + expected.getTensorStride();
        }
        if (!sameBytes(actual.getCoordinates(), expected.getCoordinates())) return "coordinates differ";
        if (!sameBytes(actual.getLabels(), expected.getLabels())) return "labels differ";
        return featureDifference(actual.getFeatures(), expected.getFeatures());
    }

    private static boolean sameBytes(ByteBuffer a, ByteBuffer b) {
        if (a == null || b == null) return a == b;
        return a.duplicate().equals(b.duplicate());
    }

    private static String featureDifference(ByteBuffer actual, ByteBuffer expected) {
        int n = PackedFloats.count(expected, "features");
        if (PackedFloats.count(actual, "features") != n) return "feature count " + PackedFloats.count(actual, "features") + ", reference " + n;
        for (int i = 0; i < n; i++) {
            float a = PackedFloats.get(actual, i);
            float e = PackedFloats.get(expected, i);
            if (Float.compare(a, e) == 0) continue;
            if (Float.isNaN(a) || Float.isNaN(e) || Math.abs(a - e) > TOLERANCE * Math.max(1f, Math.abs(e))) {
                return "feature " + i + " = " + a + ", reference " + e;
            }
        }
        return null;
    }
}
