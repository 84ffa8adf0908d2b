package io.minkstream.jobs.cli;

import io.minkstream.jobs.demo.FeedPublisher;
import io.minkstream.jobs.demo.Rate;
import io.minkstream.jobs.demo.SimulatedFeed;
import io.minkstream.jobs.publish.FramePublisher;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code minkstream simulate}: publishes frames of the street-scene LiDAR simulator to an existing
 * Kafka topic (load tests, or feeding a running {@code run} job), then prints one count line.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Publish simulated LiDAR frames (sensors lidar-0, lidar-1, ...) to a Kafka topic.")
public final class SimulateCommand implements Callable<Integer> {
    /** The simulator scans at least this and at most that fast. */
    static final double MIN_SCAN_HZ = 0.1;
    static final double MAX_SCAN_HZ = 100;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--bootstrap-servers", required = true, paramLabel = "HOST:PORT[,...]", description = "Kafka bootstrap servers.")
    String bootstrapServers;
    @Option(names = "--topic", defaultValue = "sensor-frames", description = "Topic to publish to (default: ${DEFAULT-VALUE}).")
    String topic;
    @Option(names = "--sensors", defaultValue = "2", paramLabel = "N", description = "Number of sensors (default: ${DEFAULT-VALUE}).")
    int sensors;
    @Option(names = "--frames", defaultValue = "300", paramLabel = "N", description = "Frames per sensor (default: ${DEFAULT-VALUE}).")
    int frames;
    @Option(names = "--rate", defaultValue = "10", paramLabel = "HZ|max", description = "Frames per second per sensor, or max (default: ${DEFAULT-VALUE}).")
    String rate;
    @Option(names = "--seed", defaultValue = "42", description = "Scene seed (default: ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--start-sequence", defaultValue = "0", paramLabel = "N", description = "First sequence number of every sensor (default: ${DEFAULT-VALUE}).")
    long startSequence;
    @Option(names = "--kafka-property", paramLabel = "KEY=VALUE", description = "Kafka producer property (SASL, TLS, ...); repeatable.")
    List<String> kafkaProperties = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        OptionValues.atLeast("--sensors", sensors, 1);
        OptionValues.atLeast("--frames", frames, 1);
        OptionValues.atLeast("--start-sequence", startSequence, 0);
        Rate r = OptionValues.rate("--rate", rate);
        checkScanRate(r, rate);
        Map<String, String> props = producerProperties(kafkaProperties);
        if (topic.isBlank()) throw new InvalidOptionException("--topic", "must not be empty");

        SimulatedFeed feed = SimulatedFeed.create(seed, sensors, frames, startSequence, r, System.currentTimeMillis() * 1000L);
        PrintWriter err = spec.commandLine().getErr();
        err.println("simulate: " + feed.describe() + " -> " + topic + " at " + r);
        err.flush();
        FeedPublisher.Result result;
        try (FramePublisher publisher = new FramePublisher(bootstrapServers, topic, props)) {
            result = new FeedPublisher(publisher, topic, r, 0, seed).publish(feed, null);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(countLine("simulate", result, topic));
        out.flush();
        return 0;
    }

    /** The simulator's scan rate follows --rate, within what it supports. */
    static void checkScanRate(Rate r, String text) {
        if (!r.isMax() && (r.hz() < MIN_SCAN_HZ || r.hz() > MAX_SCAN_HZ)) {
            throw new InvalidOptionException("--rate", "the simulator scans at " + MIN_SCAN_HZ + " to " + (int) MAX_SCAN_HZ + " Hz, got " + text);
        }
    }

    static Map<String, String> producerProperties(List<String> keyValues) {
        Map<String, String> props = new LinkedHashMap<>();
        for (String kv : keyValues) {
            var e = OptionValues.keyValue("--kafka-property", kv);
            props.put(e.getKey(), e.getValue());
        }
        return props;
    }

    static String countLine(String command, FeedPublisher.Result r, String topic) {
        double s = r.seconds();
        return String.format(Locale.ROOT, "%s: published=%d topic=%s seconds=%.2f rate_fps=%.1f", command, r.total(), topic, s,
                s > 0 ? r.total() / s : 0.0);
    }
}
