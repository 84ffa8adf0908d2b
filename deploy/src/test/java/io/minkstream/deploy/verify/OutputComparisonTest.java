package io.minkstream.deploy.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.minkstream.schemas.PackedFloats;
import io.minkstream.schemas.PackedInts;
import io.minkstream.schemas.SparseFeatureFrame;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OutputComparisonTest {
    private static final List<FrameKey> PRODUCED = List.of(key(0), key(1), key(2), key(3));

    @Test
    void exactlyOnceOutputEqualToTheReferenceIsClean() {
        var report = OutputComparison.compare(PRODUCED, outputs(0, 1, 2, 3), reference(), k -> true);
        assertThat(report.counts()).isEqualTo("produced=4 committed=4 duplicates=0 missing=0 mismatched=0");
        assertThat(report.exactlyOnce()).isTrue();
    }

    @Test
    void countsDuplicatesAndMissingFrames() {
        var report = OutputComparison.compare(PRODUCED, outputs(0, 1, 1, 3), reference(), k -> true);
        assertThat(report.counts()).isEqualTo("produced=4 committed=4 duplicates=1 missing=1 mismatched=0");
        assertThat(report.exactlyOnce()).isFalse();
        assertThat(report.examples()).contains("lidar-0#1: duplicate", "lidar-0#2: missing");
    }

    @Test
    void featuresBeyondToleranceOrAnotherWindowMismatch() {
        List<SparseFeatureFrame> out = outputs(0, 1, 2, 3);
        out.set(1, frame(1, 2, new float[] {1f, 0.5f}));                  // features differ
        out.set(2, frame(2, 2, new float[] {1f, 1f + 1e-6f}));            // within float tolerance
        out.set(3, frame(3, 1, new float[] {1f, 1f}));                    // window restarted: one frame instead of two
        var report = OutputComparison.compare(PRODUCED, out, reference(), k -> true);
        assertThat(report.mismatched()).isEqualTo(2);
        assertThat(report.examples()).anyMatch(e -> e.startsWith("lidar-0#1: feature 1 = 0.5"))
                .anyMatch(e -> e.startsWith("lidar-0#3: window"));
    }

    @Test
    void aScopeSplitsThePhases() {
        var first = OutputComparison.compare(PRODUCED, outputs(0, 1, 2, 3), reference(), k -> k.sequence() < 2);
        var second = OutputComparison.compare(PRODUCED, outputs(0, 1, 2), reference(), k -> k.sequence() >= 2);
        assertThat(first.counts()).isEqualTo("produced=2 committed=2 duplicates=0 missing=0 mismatched=0");
        assertThat(second.counts()).isEqualTo("produced=2 committed=1 duplicates=0 missing=1 mismatched=0");
    }

    @Test
    void anOutputWithoutReferenceIsAMismatch() {
        Map<FrameKey, SparseFeatureFrame> ref = reference();
        ref.remove(key(3));
        var report = OutputComparison.compare(PRODUCED, outputs(0, 1, 2, 3), ref, k -> true);
        assertThat(report.mismatched()).isEqualTo(1);
        assertThat(report.examples()).containsExactly("lidar-0#3: no reference output");
    }

    private static FrameKey key(long seq) {
        return new FrameKey("lidar-0", seq);
    }

    private static List<SparseFeatureFrame> outputs(long... sequences) {
        List<SparseFeatureFrame> out = new ArrayList<>();
        for (long s : sequences) out.add(frame(s, (int) Math.min(s + 1, 2), new float[] {1f, 1f}));
        return out;
    }

    private static Map<FrameKey, SparseFeatureFrame> reference() {
        Map<FrameKey, SparseFeatureFrame> ref = new HashMap<>();
        for (FrameKey k : PRODUCED) ref.put(k, frame(k.sequence(), (int) Math.min(k.sequence() + 1, 2), new float[] {1f, 1f}));
        return ref;
    }

    private static SparseFeatureFrame frame(long seq, int framesInWindow, float[] features) {
        return SparseFeatureFrame.newBuilder()
                .setSensorId("lidar-0").setSequence(seq).setFrameTimestamp(java.time.Instant.ofEpochSecond(seq))
                .setWindowFirstSequence(seq - framesInWindow + 1).setWindowLastSequence(seq).setFramesInWindow(framesInWindow)
                .setTensorStride(1).setCoordinates(PackedInts.encode(new int[] {0, 1, 2, 3, 0, 1, 2, 4}))
                .setFeatures(PackedFloats.encode(features)).setChannels(1).setRowCount(features.length)
                .setLabels(null).setTruthLabels(null).setProcessingLatencyMicros(0)
                .setVoxelSizeX(0.2f).setVoxelSizeY(0.2f).setVoxelSizeZ(0.2f)
                .build();
    }
}
