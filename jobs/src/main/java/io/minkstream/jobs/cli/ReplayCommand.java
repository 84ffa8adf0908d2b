package io.minkstream.jobs.cli;

import io.minkstream.jobs.demo.FeedPublisher;
import io.minkstream.jobs.demo.Rate;
import io.minkstream.jobs.demo.RecordedFeed;
import io.minkstream.jobs.publish.FramePublisher;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code minkstream replay}: publishes a recorded sequence (KITTI / SemanticKITTI layout or a folder of
 * .pcd files) in order at a given rate, with timestamps moved onto the wall clock (see
 * {@link RecordedFeed}), then prints one count line.
 */
@Command(name = "replay", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Publish recorded LiDAR scans (KITTI velodyne/*.bin or .pcd files) to a Kafka topic, in order.")
public final class ReplayCommand implements Callable<Integer> {
    static final Map<String, RecordedFeed.Format> FORMATS = Map.of(
            "auto", RecordedFeed.Format.AUTO, "kitti", RecordedFeed.Format.KITTI, "pcd", RecordedFeed.Format.PCD);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--bootstrap-servers", required = true, paramLabel = "HOST:PORT[,...]", description = "Kafka bootstrap servers.")
    String bootstrapServers;
    @Option(names = "--topic", defaultValue = "sensor-frames", description = "Topic to publish to (default: ${DEFAULT-VALUE}).")
    String topic;
    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "The recording: a KITTI sequence folder or a folder of .pcd files.")
    Path dir;
    @Option(names = "--format", defaultValue = "auto", paramLabel = "auto|kitti|pcd", description = "Layout of --dir (default: ${DEFAULT-VALUE}: kitti when it has velodyne/).")
    String format;
    @Option(names = "--sensor-id", defaultValue = "kitti-00", description = "Sensor id of the frames (default: ${DEFAULT-VALUE}).")
    String sensorId;
    @Option(names = "--rate", defaultValue = "10", paramLabel = "HZ|max", description = "Frames per second, or max (default: ${DEFAULT-VALUE}).")
    String rate;
    @Option(names = "--kafka-property", paramLabel = "KEY=VALUE", description = "Kafka producer property (SASL, TLS, ...); repeatable.")
    List<String> kafkaProperties = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        OptionValues.existingDirectory("--dir", dir);
        RecordedFeed.Format f = OptionValues.choice("--format", format, FORMATS);
        Rate r = OptionValues.rate("--rate", rate);
        if (sensorId.isBlank()) throw new InvalidOptionException("--sensor-id", "must not be empty");
        if (topic.isBlank()) throw new InvalidOptionException("--topic", "must not be empty");
        Map<String, String> props = SimulateCommand.producerProperties(kafkaProperties);
        RecordedFeed feed = openFeed(dir, f, sensorId, r);

        PrintWriter err = spec.commandLine().getErr();
        err.println("replay: " + feed.describe() + " -> " + topic + " at " + r);
        err.flush();
        FeedPublisher.Result result;
        try (FramePublisher publisher = new FramePublisher(bootstrapServers, topic, props)) {
            result = new FeedPublisher(publisher, topic, r, 0, 0).publish(feed, null);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(SimulateCommand.countLine("replay", result, topic));
        out.flush();
        return 0;
    }

    /** Opens the recording, reporting a folder that is not one as a bad {@code --dir}. */
    static RecordedFeed openFeed(Path dir, RecordedFeed.Format format, String sensorId, Rate rate) {
        try {
            return RecordedFeed.open(dir, format, sensorId, rate, System.currentTimeMillis() * 1000L);
        } catch (java.io.IOException | RuntimeException e) {
            throw new InvalidOptionException("--dir", MinkstreamCli.describe(e));
        }
    }
}
