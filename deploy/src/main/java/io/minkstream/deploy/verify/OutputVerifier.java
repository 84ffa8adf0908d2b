package io.minkstream.deploy.verify;

import io.minkstream.schemas.SensorFrame;
import io.minkstream.schemas.SparseFeatureFrame;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The fault test's judge (deploy/local/fault-test.sh). {@code await} blocks until an output topic
 * holds committed outputs for N distinct frames; {@code verify} reads the input, the output and the
 * reference run's output and prints the fault test's line (and the rescale phase's).
 */
@Command(name = "output-verifier", mixinStandardHelpOptions = true,
        subcommands = {OutputVerifier.Await.class, OutputVerifier.Verify.class},
        description = "Checks a minkstream output topic against its input and a reference run (read_committed).")
public final class OutputVerifier {
    private static final Duration READ_TIMEOUT = Duration.ofMinutes(5);

    public static void main(String[] args) {
        System.exit(new CommandLine(new OutputVerifier()).execute(args));
    }

    @Command(name = "await", description = "Waits until the topic holds committed outputs for --count distinct frames.")
    static final class Await implements Callable<Integer> {
        @Option(names = "--bootstrap-servers", required = true) String bootstrap;
        @Option(names = "--topic", required = true) String topic;
        @Option(names = "--count", required = true, description = "distinct (sensor, sequence) outputs to wait for") long count;
        @Option(names = "--timeout-s", defaultValue = "600") long timeoutSeconds;

        @Override
        public Integer call() throws InterruptedException {
            Set<FrameKey> seen = new HashSet<>();
            long start = System.nanoTime();
            long deadline = start + Duration.ofSeconds(timeoutSeconds).toNanos();
            long nextReport = 0;
            try (CommittedTopicReader reader = new CommittedTopicReader(bootstrap, topic)) {
                while (true) {
                    reader.readToEnd(r -> seen.add(outputKey(r)), READ_TIMEOUT);
                    long now = System.nanoTime();
                    if (seen.size() >= count) {
                        System.err.printf("await: %d/%d frames committed in %s after %.1f s%n", seen.size(), count, topic, (now - start) / 1e9);
                        return 0;
                    }
                    if (now > deadline) {
                        System.err.printf("await: timed out after %d s with %d/%d frames committed in %s%n", timeoutSeconds, seen.size(), count, topic);
                        return 1;
                    }
                    if (now > nextReport) {
                        System.err.printf("await: %d/%d frames committed in %s%n", seen.size(), count, topic);
                        nextReport = now + Duration.ofSeconds(10).toNanos();
                    }
                    Thread.sleep(500);
                }
            }
        }
    }

    @Command(name = "verify", description = "Prints 'fault-test: produced=.. committed=.. duplicates=.. missing=.. mismatched=.. restarts=..'"
            + " (and 'rescale-test: ...' for frames at or after --split-sequence); exit 0 only when both are clean.")
    static final class Verify implements Callable<Integer> {
        @Option(names = "--bootstrap-servers", required = true) String bootstrap;
        @Option(names = "--input-topic", required = true) String inputTopic;
        @Option(names = "--output-topic", required = true) String outputTopic;
        @Option(names = "--reference-topic", required = true, description = "output of a failure-free run over the same input") String referenceTopic;
        @Option(names = "--restarts", required = true, description = "restarts of the job under test (from the JobManager)") long restarts;
        @Option(names = "--min-restarts", defaultValue = "1") long minRestarts;
        @Option(names = "--split-sequence", defaultValue = "-1",
                description = "frames with sequence >= this belong to the rescale phase (-1: no rescale phase)") long splitSequence;
        @Option(names = "--rescale", defaultValue = "", description = "parallelism change to print for the rescale phase, e.g. 2->3") String rescale;

        @Override
        public Integer call() {
            List<FrameKey> produced = new ArrayList<>();
            read(inputTopic, r -> {
                SensorFrame f = decode(r, SensorFrame::fromByteBuffer);
                produced.add(new FrameKey(f.getSensorId().toString(), f.getSequence()));
            });
            List<SparseFeatureFrame> outputs = new ArrayList<>();
            read(outputTopic, r -> outputs.add(decodeOutput(r)));
            Map<FrameKey, SparseFeatureFrame> reference = new HashMap<>();
            read(referenceTopic, r -> {
                SparseFeatureFrame f = decodeOutput(r);
                reference.put(new FrameKey(f.getSensorId().toString(), f.getSequence()), f);
            });
            boolean split = splitSequence >= 0;
            var fault = OutputComparison.compare(produced, outputs, reference, k -> !split || k.sequence() < splitSequence);
            System.out.println("fault-test: " + fault.counts() + " restarts=" + restarts);
            boolean ok = fault.produced() > 0 && fault.exactlyOnce() && restarts >= minRestarts;
            printExamples(fault);
            if (split) {
                var phase2 = OutputComparison.compare(produced, outputs, reference, k -> k.sequence() >= splitSequence);
                System.out.println("rescale-test: " + phase2.counts() + (rescale.isEmpty() ? "" : " parallelism=" + rescale));
                printExamples(phase2);
                ok &= phase2.produced() > 0 && phase2.exactlyOnce();
            }
            if (reference.size() < new HashSet<>(produced).size()) {
                System.err.println("verify: the reference run has outputs for " + reference.size() + " of " + produced.size() + " frames");
            }
            return ok ? 0 : 1;
        }

        private void read(String topic, java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> sink) {
            try (CommittedTopicReader reader = new CommittedTopicReader(bootstrap, topic)) {
                reader.readToEnd(sink, READ_TIMEOUT);
            }
        }

        private static void printExamples(OutputComparison.Report report) {
            for (String e : report.examples()) System.err.println("  " + e);
        }
    }

    private static FrameKey outputKey(ConsumerRecord<byte[], byte[]> r) {
        SparseFeatureFrame f = decodeOutput(r);
        return new FrameKey(f.getSensorId().toString(), f.getSequence());
    }

    private static SparseFeatureFrame decodeOutput(ConsumerRecord<byte[], byte[]> r) {
        return decode(r, SparseFeatureFrame::fromByteBuffer);
    }

    private interface AvroDecoder<T> {
        T decode(ByteBuffer b) throws IOException;
    }

    private static <T> T decode(ConsumerRecord<byte[], byte[]> r, AvroDecoder<T> decoder) {
        try {
            return decoder.decode(ByteBuffer.wrap(r.value()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot decode the record at " + r.topic() + "-" + r.partition() + "@" + r.offset(), e);
        }
    }
}
