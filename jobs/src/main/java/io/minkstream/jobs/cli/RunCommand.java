package io.minkstream.jobs.cli;

import io.minkstream.jobs.pipeline.JobOptions;
import io.minkstream.jobs.pipeline.MinkstreamPipeline;
import io.minkstream.operators.decode.DecodeOptions;
import io.minkstream.operators.inference.DeviceSpec;
import io.minkstream.operators.inference.LabelRule;
import io.minkstream.operators.inference.ModelInput;
import io.minkstream.operators.inference.ModelSource;
import io.minkstream.operators.inference.MotionModel;
import io.minkstream.operators.inference.WindowMode;
import io.minkstream.operators.voxel.VoxelizerOptions;
import io.minkstream.operators.window.WindowOptions;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.JobListener;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code minkstream run}: the production Kafka-to-Kafka job. Builds {@link JobOptions} from the flags
 * (every value checked before anything starts), then the pipeline on
 * {@link StreamExecutionEnvironment#getExecutionEnvironment(Configuration)}: submitted with
 * {@code flink run} or the REST API it runs on that cluster, started with {@code java -jar} it runs on a
 * local mini cluster in this JVM.
 */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run the Kafka-to-Kafka job: sensor frames in, windowed 4-D Minkowski network, features out exactly once.")
public final class RunCommand implements Callable<Integer> {
    static final Map<String, WindowMode> WINDOW_MODES = choices("incremental", WindowMode.INCREMENTAL, "recompute", WindowMode.RECOMPUTE);
    static final Map<String, ModelInput> MODEL_INPUTS = choices("occupancy", ModelInput.OCCUPANCY, "features", ModelInput.FEATURES,
            "occupancy+features", ModelInput.OCCUPANCY_AND_FEATURES);
    static final Map<String, Boolean> EMIT = choices("newest", false, "window", true);
    static final Map<String, String> STATE_BACKENDS = choices("hashmap", "hashmap", "rocksdb", "rocksdb");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--bootstrap-servers", required = true, paramLabel = "HOST:PORT[,...]", description = "Kafka bootstrap servers.")
    String bootstrapServers;
    @Option(names = "--input-topic", defaultValue = "sensor-frames", description = "Topic of Avro SensorFrames (default: ${DEFAULT-VALUE}).")
    String inputTopic;
    @Option(names = "--output-topic", defaultValue = "sensor-features", description = "Topic for SparseFeatureFrames (default: ${DEFAULT-VALUE}).")
    String outputTopic;
    @Option(names = "--dlq-topic", defaultValue = "sensor-frames-dlq", description = "Dead-letter topic for RejectedFrames (default: ${DEFAULT-VALUE}).")
    String dlqTopic;
    @Option(names = "--group-id", defaultValue = "minkstream", description = "Consumer group (default: ${DEFAULT-VALUE}).")
    String groupId;
    @Option(names = "--kafka-property", paramLabel = "KEY=VALUE", description = "Kafka client property for the source and both sinks (SASL, TLS, ...); repeatable.")
    List<String> kafkaProperties = new ArrayList<>();

    @Option(names = "--window-frames", defaultValue = "" + MotionModel.WINDOW_FRAMES, paramLabel = "N", description = "Frames per sliding window (default: ${DEFAULT-VALUE}).")
    int windowFrames;
    @Option(names = "--window-span-ms", defaultValue = "0", paramLabel = "MS", description = "Keep frames this recent instead of a count; 0 = by count (default).")
    long windowSpanMs;
    @Option(names = "--emit", defaultValue = "newest", paramLabel = "newest|window", description = "Emit the newest frame's rows or the whole window's (default: ${DEFAULT-VALUE}).")
    String emit;
    @Option(names = "--voxel-size", defaultValue = "" + MotionModel.VOXEL_SIZE, paramLabel = "M|X,Y,Z", description = "Voxel edge in metres, one value or x,y,z (default: ${DEFAULT-VALUE}).")
    String voxelSize;
    @Option(names = "--crop-box", defaultValue = "-80,-80,-5,80,80,15", paramLabel = "XMIN,YMIN,ZMIN,XMAX,YMAX,ZMAX", description = "Points outside are dropped, metres after the pose (default: ${DEFAULT-VALUE}).")
    String cropBox;
    @Option(names = "--no-pose", description = "Voxelize in the sensor frame, ignoring the frames' poses.")
    boolean noPose;

    @Option(names = "--model", paramLabel = "NAME", description = "Built-in model: motion (the default when no --model-spec is given).")
    String model;
    @Option(names = "--model-spec", paramLabel = "FILE.json", description = "Your network's JSON spec (with --model-weights).")
    Path modelSpec;
    @Option(names = "--model-weights", paramLabel = "FILE.safetensors", description = "Your network's weights (with --model-spec).")
    Path modelWeights;
    @Option(names = "--model-input", defaultValue = "occupancy", paramLabel = "occupancy|features|occupancy+features", description = "Input channels of your network (default: ${DEFAULT-VALUE}).")
    String modelInput;
    @Option(names = "--label-channel", paramLabel = "C", description = "Label rows 1 when output channel C exceeds --label-threshold (your network).")
    Integer labelChannel;
    @Option(names = "--label-threshold", paramLabel = "X", description = "Threshold for --label-channel.")
    Float labelThreshold;

    @Option(names = "--device", defaultValue = "auto", paramLabel = "auto|cpu|cuda|cuda:N", description = "Compute device per subtask (default: ${DEFAULT-VALUE}).")
    String device;
    @Option(names = "--cpu-threads", defaultValue = "1", paramLabel = "N", description = "CPU threads per subtask (default: ${DEFAULT-VALUE}).")
    int cpuThreads;
    @Option(names = "--window-mode", paramLabel = "incremental|recompute", description = "Incremental per-frame inference or whole-window recompute (default: the job's, incremental).")
    String windowMode;
    @Option(names = "--cache-budget-mb", paramLabel = "MB", description = "Memory per subtask for the incremental mode's cached kernel maps and activations (default: the job's, 256).")
    Long cacheBudgetMb;

    @Option(names = "--parallelism", paramLabel = "N", description = "Job parallelism (default: the environment's).")
    Integer parallelism;
    @Option(names = "--checkpoint-interval-ms", defaultValue = "2000", paramLabel = "MS", description = "Checkpoint (= Kafka commit) interval (default: ${DEFAULT-VALUE}).")
    long checkpointIntervalMs;
    @Option(names = "--checkpoint-dir", paramLabel = "URI", description = "Checkpoint storage, e.g. file:///data/checkpoints or s3://bucket/path (default: the JobManager's memory).")
    String checkpointDir;
    @Option(names = "--state-backend", paramLabel = "hashmap|rocksdb", description = "Keyed state backend (default: the cluster's; hashmap on a local mini cluster).")
    String stateBackend;
    @Option(names = "--out-of-orderness-ms", defaultValue = "200", paramLabel = "MS", description = "Watermark delay behind the newest frame (default: ${DEFAULT-VALUE}).")
    long outOfOrdernessMs;
    @Option(names = "--max-points", defaultValue = "500000", paramLabel = "N", description = "Frames with more points are dead-lettered (default: ${DEFAULT-VALUE}).")
    int maxPoints;
    @Option(names = "--bounded", description = "Stop at the input's end offsets at start-up instead of running forever.")
    boolean bounded;
    @Option(names = "--transactional-id-prefix", defaultValue = "minkstream", description = "Prefix of the sinks' Kafka transactional ids (default: ${DEFAULT-VALUE}).")
    String transactionalIdPrefix;
    @Option(names = "--job-name", defaultValue = "minkstream", description = "Flink job name (default: ${DEFAULT-VALUE}).")
    String jobName;

    @Override
    public Integer call() throws Exception {
        JobOptions options = jobOptions();
        Configuration conf = flinkConfiguration();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        configure(env);
        MinkstreamPipeline.build(env, options);
        PrintWriter err = spec.commandLine().getErr();
        env.registerJobListener(new JobListener() {
            @Override
            public void onJobSubmitted(JobClient client, Throwable t) {
                if (client != null) {
                    err.println("run: submitted job '" + jobName + "' (" + client.getJobID() + "): " + options.inputTopic + " -> "
                            + options.outputTopic + ", dead letters -> " + options.deadLetterTopic + ", model " + options.model.name());
                    err.flush();
                }
            }

            @Override
            public void onJobExecuted(JobExecutionResult result, Throwable t) {
            }
        });
        JobExecutionResult result = env.execute(jobName);
        if (result != null && result.isJobExecutionResult()) {
            err.println("run: job '" + jobName + "' finished in " + result.getNetRuntime() / 1000.0 + " s");
            err.flush();
        }
        return 0;
    }

    /** Every flag checked and turned into the job's options; throws {@link InvalidOptionException}. */
    JobOptions jobOptions() {
        OptionValues.atLeast("--window-frames", windowFrames, 1);
        OptionValues.atLeast("--window-span-ms", windowSpanMs, 0);
        OptionValues.atLeast("--cpu-threads", cpuThreads, 1);
        OptionValues.atLeast("--max-points", maxPoints, 1);
        OptionValues.atLeast("--out-of-orderness-ms", outOfOrdernessMs, 0);
        OptionValues.atLeast("--checkpoint-interval-ms", checkpointIntervalMs, 10);
        if (parallelism != null) OptionValues.atLeast("--parallelism", parallelism, 1);
        if (stateBackend != null) OptionValues.choice("--state-backend", stateBackend, STATE_BACKENDS);
        requireNonBlank("--bootstrap-servers", bootstrapServers);
        requireNonBlank("--group-id", groupId);
        requireNonBlank("--transactional-id-prefix", transactionalIdPrefix);
        requireDistinctTopics();

        float[][] crop = OptionValues.cropBox("--crop-box", cropBox);
        JobOptions.Builder b = JobOptions.builder()
                .bootstrapServers(bootstrapServers.strip())
                .inputTopic(inputTopic).outputTopic(outputTopic).deadLetterTopic(dlqTopic)
                .groupId(groupId)
                .decode(new DecodeOptions(maxPoints, DecodeOptions.DEFAULTS.maxFutureMicros()))
                .voxelizer(new VoxelizerOptions(OptionValues.voxelSize("--voxel-size", voxelSize), crop[0], crop[1], !noPose))
                .window(new WindowOptions(windowFrames, windowSpanMs * 1000L, OptionValues.choice("--emit", emit, EMIT)))
                .model(modelSource())
                .device(deviceSpec(device, cpuThreads))
                .outOfOrdernessMillis(outOfOrdernessMs)
                .bounded(bounded)
                .transactionalIdPrefix(transactionalIdPrefix);
        if (windowMode != null) b.windowMode(OptionValues.choice("--window-mode", windowMode, WINDOW_MODES));
        if (cacheBudgetMb != null) b.cacheBudgetBytes(OptionValues.atLeast("--cache-budget-mb", cacheBudgetMb, 0) << 20);
        for (String kv : kafkaProperties) {
            var e = OptionValues.keyValue("--kafka-property", kv);
            b.kafkaProperty(e.getKey(), e.getValue());
        }
        warnAboutShortWindow();
        return b.build();
    }

    static DeviceSpec deviceSpec(String device, int cpuThreads) {
        try {
            return new DeviceSpec(device.strip().toLowerCase(java.util.Locale.ROOT), cpuThreads);
        } catch (IllegalArgumentException e) {
            throw new InvalidOptionException("--device", "expected auto, cpu, cuda or cuda:N, got \"" + device + "\"");
        }
    }

    private ModelSource modelSource() {
        boolean custom = modelSpec != null || modelWeights != null;
        if (model != null && custom) {
            throw new InvalidOptionException("--model", "give either a built-in model or --model-spec with --model-weights, not both");
        }
        if (labelChannel != null && labelThreshold == null) throw new InvalidOptionException("--label-threshold", "required with --label-channel");
        if (labelChannel == null && labelThreshold != null) throw new InvalidOptionException("--label-channel", "required with --label-threshold");
        if (!custom) {
            String name = model == null ? MotionModel.NAME : model.strip();
            if (!name.equals(MotionModel.NAME)) {
                throw new InvalidOptionException("--model", "unknown built-in model \"" + model + "\" (built-in: " + MotionModel.NAME
                        + "); give your own with --model-spec and --model-weights");
            }
            if (labelChannel != null) {
                throw new InvalidOptionException("--label-channel", "the built-in model has its own label rule; use it with --model-spec");
            }
            return MotionModel.source();
        }
        if (modelSpec == null) throw new InvalidOptionException("--model-spec", "required with --model-weights");
        if (modelWeights == null) throw new InvalidOptionException("--model-weights", "required with --model-spec");
        OptionValues.existingFile("--model-spec", modelSpec);
        OptionValues.existingFile("--model-weights", modelWeights);
        ModelInput input = OptionValues.choice("--model-input", modelInput, MODEL_INPUTS);
        LabelRule rule = null;
        if (labelChannel != null) {
            OptionValues.atLeast("--label-channel", labelChannel, 0);
            if (!Float.isFinite(labelThreshold)) throw new InvalidOptionException("--label-threshold", "must be finite, got " + labelThreshold);
            rule = new LabelRule(labelChannel, labelThreshold);
        }
        try {
            return ModelSource.fromFiles(modelSpec, modelWeights, input, rule);
        } catch (UncheckedIOException | IllegalArgumentException | IllegalStateException e) {
            throw new InvalidOptionException("--model-spec", "cannot load the model from " + modelSpec + " and " + modelWeights + ": "
                    + MinkstreamCli.describe(e));
        }
    }

    private void warnAboutShortWindow() {
        boolean motion = modelSpec == null && modelWeights == null;
        if (motion && windowSpanMs == 0 && windowFrames < MotionModel.WINDOW_FRAMES) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("run: warning: the built-in model " + MotionModel.NAME + " looks " + (MotionModel.WINDOW_FRAMES - 1)
                    + " frames back; with --window-frames " + windowFrames + " it labels every voxel moving");
            err.flush();
        }
    }

    private void requireDistinctTopics() {
        requireNonBlank("--input-topic", inputTopic);
        requireNonBlank("--output-topic", outputTopic);
        requireNonBlank("--dlq-topic", dlqTopic);
        if (inputTopic.equals(outputTopic)) throw new InvalidOptionException("--output-topic", "must differ from --input-topic, both are \"" + inputTopic + "\"");
        if (inputTopic.equals(dlqTopic)) throw new InvalidOptionException("--dlq-topic", "must differ from --input-topic, both are \"" + inputTopic + "\"");
        if (outputTopic.equals(dlqTopic)) throw new InvalidOptionException("--dlq-topic", "must differ from --output-topic, both are \"" + outputTopic + "\"");
    }

    private static void requireNonBlank(String option, String value) {
        if (value == null || value.isBlank()) throw new InvalidOptionException(option, "must not be empty");
    }

    /** State backend and checkpoint storage go through the configuration, as Flink 2 wants. */
    Configuration flinkConfiguration() {
        Configuration conf = new Configuration();
        // Set only when given: a value here would override what the cluster's configuration says.
        if (stateBackend != null) conf.set(StateBackendOptions.STATE_BACKEND, OptionValues.choice("--state-backend", stateBackend, STATE_BACKENDS));
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(checkpointIntervalMs));
        if (checkpointDir != null) {
            requireNonBlank("--checkpoint-dir", checkpointDir);
            conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpointDir.strip());
        }
        return conf;
    }

    private void configure(StreamExecutionEnvironment env) {
        // Exactly-once output: the Kafka transactions commit when a checkpoint completes.
        env.enableCheckpointing(checkpointIntervalMs);
        if (parallelism != null) env.setParallelism(parallelism);
    }

    private static <T> Map<String, T> choices(Object... keyValues) {
        Map<String, T> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            @SuppressWarnings("unchecked")
            T v = (T) keyValues[i + 1];
            m.put((String) keyValues[i], v);
        }
        return m;
    }
}
