package io.minkstream.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.minkstream.jobs.demo.ResultTracker;
import io.minkstream.jobs.kafka.EmbeddedKafkaBroker;
import io.minkstream.jobs.publish.FramePublisher;
import java.io.PrintWriter;
import java.io.StringWriter;
import io.minkstream.schemas.SensorFrame;
import io.minkstream.schemas.Timestamps;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The {@code simulate}, {@code replay} and {@code run --bounded} subcommands against a real broker, as
 * scripts call them: frames published by the CLI, the job run by the CLI (on a local mini cluster, the
 * way {@code java -jar minkstream.jar run} runs it), results read back read_committed.
 */
class RunCommandITCase {
    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    /** Runs one command line; returns its stdout, failing the test on a non-zero status. */
    private static String cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = MinkstreamCli.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int status = cl.execute(args);
        assertThat(status).as("status of " + String.join(" ", args) + "\nstderr: " + err).isZero();
        return out.toString();
    }

    @Test
    void boundedRunTurnsEverySimulatedFrameIntoOneResult(@TempDir Path checkpoints) throws Exception {
        String in = "run-in";
        String out = "run-out";
        String dlq = "run-dlq";
        broker.createTopics(List.of(in, out, dlq), 2);
        String published = cli("simulate", "--bootstrap-servers", broker.bootstrapServers(), "--topic", in,
                "--sensors", "2", "--frames", "5", "--rate", "max", "--seed", "7");
        assertThat(published).startsWith("simulate: published=10 topic=" + in);
        try (FramePublisher p = new FramePublisher(broker.bootstrapServers(), in, Map.of())) {
            p.send("lidar-0", new byte[] {0, 1, 2, 3});
            p.flush();
        }

        cli("run", "--bootstrap-servers", broker.bootstrapServers(), "--input-topic", in, "--output-topic", out, "--dlq-topic", dlq,
                "--group-id", "run-it", "--transactional-id-prefix", "run-it", "--bounded",
                "--window-frames", "3", "--window-mode", "recompute", "--voxel-size", "0.5", "--crop-box", "-40,-40,-5,40,40,10",
                "--device", "cpu", "--parallelism", "2", "--checkpoint-interval-ms", "300",
                "--state-backend", "rocksdb", "--checkpoint-dir", checkpoints.toUri().toString(), "--job-name", "run-it");

        try (ResultTracker results = new ResultTracker(broker.bootstrapServers(), out, dlq, 3)) {
            results.start();
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (results.outputs() + results.rejected() < 11 && System.nanoTime() < deadline) Thread.sleep(100);
            Thread.sleep(1000);
            ResultTracker.Results r = results.results();
            assertThat(r.outputs()).isEqualTo(10);
            assertThat(r.duplicates()).isZero();
            assertThat(r.rejected()).isEqualTo(1);
            assertThat(r.lastWindows()).containsOnlyKeys("lidar-0", "lidar-1");
            assertThat(r.lastWindows().get("lidar-0")).last().satisfies(f -> {
                assertThat(f.getSequence()).isEqualTo(4);
                assertThat(f.getFramesInWindow()).isEqualTo(3);
                assertThat(f.getVoxelSizeX()).isEqualTo(0.5f);
                assertThat(f.getRowCount()).isPositive();
            });
        }
    }

    @Test
    void replayPublishesARecordingWithTimestampsOnTheWallClock() throws Exception {
        Path pcd = Path.of(getClass().getResource("/sensor/pcd-ascii").toURI());
        String topic = "replay-pcd";
        broker.createTopics(List.of(topic), 1);
        long before = System.currentTimeMillis() * 1000L;
        String line = cli("replay", "--bootstrap-servers", broker.bootstrapServers(), "--topic", topic, "--dir", pcd.toString(),
                "--format", "auto", "--sensor-id", "pcd-0", "--rate", "max");
        assertThat(line).startsWith("replay: published=1 topic=" + topic);

        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (records.isEmpty() && System.nanoTime() < deadline) consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            assertThat(records).hasSize(1);
            assertThat(new String(records.get(0).key(), StandardCharsets.UTF_8)).isEqualTo("pcd-0");
            SensorFrame f = SensorFrame.fromByteBuffer(ByteBuffer.wrap(records.get(0).value()));
            assertThat(f.getSensorId()).isEqualTo("pcd-0");
            assertThat(f.getSequence()).isZero();
            assertThat(f.getPointCount()).isEqualTo(5);
            assertThat(Timestamps.toMicros(f.getTimestamp())).as("rebased onto the wall clock, not in the future")
                    .isBetween(before - 1_000_000L, System.currentTimeMillis() * 1000L);
        }
    }
}
