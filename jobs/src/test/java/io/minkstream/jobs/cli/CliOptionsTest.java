package io.minkstream.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.minkstream.jobs.pipeline.JobOptions;
import io.minkstream.operators.inference.MotionModel;
import io.minkstream.operators.inference.WindowMode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/**
 * Every bad value fails before anything starts (no broker, no job: these run in milliseconds), with
 * status 2 and a message that names the option; good values reach the job's options unchanged. The
 * timeout turns a value that wrongly passes (and starts a job against a broker that is not there)
 * into a failure instead of a hung build.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CliOptionsTest {

    /** The result of one command line: status, stdout, stderr. */
    private record Outcome(int status, String out, String err) {
    }

    private static Outcome execute(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = MinkstreamCli.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int status = cl.execute(args);
        return new Outcome(status, out.toString(), err.toString());
    }

    @Test
    void voxelSizeErrorQuotesTheValue() {
        Outcome o = execute("run", "--bootstrap-servers", "localhost:1", "--voxel-size", "0.2,x");
        assertThat(o.status()).isEqualTo(2);
        assertThat(o.err()).startsWith("--voxel-size: expected 1 or 3 positive numbers, got \"0.2,x\"");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "--voxel-size|-0.2|--voxel-size: expected 1 or 3 positive numbers",
        "--voxel-size|0.2,0.2|--voxel-size: expected 1 or 3 positive numbers",
        "--crop-box|1,2,3|--crop-box: expected 6 numbers",
        "--crop-box|0,0,0,0,1,1|--crop-box: min must be below max",
        "--window-frames|0|--window-frames: must be >= 1, got 0",
        "--window-frames|many|'--window-frames'",
        "--window-span-ms|-5|--window-span-ms: must be >= 0",
        "--emit|all|--emit: expected one of newest|window, got \"all\"",
        "--device|tpu|--device: expected auto, cpu, cuda or cuda:N, got \"tpu\"",
        "--cpu-threads|0|--cpu-threads: must be >= 1",
        "--window-mode|fast|--window-mode: expected one of incremental|recompute",
        "--cache-budget-mb|-1|--cache-budget-mb: must be >= 0",
        "--state-backend|memory|--state-backend: expected one of hashmap|rocksdb",
        "--kafka-property|security.protocol|--kafka-property: expected key=value, got \"security.protocol\"",
        "--kafka-property|=SSL|--kafka-property: expected key=value",
        "--model|pointnet|--model: unknown built-in model \"pointnet\"",
        "--model-spec|spec.json|--model-weights: required with --model-spec",
        "--model-weights|w.safetensors|--model-spec: required with --model-weights",
        "--label-channel|0|--label-threshold: required with --label-channel",
        "--label-threshold|0.5|--label-channel: required with --label-threshold",
        "--output-topic|sensor-frames|--output-topic: must differ from --input-topic",
        "--dlq-topic|sensor-features|--dlq-topic: must differ from --output-topic",
        "--checkpoint-interval-ms|0|--checkpoint-interval-ms: must be >= 10",
        "--parallelism|0|--parallelism: must be >= 1",
        "--max-points|0|--max-points: must be >= 1",
        "--out-of-orderness-ms|-1|--out-of-orderness-ms: must be >= 0",
        "--group-id|' '|--group-id: must not be empty",
    })
    void runRejectsBadValuesNamingTheOption(String option, String value, String message) {
        Outcome o = execute("run", "--bootstrap-servers", "localhost:1", option, value);
        assertThat(o.status()).as(o.err()).isEqualTo(2);
        assertThat(o.err()).contains(message);
    }

    @Test
    void missingModelFilesAreNamed(@TempDir Path dir) {
        Outcome o = execute("run", "--bootstrap-servers", "localhost:1", "--model-spec", dir.resolve("net.json").toString(),
                "--model-weights", dir.resolve("net.safetensors").toString());
        assertThat(o.status()).isEqualTo(2);
        assertThat(o.err()).startsWith("--model-spec: no such file: ");
    }

    @Test
    void requiredOptionsAndUnknownOnesAreUsageErrors() {
        Outcome missing = execute("run");
        assertThat(missing.status()).isEqualTo(2);
        assertThat(missing.err()).contains("--bootstrap-servers");
        Outcome unknown = execute("run", "--bootstrap-servers", "x", "--voxelsize", "0.2");
        assertThat(unknown.status()).isEqualTo(2);
        assertThat(unknown.err()).contains("--voxelsize");
        assertThat(execute("frobnicate").status()).isEqualTo(2);
        assertThat(execute().status()).isEqualTo(2);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "demo --rate fast|--rate: expected a positive number of Hz or max, got \"fast\"",
        "demo --rate 0|--rate: expected a positive number of Hz or max",
        "demo --rate 250|--rate: the simulator scans at 0.1 to 100 Hz, got 250",
        "demo --rate 0.01|--rate: the simulator scans at 0.1 to 100 Hz, got 0.01",
        "demo --frames 0|--frames: must be >= 1",
        "demo --sensors 0|--sensors: must be >= 1",
        "demo --inject-bad -1|--inject-bad: must be >= 0",
        "demo --replay /no/such/folder|--replay: no such folder",
        "demo --window-mode sometimes|--window-mode: expected one of incremental|recompute",
        "demo --device tpu|--device: expected auto, cpu, cuda or cuda:N",
        "demo --web-ui-port 70000|--web-ui-port: must be 0 (a free port) or 1..65535",
        "simulate --bootstrap-servers x --rate max --frames 0|--frames: must be >= 1",
        "simulate --bootstrap-servers x --rate -3|--rate: expected a positive number",
        "simulate --bootstrap-servers x --start-sequence -1|--start-sequence: must be >= 0",
        "simulate --bootstrap-servers x --kafka-property nope|--kafka-property: expected key=value",
        "replay --bootstrap-servers x --dir /no/such/folder|--dir: no such folder",
        "replay --bootstrap-servers x --dir . --format las|--format: expected one of",
        "broker --port 70000|--port: must be 0 (a free port) or 1..65535, got 70000",
        "broker --port 9092 --controller-port 9092|--controller-port: must differ from --port",
        "broker --partitions 0|--partitions: must be >= 1",
    })
    void otherCommandsRejectBadValuesNamingTheOption(String commandLine, String message) {
        Outcome o = execute(commandLine.split(" "));
        assertThat(o.status()).as(o.err()).isEqualTo(2);
        assertThat(o.err()).contains(message);
    }

    @Test
    void replayOfAFolderWithoutScansNamesTheFolder(@TempDir Path empty) {
        Outcome o = execute("replay", "--bootstrap-servers", "x", "--dir", empty.toString());
        assertThat(o.status()).isEqualTo(2);
        assertThat(o.err()).startsWith("--dir: ").contains("neither a KITTI sequence");
    }

    @Test
    void flagsReachTheJobOptions() {
        RunCommand run = new RunCommand();
        CommandLine cl = new CommandLine(run);
        cl.parseArgs("--bootstrap-servers", " broker:9092 ", "--input-topic", "in", "--output-topic", "out", "--dlq-topic", "dlq",
                "--group-id", "g", "--kafka-property", "security.protocol=SASL_SSL", "--kafka-property", "sasl.jaas.config=a=b",
                "--window-frames", "20", "--window-span-ms", "1500", "--emit", "window", "--voxel-size", "0.1,0.2,0.3",
                "--crop-box", "-10,-20,-3,10,20,5", "--device", "CPU", "--cpu-threads", "3", "--window-mode", "recompute", "--cache-budget-mb", "64",
                "--out-of-orderness-ms", "50", "--max-points", "1000", "--bounded", "--transactional-id-prefix", "tx");
        JobOptions o = run.jobOptions();
        assertThat(o.bootstrapServers).isEqualTo("broker:9092");
        assertThat(o.inputTopic).isEqualTo("in");
        assertThat(o.outputTopic).isEqualTo("out");
        assertThat(o.deadLetterTopic).isEqualTo("dlq");
        assertThat(o.groupId).isEqualTo("g");
        assertThat(o.kafkaProperties).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.jaas.config", "a=b");
        assertThat(o.window.frames()).isEqualTo(20);
        assertThat(o.window.spanMicros()).isEqualTo(1_500_000L);
        assertThat(o.window.wholeWindow()).isTrue();
        assertThat(o.voxelizer.voxelSize()).containsExactly(0.1f, 0.2f, 0.3f);
        assertThat(o.voxelizer.cropMin()).containsExactly(-10f, -20f, -3f);
        assertThat(o.voxelizer.cropMax()).containsExactly(10f, 20f, 5f);
        assertThat(o.voxelizer.applyPose()).isTrue();
        assertThat(o.device.device()).isEqualTo("cpu");
        assertThat(o.device.cpuThreads()).isEqualTo(3);
        assertThat(o.windowMode).isEqualTo(WindowMode.RECOMPUTE);
        assertThat(o.cacheBudgetBytes).isEqualTo(64L << 20);
        assertThat(o.outOfOrdernessMillis).isEqualTo(50);
        assertThat(o.decode.maxPoints()).isEqualTo(1000);
        assertThat(o.bounded).isTrue();
        assertThat(o.transactionalIdPrefix).isEqualTo("tx");
        assertThat(o.model.name()).isEqualTo(MotionModel.NAME);
    }

    @Test
    void defaultsAreTheJobsDefaults() {
        RunCommand run = new RunCommand();
        new CommandLine(run).parseArgs("--bootstrap-servers", "b:9092");
        JobOptions o = run.jobOptions();
        JobOptions defaults = JobOptions.builder().bootstrapServers("b:9092").build();
        assertThat(o.inputTopic).isEqualTo("sensor-frames");
        assertThat(o.outputTopic).isEqualTo("sensor-features");
        assertThat(o.deadLetterTopic).isEqualTo("sensor-frames-dlq");
        assertThat(o.window).isEqualTo(defaults.window);
        assertThat(o.voxelizer.voxelSize()).containsExactly(defaults.voxelizer.voxelSize());
        assertThat(o.voxelizer.cropMin()).containsExactly(defaults.voxelizer.cropMin());
        assertThat(o.voxelizer.cropMax()).containsExactly(defaults.voxelizer.cropMax());
        assertThat(o.windowMode).isEqualTo(defaults.windowMode);
        assertThat(o.cacheBudgetBytes).isEqualTo(defaults.cacheBudgetBytes);
        assertThat(o.device).isEqualTo(defaults.device);
        assertThat(o.decode).isEqualTo(defaults.decode);
        assertThat(o.outOfOrdernessMillis).isEqualTo(defaults.outOfOrdernessMillis);
        assertThat(run.flinkConfiguration().getOptional(StateBackendOptions.STATE_BACKEND)).as("the cluster's choice").isEmpty();
    }

    @Test
    void stateBackendAndCheckpointsGoToTheConfiguration() {
        RunCommand run = new RunCommand();
        new CommandLine(run).parseArgs("--bootstrap-servers", "b:9092", "--state-backend", "RocksDB",
                "--checkpoint-dir", "file:///tmp/cp", "--checkpoint-interval-ms", "750");
        Configuration conf = run.flinkConfiguration();
        assertThat(conf.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("rocksdb");
        assertThat(conf.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY)).isEqualTo("file:///tmp/cp");
        assertThat(conf.get(CheckpointingOptions.CHECKPOINTING_INTERVAL)).isEqualTo(Duration.ofMillis(750));
    }
}
