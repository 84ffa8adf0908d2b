package io.minkstream.jobs.publish;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes encoded frames to a topic, keyed by sensor id (so each sensor's frames stay ordered in
 * one partition). One request in flight per connection keeps retried sends in order; a frame sent
 * twice by a retry is dropped downstream as a duplicate sequence. The producer is not idempotent:
 * Kafka 4.2's in-process KRaft broker was seen handing a second idempotent producer the producer id
 * of the first, which then failed forever with OUT_OF_ORDER_SEQUENCE_NUMBER.
 */
public final class FramePublisher implements AutoCloseable {
    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;

    public FramePublisher(String bootstrapServers, String topic, Map<String, String> extraProperties) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(16 << 20));
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.putAll(extraProperties);
        this.producer = new KafkaProducer<>(p);
        this.topic = topic;
    }

    public Future<RecordMetadata> send(String sensorId, byte[] value) {
        return producer.send(new ProducerRecord<>(topic, sensorId == null ? null : sensorId.getBytes(StandardCharsets.UTF_8), value));
    }

    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close();
    }
}
