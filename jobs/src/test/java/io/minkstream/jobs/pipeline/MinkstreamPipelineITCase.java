package io.minkstream.jobs.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.minkstream.jobs.kafka.EmbeddedKafkaBroker;
import io.minkstream.jobs.publish.FramePublisher;
import io.minkstream.jobs.publish.SensorFrames;
import io.minkstream.operators.decode.DecodeOptions;
import io.minkstream.operators.inference.DeviceSpec;
import io.minkstream.operators.inference.InferenceModel;
import io.minkstream.operators.inference.RecomputeInference;
import io.minkstream.operators.inference.WindowMode;
import io.minkstream.operators.inference.WindowResult;
import io.minkstream.operators.voxel.VoxelFrame;
import io.minkstream.operators.voxel.Voxelizer;
import io.minkstream.operators.voxel.VoxelizerOptions;
import io.minkstream.operators.window.WindowOptions;
import io.minkstream.engine.backend.CpuBackend;
import io.minkstream.schemas.PackedFloats;
import io.minkstream.schemas.PackedInts;
import io.minkstream.schemas.RejectReason;
import io.minkstream.schemas.RejectedFrame;
import io.minkstream.schemas.SensorFrame;
import io.minkstream.schemas.SourcedSensorFrame;
import io.minkstream.schemas.SparseFeatureFrame;
import io.minkstream.schemas.Timestamps;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole job against a real broker and a Flink mini cluster: every good frame comes out exactly
 * once (read_committed), equal to running the same network on the same window through the engine;
 * every kind of bad frame lands in the dead-letter topic with its reason; and an injected failure
 * after a checkpoint still leaves each frame exactly once in the output.
 */
class MinkstreamPipelineITCase {
    private static final String[] SENSORS = {"lidar-a", "lidar-b", "lidar-c"};
    private static final int FRAMES = 12;
    private static final int WINDOW = 3;

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    private static JobOptions options(String prefix) {
        return options(prefix, WindowMode.RECOMPUTE);
    }

    private static JobOptions options(String prefix, WindowMode mode) {
        return JobOptions.builder()
                .bootstrapServers(broker.bootstrapServers())
                .inputTopic(prefix + "-in").outputTopic(prefix + "-out").deadLetterTopic(prefix + "-dlq")
                .groupId(prefix).transactionalIdPrefix(prefix)
                .decode(new DecodeOptions(1000, 60_000_000L))
                .voxelizer(voxelizer())
                .window(new WindowOptions(WINDOW, 0, false))
                .model(SyntheticFrames.causalTestModel())
                .windowMode(mode)
                .device(new DeviceSpec("cpu", 1))
                .bounded(true)
                .build();
    }

    private static VoxelizerOptions voxelizer() {
        return new VoxelizerOptions(new float[] {0.2f, 0.2f, 0.2f}, new float[] {-10, -10, -10}, new float[] {10, 10, 10}, true);
    }

    private static StreamExecutionEnvironment environment() {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        env.enableCheckpointing(300);
        return env;
    }

    private static void publishGood(JobOptions o) {
        try (FramePublisher p = new FramePublisher(o.bootstrapServers, o.inputTopic, Map.of())) {
            for (int q = 0; q < FRAMES; q++) {
                for (String s : SENSORS) p.send(s, SensorFrames.encode(SyntheticFrames.frame(s, q)));
            }
            p.flush();
        }
    }

    @Test
    void everyGoodFrameExactlyOnceAndEqualToTheEngine() throws Exception {
        JobOptions o = options("good");
        broker.createTopics(List.of(o.inputTopic, o.outputTopic, o.deadLetterTopic), 2);
        publishGood(o);
        StreamExecutionEnvironment env = environment();
        MinkstreamPipeline.build(env, o);
        env.execute("pipeline-good");

        Map<String, SparseFeatureFrame> out = readOutputs(o, SENSORS.length * FRAMES);
        assertThat(out).hasSize(SENSORS.length * FRAMES);
        assertEqualToEngine(o, out);
        assertThat(KafkaTestIO.readCommitted(o.bootstrapServers, o.deadLetterTopic, 0, Duration.ofSeconds(3))).isEmpty();
    }

    @Test
    void badFramesGoToTheDeadLetterTopicWithTheirReason() throws Exception {
        JobOptions o = options("bad");
        broker.createTopics(List.of(o.inputTopic, o.outputTopic, o.deadLetterTopic), 2);
        Map<RejectReason, Integer> expected = new HashMap<>();
        try (FramePublisher p = new FramePublisher(o.bootstrapServers, o.inputTopic, Map.of())) {
            for (int q = 0; q < FRAMES; q++) {
                for (String s : SENSORS) p.send(s, SensorFrames.encode(SyntheticFrames.frame(s, q)));
                if (q == 2) sendBad(p, expected);
            }
            // A resend of a frame still in its window is a duplicate; one whose window has closed is late.
            p.send(SENSORS[0], SensorFrames.encode(SyntheticFrames.frame(SENSORS[0], FRAMES - 1)));
            expected.merge(RejectReason.DUPLICATE_SEQUENCE, 1, Integer::sum);
            p.send(SENSORS[1], SensorFrames.encode(SyntheticFrames.frame(SENSORS[1], 1)));
            expected.merge(RejectReason.LATE_FRAME, 1, Integer::sum);
            p.flush();
        }
        StreamExecutionEnvironment env = environment();
        MinkstreamPipeline.build(env, o);
        env.execute("pipeline-bad");

        Map<String, SparseFeatureFrame> out = readOutputs(o, SENSORS.length * FRAMES);
        assertThat(out).as("good frames between the bad ones").hasSize(SENSORS.length * FRAMES);
        int total = expected.values().stream().mapToInt(Integer::intValue).sum();
        List<ConsumerRecord<byte[], byte[]>> dlq = KafkaTestIO.readCommitted(o.bootstrapServers, o.deadLetterTopic, total, Duration.ofSeconds(30));
        Map<RejectReason, Integer> got = new HashMap<>();
        for (var r : dlq) {
            RejectedFrame rf = RejectedFrame.fromByteBuffer(ByteBuffer.wrap(r.value()));
            got.merge(rf.getReason(), 1, Integer::sum);
            assertThat(rf.getMessage()).isNotBlank();
            assertThat(rf.getSourceTopic()).isEqualTo(o.inputTopic);
            assertThat(rf.getRaw().remaining()).isPositive();
        }
        assertThat(got).isEqualTo(expected);
    }

    /** One frame per reason the decoder and validator can give. */
    private static void sendBad(FramePublisher p, Map<RejectReason, Integer> expected) {
        String s = "lidar-bad";
        p.send(s, new byte[] {1, 2, 3, 4, 5});
        expected.put(RejectReason.UNDECODABLE, 1);
        byte[] otherSchema = SensorFrames.encode(SyntheticFrames.frame(s, 0));
        otherSchema[3] ^= 0x5a;
        p.send(s, otherSchema);
        expected.put(RejectReason.UNKNOWN_SCHEMA, 1);
        SensorFrame f = SyntheticFrames.frame(s, 1);
        f.setPointCount(f.getPointCount() + 1);
        p.send(s, SensorFrames.encode(f));
        expected.put(RejectReason.BUFFER_LENGTH_MISMATCH, 1);
        f = SyntheticFrames.frame(s, 2);
        float[] pos = PackedFloats.decode(f.getPositions(), "positions", 3L * f.getPointCount());
        pos[7] = Float.NaN;
        f.setPositions(PackedFloats.encode(pos));
        p.send(s, SensorFrames.encode(f));
        expected.put(RejectReason.NON_FINITE_VALUE, 1);
        f = SyntheticFrames.frame(s, 3);
        int many = 1001;
        f.setPointCount(many);
        f.setPositions(PackedFloats.encode(new float[many * 3]));
        f.setFeatures(PackedFloats.encode(new float[many]));
        f.setLabels(PackedInts.encode(new int[many]));
        p.send(s, SensorFrames.encode(f));
        expected.put(RejectReason.TOO_MANY_POINTS, 1);
        f = SyntheticFrames.frame(s, 4);
        f.setSensorId("");
        p.send(s, SensorFrames.encode(f));
        expected.put(RejectReason.EMPTY_SENSOR_ID, 1);
        f = SyntheticFrames.frame(s, 5);
        f.setSequence(-1L);
        p.send(s, SensorFrames.encode(f));
        expected.put(RejectReason.NEGATIVE_SEQUENCE, 1);
        f = SyntheticFrames.frame(s, 6);
        f.setTimestamp(Timestamps.fromMicros(System.currentTimeMillis() * 1000L + 86_400_000_000L));
        p.send(s, SensorFrames.encode(f));
        expected.put(RejectReason.FUTURE_TIMESTAMP, 1);
        f = SyntheticFrames.frame(s, 7);
        float[] pose = {2, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
        f.setPose(PackedFloats.encode(pose));
        p.send(s, SensorFrames.encode(f));
        expected.put(RejectReason.INVALID_POSE, 1);
    }

    @Test
    void anInjectedFailureAfterACheckpointStillGivesEachFrameOnce() throws Exception {
        // Incremental windows: the caches are cold after the restore and must still give the same numbers.
        JobOptions o = options("failover", WindowMode.INCREMENTAL);
        broker.createTopics(List.of(o.inputTopic, o.outputTopic, o.deadLetterTopic), 2);
        publishGood(o);
        StreamExecutionEnvironment env = environment();
        FailOnceAfterCheckpoint.FAILED.set(false);
        MinkstreamPipeline.build(env, o, frames -> frames.map(new FailOnceAfterCheckpoint(SENSORS.length * FRAMES / 2))
                .returns(io.minkstream.schemas.AvroTypes.sourcedSensorFrame()).name("fail once"));
        env.execute("pipeline-failover");

        assertThat(FailOnceAfterCheckpoint.FAILED).as("the job really failed once").isTrue();
        assertThat(KafkaTestIO.readCommitted(o.bootstrapServers, o.deadLetterTopic, 0, Duration.ofSeconds(3))).as("dead letters").isEmpty();
        Map<String, SparseFeatureFrame> out = readOutputs(o, SENSORS.length * FRAMES);
        assertThat(out).hasSize(SENSORS.length * FRAMES);
        assertEqualToEngine(o, out);
    }

    /** Reads the output, asserting each (sensor, sequence) appears exactly once. */
    private static Map<String, SparseFeatureFrame> readOutputs(JobOptions o, int expected) {
        List<ConsumerRecord<byte[], byte[]>> records = KafkaTestIO.readCommitted(o.bootstrapServers, o.outputTopic, expected, Duration.ofSeconds(60));
        Map<String, SparseFeatureFrame> byId = new HashMap<>();
        for (var r : records) {
            SparseFeatureFrame f = decode(r.value());
            String id = f.getSensorId() + "#" + f.getSequence();
            assertThat(byId.put(id, f)).as("duplicate output " + id).isNull();
            assertThat(new String(r.key(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(f.getSensorId());
        }
        return byId;
    }

    private static SparseFeatureFrame decode(byte[] bytes) {
        try {
            return SparseFeatureFrame.fromByteBuffer(ByteBuffer.wrap(bytes));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Recomputes every output directly with the engine from the same frames and compares. */
    private static void assertEqualToEngine(JobOptions o, Map<String, SparseFeatureFrame> out) {
        Voxelizer voxelizer = new Voxelizer(o.voxelizer);
        InferenceModel model = o.model.load();
        try (RecomputeInference reference = new RecomputeInference(model, new CpuBackend(1))) {
            for (String s : SENSORS) {
                List<VoxelFrame> history = new ArrayList<>();
                for (int q = 0; q < FRAMES; q++) {
                    history.add(voxelizer.voxelize(SyntheticFrames.frame(s, q), 0));
                    List<VoxelFrame> window = history.subList(Math.max(0, history.size() - WINDOW), history.size());
                    WindowResult r = reference.run(s, window, 0, false);
                    SparseFeatureFrame got = out.get(s + "#" + q);
                    assertThat(got).as("output of " + s + "#" + q).isNotNull();
                    assertThat(got.getFramesInWindow()).isEqualTo(window.size());
                    assertThat(got.getRowCount()).isEqualTo(r.rows());
                    assertThat(PackedInts.decode(got.getCoordinates(), "coordinates", 4L * r.rows())).isEqualTo(r.coords());
                    float[] f = PackedFloats.decode(got.getFeatures(), "features", (long) r.rows() * r.channels());
                    for (int i = 0; i < f.length; i++) {
                        assertThat((double) f[i]).as(s + "#" + q + " feature " + i).isCloseTo(r.features()[i], org.assertj.core.data.Offset.offset(1e-4 + 1e-4 * Math.abs(r.features()[i])));
                    }
                    assertThat(PackedInts.decode(got.getTruthLabels(), "truth", r.rows())).isEqualTo(r.truth());
                }
            }
        }
    }

    /**
     * Slows frames down (50 ms each) so that checkpoints complete mid-stream, and throws once, on the
     * first frame after a completed checkpoint once n frames have passed. Never blocks: a task
     * waiting for a checkpoint would hold back the barrier it waits for.
     */
    static final class FailOnceAfterCheckpoint extends RichMapFunction<SourcedSensorFrame, SourcedSensorFrame> implements CheckpointListener {
        static final AtomicBoolean FAILED = new AtomicBoolean();
        private final int after;
        private transient int seen;
        private transient volatile boolean checkpointed;

        FailOnceAfterCheckpoint(int after) {
            this.after = after / 2;
        }

        @Override
        public void open(OpenContext context) {
            seen = 0;
        }

        @Override
        public SourcedSensorFrame map(SourcedSensorFrame f) throws Exception {
            Thread.sleep(50);
            if (++seen >= after && checkpointed && FAILED.compareAndSet(false, true)) {
                throw new IllegalStateException("injected failure after " + seen + " frames");
            }
            return f;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            checkpointed = true;
        }
    }

}
