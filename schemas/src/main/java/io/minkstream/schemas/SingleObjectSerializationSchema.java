package io.minkstream.schemas;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;

import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.serialization.SerializationSchema;

/**
 * Flink {@link SerializationSchema} that writes a generated record in Avro single-object encoding
 * (header with the schema fingerprint, then the binary body), the value format of every minkstream topic.
 *
 * <p>The Avro encoder and the output buffer are per-instance and built on first use: Flink calls
 * {@link #serialize} from one thread per subtask, and the buffer is reused across records.
 *
 * @param <T> the generated record type
 */
public final class SingleObjectSerializationSchema<T extends SpecificRecordBase> implements SerializationSchema<T> {

    private static final long serialVersionUID = 1L;
    private static final int INITIAL_BUFFER_BYTES = 64 * 1024;

    private final Class<T> type;
    private transient BinaryMessageEncoder<T> encoder;
    private transient ByteArrayOutputStream buffer;

    private SingleObjectSerializationSchema(Class<T> type) {
        this.type = Objects.requireNonNull(type, "type");
    }

    public static <T extends SpecificRecordBase> SingleObjectSerializationSchema<T> of(Class<T> type) {
        return new SingleObjectSerializationSchema<>(type);
    }

    public static SingleObjectSerializationSchema<SensorFrame> sensorFrames() {
        return of(SensorFrame.class);
    }

    public static SingleObjectSerializationSchema<SparseFeatureFrame> sparseFeatureFrames() {
        return of(SparseFeatureFrame.class);
    }

    public static SingleObjectSerializationSchema<RejectedFrame> rejectedFrames() {
        return of(RejectedFrame.class);
    }

    @Override
    public byte[] serialize(T record) {
        if (encoder == null) {
            encoder = new BinaryMessageEncoder<>(SpecificData.getForClass(type), SpecificData.get().getSchema(type));
            buffer = new ByteArrayOutputStream(INITIAL_BUFFER_BYTES);
        }
        buffer.reset();
        try {
            encoder.encode(record, buffer);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode " + type.getSimpleName(), e);
        }
        return buffer.toByteArray();
    }
}
