package io.minkstream.operators.window;

import static org.assertj.core.api.Assertions.assertThat;

import io.minkstream.engine.backend.CpuBackend;
import io.minkstream.operators.inference.IncrementalInference;
import io.minkstream.operators.inference.InferenceFactory;
import io.minkstream.operators.inference.RecomputeInference;
import io.minkstream.operators.inference.TestModels;
import io.minkstream.operators.voxel.Voxelizer;
import io.minkstream.operators.voxel.VoxelizerOptions;
import io.minkstream.schemas.PackedFloats;
import io.minkstream.schemas.RejectReason;
import io.minkstream.schemas.RejectedFrame;
import io.minkstream.schemas.SensorFrame;
import io.minkstream.schemas.SourcedSensorFrame;
import io.minkstream.schemas.SparseFeatureFrame;
import io.minkstream.schemas.Timestamps;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The window operator in Flink's operator test harness: outputs after a snapshot and restore equal
 * an uninterrupted run's (the window's frames live in keyed state; caches are rebuilt), and
 * out-of-order, duplicate and late frames are handled by sequence and watermark.
 */
class SpatioTemporalWindowHarnessTest {
    private static final long PERIOD_MS = 100;

    private static KeyedOneInputStreamOperatorTestHarness<String, SourcedSensorFrame, SparseFeatureFrame> harness(InferenceFactory factory) throws Exception {
        Voxelizer voxelizer = new Voxelizer(new VoxelizerOptions(new float[] {0.5f, 0.5f, 0.5f}, new float[] {-10, -10, -10}, new float[] {10, 10, 10}, true));
        SpatioTemporalWindow fn = new SpatioTemporalWindow(new WindowOptions(4, 0, false), voxelizer, factory);
        return new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(fn), f -> f.getFrame().getSensorId(), Types.STRING);
    }

    private static InferenceFactory incremental() {
        return gpu -> new IncrementalInference(TestModels.causal(3), new CpuBackend(1), Long.MAX_VALUE);
    }

    static SourcedSensorFrame frame(String sensor, long seq) {
        SplittableRandom r = new SplittableRandom(sensor.hashCode() + seq);
        int n = 80;
        float[] pos = new float[n * 3];
        for (int i = 0; i < n * 3; i++) pos[i] = (float) (r.nextDouble() * 6 - 3);
        float[] feats = new float[n];
        for (int i = 0; i < n; i++) feats[i] = (float) r.nextDouble();
        SensorFrame f = SensorFrame.newBuilder().setSensorId(sensor).setSequence(seq).setTimestamp(Timestamps.fromMicros(seq * PERIOD_MS * 1000))
                .setPointCount(n).setFeatureChannels(1).setPositions(PackedFloats.encode(pos)).setFeatures(PackedFloats.encode(feats)).build();
        return new SourcedSensorFrame(f, "in", 0, seq, 0L);
    }

    private static void send(KeyedOneInputStreamOperatorTestHarness<String, SourcedSensorFrame, SparseFeatureFrame> h, String s, long seq) throws Exception {
        h.processElement(new StreamRecord<>(frame(s, seq), seq * PERIOD_MS));
    }

    private static List<SparseFeatureFrame> outputs(KeyedOneInputStreamOperatorTestHarness<String, SourcedSensorFrame, SparseFeatureFrame> h) {
        List<SparseFeatureFrame> out = new ArrayList<>();
        for (Object o : h.getOutput()) if (o instanceof StreamRecord<?> r) out.add((SparseFeatureFrame) r.getValue());
        return out;
    }

    @Test
    void aRestoredOperatorContinuesEveryWindowExactly() throws Exception {
        List<SparseFeatureFrame> uninterrupted;
        try (var h = harness(incremental())) {
            h.open();
            for (long q = 0; q < 10; q++) for (String s : new String[] {"a", "b"}) send(h, s, q);
            uninterrupted = outputs(h);
        }
        OperatorSubtaskState snapshot;
        List<SparseFeatureFrame> before;
        try (var h = harness(incremental())) {
            h.open();
            for (long q = 0; q < 6; q++) for (String s : new String[] {"a", "b"}) send(h, s, q);
            snapshot = h.snapshot(1, 1);
            before = outputs(h);
        }
        List<SparseFeatureFrame> after;
        try (var h = harness(incremental())) {
            h.initializeState(snapshot);
            h.open();
            for (long q = 6; q < 10; q++) for (String s : new String[] {"a", "b"}) send(h, s, q);
            after = outputs(h);
        }
        List<SparseFeatureFrame> restored = new ArrayList<>(before);
        restored.addAll(after);
        assertThat(restored).hasSize(20);
        for (int i = 0; i < 20; i++) {
            SparseFeatureFrame a = uninterrupted.get(i);
            SparseFeatureFrame b = restored.get(i);
            assertThat(b.getSensorId() + "#" + b.getSequence()).isEqualTo(a.getSensorId() + "#" + a.getSequence());
            assertThat(b.getFramesInWindow()).isEqualTo(a.getFramesInWindow());
            assertThat(b.getCoordinates()).isEqualTo(a.getCoordinates());
            assertThat(b.getFeatures()).as("features of " + a.getSensorId() + "#" + a.getSequence()).isEqualTo(a.getFeatures());
        }
    }

    @Test
    void framesAfterAGapWaitForTheWatermarkAndLateOrDuplicateFramesAreRejected() throws Exception {
        try (var h = harness(gpu -> new RecomputeInference(TestModels.causal(3), new CpuBackend(1)))) {
            h.open();
            send(h, "a", 0);
            send(h, "a", 2);
            assertThat(outputs(h)).extracting(SparseFeatureFrame::getSequence).containsExactly(0L);
            send(h, "a", 1);
            assertThat(outputs(h)).extracting(SparseFeatureFrame::getSequence).containsExactly(0L, 1L, 2L);
            send(h, "a", 4);
            h.processWatermark(4 * PERIOD_MS);
            assertThat(outputs(h)).extracting(SparseFeatureFrame::getSequence).containsExactly(0L, 1L, 2L, 4L);
            send(h, "a", 3);
            send(h, "a", 4);
            List<RejectReason> reasons = new ArrayList<>();
            for (StreamRecord<RejectedFrame> r : h.getSideOutput(SpatioTemporalWindow.REJECTED)) reasons.add(r.getValue().getReason());
            assertThat(reasons).containsExactly(RejectReason.LATE_FRAME, RejectReason.DUPLICATE_SEQUENCE);
            assertThat(outputs(h).get(3).getFramesInWindow()).as("frame 4's window holds 1, 2 and 4 (3 was lost)").isEqualTo(3);
        }
    }
}
