package io.minkstream.jobs.pipeline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads a whole topic the way a downstream consumer would: read_committed, from the beginning. */
final class KafkaTestIO {
    private KafkaTestIO() {
    }

    static List<ConsumerRecord<byte[], byte[]>> readCommitted(String bootstrap, String topic, int expectedAtLeast, Duration timeout) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + System.nanoTime());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
            c.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            int idle = 0;
            while (System.nanoTime() < deadline) {
                var batch = c.poll(Duration.ofMillis(500));
                batch.forEach(out::add);
                idle = batch.isEmpty() ? idle + 1 : 0;
                // Once the expected count is reached, a few empty polls show nothing more is coming.
                if (out.size() >= expectedAtLeast && idle >= 3) break;
            }
        }
        return out;
    }
}
