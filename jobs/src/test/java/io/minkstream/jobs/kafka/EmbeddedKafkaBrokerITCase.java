package io.minkstream.jobs.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.minkstream.schemas.DecodeResult;
import io.minkstream.schemas.PackedFloats;
import io.minkstream.schemas.PackedInts;
import io.minkstream.schemas.SensorFrame;
import io.minkstream.schemas.SensorFrameDecoder;
import io.minkstream.schemas.SingleObjectSerializationSchema;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Starts a real in-process KRaft broker and moves single-object encoded SensorFrames through it. */
class EmbeddedKafkaBrokerITCase {

    private static final String TOPIC = "sensor-frames";
    private static final int SENSORS = 4;
    private static final int FRAMES_PER_SENSOR = 25;
    private static final int POINTS = 8;
    private static final Instant T0 = Instant.parse("2026-11-21T12:00:00Z");

    @Test
    @Timeout(60)
    void committedTransactionalFramesAreReadBackExactlyAndTheDataDirIsDeleted() throws Exception {
        Path dataDir;
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            dataDir = broker.dataDir();
            assertThat(dataDir).isDirectory();
            broker.createTopics(List.of(TOPIC), 2);

            produceTransactionally(broker);
            List<ConsumerRecord<byte[], byte[]>> records = readCommitted(broker, SENSORS * FRAMES_PER_SENSOR);

            assertThat(records).hasSize(SENSORS * FRAMES_PER_SENSOR);
            assertFramesMatch(records);
        }
        assertThat(dataDir).doesNotExist();
    }

    @Test
    @Timeout(60)
    void aGivenDataDirSurvivesARestartWithItsTopics() throws Exception {
        Path dataDir = Files.createTempDirectory("minkstream-kafka-it-");
        try {
            try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().dataDir(dataDir).start()) {
                broker.createTopics(List.of("kept"), 3);
            }
            assertThat(dataDir.resolve("metadata").resolve("meta.properties")).isRegularFile();

            try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().dataDir(dataDir).start();
                    var admin = org.apache.kafka.clients.admin.Admin.create(broker.clientProperties())) {
                var description = admin.describeTopics(List.of("kept")).allTopicNames().get().get("kept");
                assertThat(description.partitions()).hasSize(3);
            }
            assertThat(dataDir).isDirectory();
        } finally {
            EmbeddedKafkaBroker.deleteRecursively(dataDir);
        }
    }

    /** Commits the 100 frames in two transactions and aborts a third with 10 decoys in between. */
    private static void produceTransactionally(EmbeddedKafkaBroker broker) {
        SingleObjectSerializationSchema<SensorFrame> values = SingleObjectSerializationSchema.sensorFrames();
        Properties props = broker.clientProperties();
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "embedded-broker-it");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            producer.initTransactions();
            int half = FRAMES_PER_SENSOR / 2;
            sendFrames(producer, values, 0, half);
            producer.beginTransaction();
            sendDecoys(producer, values);
            producer.abortTransaction();
            sendFrames(producer, values, half, FRAMES_PER_SENSOR);
        }
    }

    private static void sendFrames(KafkaProducer<byte[], byte[]> producer,
            SingleObjectSerializationSchema<SensorFrame> values, int fromSequence, int toSequence) {
        producer.beginTransaction();
        for (int seq = fromSequence; seq < toSequence; seq++) {
            for (int s = 0; s < SENSORS; s++) {
                SensorFrame frame = frame(sensorId(s), seq);
                producer.send(new ProducerRecord<>(TOPIC, key(frame), values.serialize(frame)));
            }
        }
        producer.commitTransaction();
    }

    private static void sendDecoys(KafkaProducer<byte[], byte[]> producer,
            SingleObjectSerializationSchema<SensorFrame> values) {
        for (int i = 0; i < 10; i++) {
            SensorFrame decoy = frame("aborted-" + i, 1_000 + i);
            producer.send(new ProducerRecord<>(TOPIC, key(decoy), values.serialize(decoy)));
        }
        producer.flush();
    }

    private static List<ConsumerRecord<byte[], byte[]>> readCommitted(EmbeddedKafkaBroker broker, int expected) {
        Properties props = broker.clientProperties();
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = List.of(new TopicPartition(TOPIC, 0), new TopicPartition(TOPIC, 1));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            // Read to the end offsets (which include the aborted batch and the commit markers), then one
            // more poll, so that a surplus record would be seen rather than cut off at the expected count.
            while (!reachedEnd(consumer, end) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            assertThat(reachedEnd(consumer, end)).as("consumer reached end offsets %s", end).isTrue();
        }
        assertThat(records.size()).as("read_committed records").isEqualTo(expected);
        return records;
    }

    private static boolean reachedEnd(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private static void assertFramesMatch(List<ConsumerRecord<byte[], byte[]>> records) {
        SensorFrameDecoder decoder = new SensorFrameDecoder();
        Map<String, TreeSet<Long>> sequencesBySensor = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            DecodeResult<SensorFrame> result = decoder.decode(record.value());
            assertThat(result.isDecoded()).as("decoded %s", result).isTrue();
            SensorFrame frame = result.value();
            String key = new String(record.key(), StandardCharsets.UTF_8);

            assertThat(key).isEqualTo(frame.getSensorId());
            assertThat(frame).isEqualTo(frame(frame.getSensorId(), frame.getSequence()));
            assertThat(PackedFloats.decode(frame.getPositions(), "positions", 3L * POINTS)[3])
                    .isEqualTo(positionX(frame.getSequence(), 1));
            assertThat(frame.getTimestamp()).isEqualTo(T0.plusMillis(100 * frame.getSequence()));
            assertThat(sequencesBySensor.computeIfAbsent(key, k -> new TreeSet<>()).add(frame.getSequence()))
                    .as("duplicate %s/%d", key, frame.getSequence()).isTrue();
        }
        assertThat(sequencesBySensor).hasSize(SENSORS);
        for (int s = 0; s < SENSORS; s++) {
            assertThat(sequencesBySensor.get(sensorId(s))).hasSize(FRAMES_PER_SENSOR)
                    .first().isEqualTo(0L);
            assertThat(sequencesBySensor.get(sensorId(s)).last()).isEqualTo(FRAMES_PER_SENSOR - 1L);
        }
    }

    private static SensorFrame frame(String sensorId, long sequence) {
        float[] xyz = new float[3 * POINTS];
        float[] intensity = new float[POINTS];
        int[] labels = new int[POINTS];
        for (int i = 0; i < POINTS; i++) {
            xyz[3 * i] = positionX(sequence, i);
            xyz[3 * i + 1] = i;
            xyz[3 * i + 2] = -1.5f;
            intensity[i] = 0.125f * i;
            labels[i] = i & 1;
        }
        return SensorFrame.newBuilder()
                .setSensorId(sensorId)
                .setSequence(sequence)
                .setTimestamp(T0.plusMillis(100 * sequence))
                .setPointCount(POINTS)
                .setFeatureChannels(1)
                .setPositions(PackedFloats.encode(xyz))
                .setFeatures(PackedFloats.encode(intensity))
                .setPose(null)
                .setLabels(PackedInts.encode(labels))
                .build();
    }

    private static float positionX(long sequence, int point) {
        return sequence * 0.5f + point;
    }

    private static String sensorId(int s) {
        return "lidar-" + s;
    }

    private static byte[] key(SensorFrame frame) {
        return frame.getSensorId().getBytes(StandardCharsets.UTF_8);
    }
}
