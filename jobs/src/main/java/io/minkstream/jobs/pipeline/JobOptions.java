package io.minkstream.jobs.pipeline;

import io.minkstream.operators.decode.DecodeOptions;
import io.minkstream.operators.inference.DefaultInferenceFactory;
import io.minkstream.operators.inference.DeviceSpec;
import io.minkstream.operators.inference.ModelSource;
import io.minkstream.operators.inference.MotionModel;
import io.minkstream.operators.inference.WindowMode;
import io.minkstream.operators.voxel.VoxelizerOptions;
import io.minkstream.operators.window.WindowOptions;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything the Kafka-to-Kafka job needs, validated when built. The CLI fills it from flags;
 * tests and the demo fill it directly.
 */
public final class JobOptions {
    public final String bootstrapServers;
    public final String inputTopic;
    public final String outputTopic;
    public final String deadLetterTopic;
    public final String groupId;
    public final Map<String, String> kafkaProperties;
    public final DecodeOptions decode;
    public final VoxelizerOptions voxelizer;
    public final WindowOptions window;
    public final ModelSource model;
    public final WindowMode windowMode;
    public final DeviceSpec device;
    public final long cacheBudgetBytes;
    public final long outOfOrdernessMillis;
    public final boolean bounded;
    public final String transactionalIdPrefix;

    private JobOptions(Builder b) {
        this.bootstrapServers = require(b.bootstrapServers, "bootstrap servers");
        this.inputTopic = require(b.inputTopic, "input topic");
        this.outputTopic = require(b.outputTopic, "output topic");
        this.deadLetterTopic = require(b.deadLetterTopic, "dead-letter topic");
        this.groupId = require(b.groupId, "consumer group");
        this.kafkaProperties = Map.copyOf(b.kafkaProperties);
        this.decode = b.decode;
        this.voxelizer = b.voxelizer;
        this.window = b.window;
        this.model = b.model;
        this.windowMode = b.windowMode;
        this.device = b.device;
        this.cacheBudgetBytes = b.cacheBudgetBytes;
        if (b.outOfOrdernessMillis < 0) throw new IllegalArgumentException("out-of-orderness must be >= 0 ms, got " + b.outOfOrdernessMillis);
        this.outOfOrdernessMillis = b.outOfOrdernessMillis;
        this.bounded = b.bounded;
        this.transactionalIdPrefix = require(b.transactionalIdPrefix, "transactional id prefix");
        if (inputTopic.equals(outputTopic) || inputTopic.equals(deadLetterTopic) || outputTopic.equals(deadLetterTopic)) {
            throw new IllegalArgumentException("input, output and dead-letter topics must differ: " + inputTopic + ", " + outputTopic + ", " + deadLetterTopic);
        }
    }

    private static String require(String v, String what) {
        if (v == null || v.isBlank()) throw new IllegalArgumentException(what + " must not be empty");
        return v;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Defaults: the built-in motion model with the window and voxel size it was designed for. */
    public static final class Builder {
        private String bootstrapServers;
        private String inputTopic = "sensor-frames";
        private String outputTopic = "sensor-features";
        private String deadLetterTopic = "sensor-frames-dlq";
        private String groupId = "minkstream";
        private final Map<String, String> kafkaProperties = new LinkedHashMap<>();
        private DecodeOptions decode = DecodeOptions.DEFAULTS;
        private VoxelizerOptions voxelizer = new VoxelizerOptions(
                new float[] {MotionModel.VOXEL_SIZE, MotionModel.VOXEL_SIZE, MotionModel.VOXEL_SIZE},
                new float[] {-80f, -80f, -5f}, new float[] {80f, 80f, 15f}, true);
        private WindowOptions window = new WindowOptions(MotionModel.WINDOW_FRAMES, 0, false);
        private ModelSource model = MotionModel.source();
        private WindowMode windowMode = WindowMode.INCREMENTAL;
        private DeviceSpec device = new DeviceSpec("auto", 1);
        private long cacheBudgetBytes = DefaultInferenceFactory.DEFAULT_CACHE_BUDGET_BYTES;
        private long outOfOrdernessMillis = 200;
        private boolean bounded;
        private String transactionalIdPrefix = "minkstream";

        public Builder bootstrapServers(String v) { bootstrapServers = v; return this; }
        public Builder inputTopic(String v) { inputTopic = v; return this; }
        public Builder outputTopic(String v) { outputTopic = v; return this; }
        public Builder deadLetterTopic(String v) { deadLetterTopic = v; return this; }
        public Builder groupId(String v) { groupId = v; return this; }
        public Builder kafkaProperty(String k, String v) { kafkaProperties.put(k, v); return this; }
        public Builder decode(DecodeOptions v) { decode = v; return this; }
        public Builder voxelizer(VoxelizerOptions v) { voxelizer = v; return this; }
        public Builder window(WindowOptions v) { window = v; return this; }
        public Builder model(ModelSource v) { model = v; return this; }
        public Builder windowMode(WindowMode v) { windowMode = v; return this; }
        public Builder device(DeviceSpec v) { device = v; return this; }
        /** Memory for incremental windows' cached maps and activations, per subtask. */
        public Builder cacheBudgetBytes(long v) { cacheBudgetBytes = v; return this; }
        public Builder outOfOrdernessMillis(long v) { outOfOrdernessMillis = v; return this; }
        /** Stop at the input's end offsets at start-up (tests, demo, replays) instead of running forever. */
        public Builder bounded(boolean v) { bounded = v; return this; }
        public Builder transactionalIdPrefix(String v) { transactionalIdPrefix = v; return this; }

        public JobOptions build() {
            return new JobOptions(this);
        }
    }
}
