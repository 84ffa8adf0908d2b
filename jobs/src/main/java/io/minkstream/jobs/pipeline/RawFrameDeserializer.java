package io.minkstream.jobs.pipeline;

import io.minkstream.operators.decode.RawFrame;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Passes Kafka values through undecoded, with their topic, partition and offset: decoding happens
 * in an operator that can dead-letter bad bytes instead of failing the source.
 */
final class RawFrameDeserializer implements KafkaRecordDeserializationSchema<RawFrame> {
    private static final long serialVersionUID = 1L;

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<RawFrame> out) {
        out.collect(new RawFrame(record.value() == null ? new byte[0] : record.value(), record.topic(), record.partition(), record.offset(),
                System.currentTimeMillis() * 1000L));
    }

    @Override
    public TypeInformation<RawFrame> getProducedType() {
        return TypeInformation.of(RawFrame.class);
    }
}
