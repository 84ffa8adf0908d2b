package io.minkstream.operators.decode;

/**
 * A Kafka record's value as read, before decoding, with where it came from. A Flink POJO.
 */
public class RawFrame {
    public byte[] value;
    public String topic;
    public int partition;
    public long offset;
    /** Wall-clock microseconds when the source read the record: the start of end-to-end latency. */
    public long ingestMicros;

    public RawFrame() {
    }

    public RawFrame(byte[] value, String topic, int partition, long offset, long ingestMicros) {
        this.value = value;
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
        this.ingestMicros = ingestMicros;
    }
}
