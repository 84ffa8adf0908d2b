package io.minkstream.jobs.cli;

import io.minkstream.jobs.demo.Demo;
import io.minkstream.jobs.demo.DemoOptions;
import io.minkstream.jobs.demo.Rate;
import io.minkstream.jobs.demo.RecordedFeed;
import io.minkstream.operators.inference.WindowMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code minkstream demo}: everything in one process with no setup (see {@link Demo}). Prints
 * {@code demo: png=<path>} per sensor and one summary line on stdout; exit status 0 only when every
 * published record came out once, as a result or as a dead letter.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run broker, simulator, job (web UI on localhost:8081) and a consumer in this process; print a summary line and a PNG per sensor.",
            "frames_in counts every published record, malformed ones included, so frames_out = frames_in - rejected when nothing is lost."})
public final class DemoCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--frames", defaultValue = "" + DemoOptions.DEFAULT_FRAMES, paramLabel = "N", description = "Frames per sensor; with --replay, the recording's first N (default: ${DEFAULT-VALUE}).")
    int frames;
    @Option(names = "--sensors", defaultValue = "" + DemoOptions.DEFAULT_SENSORS, paramLabel = "S", description = "Simulated sensors (default: ${DEFAULT-VALUE}).")
    int sensors;
    @Option(names = "--rate", defaultValue = "10", paramLabel = "HZ|max", description = "Frames per second per sensor, or max (default: ${DEFAULT-VALUE}).")
    String rate;
    @Option(names = "--inject-bad", defaultValue = "0", paramLabel = "K", description = "Mix K malformed records of assorted kinds into the stream (default: ${DEFAULT-VALUE}).")
    int injectBad;
    @Option(names = "--seed", defaultValue = "42", description = "Scene seed (default: ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--replay", paramLabel = "DIR", description = "Replay a KITTI sequence or a folder of .pcd files instead of simulating (one sensor).")
    Path replay;
    @Option(names = "--format", defaultValue = "auto", paramLabel = "auto|kitti|pcd", description = "Layout of --replay (default: ${DEFAULT-VALUE}).")
    String format;
    @Option(names = "--sensor-id", defaultValue = "kitti-00", description = "Sensor id of replayed frames (default: ${DEFAULT-VALUE}).")
    String sensorId;
    @Option(names = "--png-dir", paramLabel = "DIR", description = "Folder for the pictures (default: a new temporary folder).")
    Path pngDir;
    @Option(names = "--window-mode", paramLabel = "incremental|recompute", description = "The job's window mode (default: the job's, incremental).")
    String windowMode;
    @Option(names = "--device", defaultValue = "auto", paramLabel = "auto|cpu|cuda|cuda:N", description = "Compute device (default: ${DEFAULT-VALUE}).")
    String device;
    @Option(names = "--cpu-threads", defaultValue = "1", paramLabel = "N", description = "CPU threads per window subtask (default: ${DEFAULT-VALUE}).")
    int cpuThreads;
    @Option(names = "--web-ui-port", defaultValue = "" + DemoOptions.DEFAULT_WEB_UI_PORT, paramLabel = "PORT", description = "Flink web UI port; a free one when taken (default: ${DEFAULT-VALUE}).")
    int webUiPort;
    @Option(names = "--timeout-s", paramLabel = "S", description = "Give up after S seconds (default: 60 + publishing time + 2 per record).")
    Long timeoutSeconds;

    @Override
    public Integer call() throws Exception {
        return new Demo(options(), System.out, System.err).run().exitStatus();
    }

    DemoOptions options() {
        OptionValues.atLeast("--frames", frames, 1);
        OptionValues.atLeast("--sensors", sensors, 1);
        OptionValues.atLeast("--inject-bad", injectBad, 0);
        OptionValues.atLeast("--cpu-threads", cpuThreads, 1);
        if (webUiPort < 0 || webUiPort > 65535) throw new InvalidOptionException("--web-ui-port", "must be 0 (a free port) or 1..65535, got " + webUiPort);
        if (timeoutSeconds != null) OptionValues.atLeast("--timeout-s", timeoutSeconds, 1);
        Rate r = OptionValues.rate("--rate", rate);
        if (replay == null) SimulateCommand.checkScanRate(r, rate);
        RecordedFeed.Format f = OptionValues.choice("--format", format, ReplayCommand.FORMATS);
        if (replay != null) {
            OptionValues.existingDirectory("--replay", replay);
            try {
                if (f == RecordedFeed.Format.AUTO) RecordedFeed.detect(replay);
            } catch (java.io.IOException e) {
                throw new InvalidOptionException("--replay", e.getMessage());
            }
            if (sensorId.isBlank()) throw new InvalidOptionException("--sensor-id", "must not be empty");
        }
        WindowMode mode = windowMode == null ? null : OptionValues.choice("--window-mode", windowMode, RunCommand.WINDOW_MODES);
        return new DemoOptions(frames, sensors, r, injectBad, seed, replay, f, sensorId.strip(), pngDir, mode,
                RunCommand.deviceSpec(device, cpuThreads), webUiPort, timeoutSeconds == null ? null : Duration.ofSeconds(timeoutSeconds),
                Demo.stdoutIsTerminal());
    }
}
