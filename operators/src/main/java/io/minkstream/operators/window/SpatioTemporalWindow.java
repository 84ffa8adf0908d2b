package io.minkstream.operators.window;

import io.minkstream.operators.decode.Rejection;
import io.minkstream.operators.inference.IncrementalInference;
import io.minkstream.operators.inference.InferenceFactory;
import io.minkstream.operators.inference.WindowInference;
import io.minkstream.operators.inference.WindowResult;
import io.minkstream.operators.metrics.RejectionCounters;
import io.minkstream.operators.metrics.WindowMetrics;
import io.minkstream.operators.voxel.VoxelFrame;
import io.minkstream.operators.voxel.Voxelizer;
import io.minkstream.schemas.AvroTypes;
import io.minkstream.schemas.PackedFloats;
import io.minkstream.schemas.PackedInts;
import io.minkstream.schemas.RejectReason;
import io.minkstream.schemas.RejectedFrame;
import io.minkstream.schemas.SensorFrame;
import io.minkstream.schemas.SourcedSensorFrame;
import io.minkstream.schemas.SparseFeatureFrame;
import io.minkstream.schemas.Timestamps;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalInt;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.api.common.externalresource.ExternalResourceInfo;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The sliding 4-D window of one sensor (keyed by sensorId). Frames are voxelized on arrival and
 * kept in keyed state by sequence. A frame is processed as soon as it is the next sequence; a
 * frame after a gap waits until the missing ones arrive or the watermark passes its timestamp
 * (then they count as lost). Processing a frame slides the window (evicting what falls out), runs
 * the network on the window and emits the newest frame's rows (or the whole window's).
 *
 * <p>A frame whose sequence is already in the window or pending is a duplicate; one whose
 * sequence is older than the sensor's last processed frame is late (its window has closed). Both
 * go to {@link #REJECTED} with their reason. Lateness is judged per sensor, by sequence: the
 * watermark only decides how long a frame after a gap waits, because it is shared by all sensors
 * of a subtask and one sensor's clock running ahead must not make another's frames late.
 */
public final class SpatioTemporalWindow extends KeyedProcessFunction<String, SourcedSensorFrame, SparseFeatureFrame> {
    private static final long serialVersionUID = 1L;

    /** Dead-letter side output: late and duplicate frames. */
    public static final OutputTag<RejectedFrame> REJECTED = new OutputTag<>("window-rejected", AvroTypes.rejectedFrame());

    private final WindowOptions options;
    private final Voxelizer voxelizer;
    private final InferenceFactory inferenceFactory;

    private transient MapState<Long, VoxelFrame> frames;
    private transient ValueState<Long> baseSequence;
    private transient ValueState<Long> lastProcessed;
    private transient WindowInference inference;
    private transient WindowMetrics metrics;
    private transient RejectionCounters rejections;

    public SpatioTemporalWindow(WindowOptions options, Voxelizer voxelizer, InferenceFactory inferenceFactory) {
        this.options = options;
        this.voxelizer = voxelizer;
        this.inferenceFactory = inferenceFactory;
    }

    @Override
    public void open(OpenContext context) {
        frames = getRuntimeContext().getMapState(new MapStateDescriptor<>("window-frames", LongSerializer.INSTANCE, VoxelFrameSerializer.INSTANCE));
        baseSequence = getRuntimeContext().getState(new ValueStateDescriptor<>("base-sequence", LongSerializer.INSTANCE));
        lastProcessed = getRuntimeContext().getState(new ValueStateDescriptor<>("last-processed", LongSerializer.INSTANCE));
        inference = inferenceFactory.create(assignedGpu());
        metrics = new WindowMetrics(getRuntimeContext().getMetricGroup());
        if (inference instanceof IncrementalInference incremental) WindowMetrics.watch(getRuntimeContext().getMetricGroup(), incremental.stats());
        rejections = new RejectionCounters(getRuntimeContext().getMetricGroup());
    }

    /** The GPU index Flink's external resource framework assigned to this TaskManager, if any. */
    private OptionalInt assignedGpu() {
        for (ExternalResourceInfo info : getRuntimeContext().getExternalResourceInfos("gpu")) {
            var index = info.getProperty("index");
            if (index.isPresent()) return OptionalInt.of(Integer.parseInt(index.get()));
        }
        return OptionalInt.empty();
    }

    @Override
    public void close() {
        if (inference != null) inference.close();
    }

    @Override
    public void processElement(SourcedSensorFrame in, Context ctx, Collector<SparseFeatureFrame> out) throws Exception {
        SensorFrame f = in.getFrame();
        long seq = f.getSequence();
        Long last = lastProcessed.value();
        if (frames.contains(seq) || (last != null && seq == last)) {
            reject(ctx, in, RejectReason.DUPLICATE_SEQUENCE, "sequence " + seq + " of sensor " + f.getSensorId() + " was already received");
            return;
        }
        long ts = Timestamps.toMicros(f.getTimestamp());
        if (last != null && seq < last) {
            reject(ctx, in, RejectReason.LATE_FRAME, "sequence " + seq + " of sensor " + f.getSensorId() + " arrived after its window closed (frame " + last + " was already processed)");
            return;
        }
        if (baseSequence.value() == null) baseSequence.update(seq);
        frames.put(seq, voxelizer.voxelize(f, in.getIngestMicros()));
        if (last == null || seq == last + 1) {
            processInOrder(ctx.getCurrentKey(), seq, out);
        } else {
            ctx.timerService().registerEventTimeTimer(ts / 1000);
        }
    }

    /** The watermark passed a waiting frame: frames before it that never came are lost. */
    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<SparseFeatureFrame> out) throws Exception {
        // Timers are only set after a first frame was processed, so lastProcessed is set.
        long last = lastProcessed.value();
        List<Long> due = new ArrayList<>();
        for (var e : frames.entries()) {
            if (e.getKey() > last && e.getValue().timestampMicros() / 1000 <= timestamp) due.add(e.getKey());
        }
        Collections.sort(due);
        for (long seq : due) {
            // processInOrder may already have taken this frame as the successor of an earlier one.
            if (seq > lastProcessed.value()) processInOrder(ctx.getCurrentKey(), seq, out);
        }
    }

    /** Processes {@code seq}, then every directly following sequence that is already waiting. */
    private void processInOrder(String sensorId, long seq, Collector<SparseFeatureFrame> out) throws Exception {
        long next = seq;
        do {
            process(sensorId, next, out);
            next++;
        } while (frames.contains(next));
    }

    private void process(String sensorId, long seq, Collector<SparseFeatureFrame> out) throws Exception {
        VoxelFrame newest = frames.get(seq);
        List<Long> evicted = new ArrayList<>();
        List<VoxelFrame> window = new ArrayList<>();
        for (var e : frames.entries()) {
            VoxelFrame f = e.getValue();
            if (f.sequence() > seq) continue;
            if (options.keeps(f.sequence(), f.timestampMicros(), seq, newest.timestampMicros())) window.add(f);
            else evicted.add(e.getKey());
        }
        for (long s : evicted) frames.remove(s);
        window.sort((a, b) -> Long.compare(a.sequence(), b.sequence()));
        lastProcessed.update(seq);
        WindowResult r = inference.run(sensorId, window, baseSequence.value(), options.wholeWindow());
        if (r == null) return;
        VoxelFrame emitted = newest;
        for (VoxelFrame f : window) if (f.sequence() == r.sequence()) emitted = f;
        long latency = System.currentTimeMillis() * 1000L - emitted.ingestMicros();
        out.collect(toRecord(sensorId, emitted, window, r, latency));
        int voxels = 0;
        for (VoxelFrame f : window) voxels += f.voxels();
        metrics.frameOut(voxels, r.networkNanos(), latency);
    }

    /** The record for frame {@code emitted}; the window is the one that made it final. */
    private SparseFeatureFrame toRecord(String sensorId, VoxelFrame emitted, List<VoxelFrame> window, WindowResult r, long latencyMicros) {
        float[] voxel = voxelizer.options().voxelSize();
        return SparseFeatureFrame.newBuilder()
                .setSensorId(sensorId)
                .setSequence(emitted.sequence())
                .setFrameTimestamp(Timestamps.fromMicros(emitted.timestampMicros()))
                .setWindowFirstSequence(window.get(0).sequence())
                .setWindowLastSequence(window.get(window.size() - 1).sequence())
                .setFramesInWindow(window.size())
                .setTensorStride(r.tensorStride())
                .setCoordinates(PackedInts.encode(r.coords()))
                .setFeatures(PackedFloats.encode(r.features()))
                .setChannels(r.channels())
                .setRowCount(r.rows())
                .setLabels(r.labels() == null ? null : PackedInts.encode(r.labels()))
                .setTruthLabels(r.truth() == null ? null : PackedInts.encode(r.truth()))
                .setProcessingLatencyMicros(latencyMicros)
                .setVoxelSizeX(voxel[0])
                .setVoxelSizeY(voxel[1])
                .setVoxelSizeZ(voxel[2])
                .build();
    }

    private void reject(Context ctx, SourcedSensorFrame in, RejectReason reason, String message) {
        rejections.count(reason);
        SensorFrame f = in.getFrame();
        byte[] raw;
        try {
            ByteBuffer b = f.toByteBuffer();
            raw = new byte[b.remaining()];
            b.get(raw);
        } catch (java.io.IOException e) {
            raw = new byte[0];
        }
        ctx.output(REJECTED, new Rejection(reason, message).toRecord(raw, in.getSourceTopic(), in.getSourcePartition(), in.getSourceOffset(),
                f.getSensorId(), f.getSequence()));
    }
}
