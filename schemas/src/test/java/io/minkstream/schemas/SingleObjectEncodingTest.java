package io.minkstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.apache.avro.specific.SpecificRecordBase;
import org.junit.jupiter.api.Test;

class SingleObjectEncodingTest {

    @Test
    void everyRecordRoundTripsThroughSingleObjectBytes() {
        for (SpecificRecordBase record : SampleRecords.oneOfEach()) {
            byte[] bytes = serialize(record);

            DecodeResult<? extends SpecificRecordBase> result = decoderFor(record).decode(bytes);

            assertThat(result.isDecoded()).as(record.getClass().getSimpleName()).isTrue();
            assertThat(result.value()).isEqualTo(record);
        }
    }

    @Test
    void generatedToByteBufferWritesTheSameBytesAsTheFlinkSchema() throws Exception {
        SensorFrame frame = SampleRecords.sensorFrame("lidar-0", 1, 10);

        ByteBuffer generated = frame.toByteBuffer();
        byte[] flink = SingleObjectSerializationSchema.sensorFrames().serialize(frame);

        assertThat(toArray(generated)).isEqualTo(flink);
        assertThat(SensorFrame.fromByteBuffer(ByteBuffer.wrap(flink))).isEqualTo(frame);
    }

    @Test
    void headerIsMarkerThenLittleEndianFingerprintOfTheSchema() {
        for (SpecificRecordBase record : SampleRecords.oneOfEach()) {
            byte[] bytes = serialize(record);
            long fingerprint = SingleObjectEncoding.fingerprint(record.getSchema());
            byte[] expectedHeader = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN)
                    .put((byte) 0xC3).put((byte) 0x01).putLong(fingerprint).array();

            assertThat(bytes).startsWith(expectedHeader);
            assertThat(SingleObjectEncoding.readFingerprint(bytes)).isEqualTo(fingerprint);
        }
    }

    @Test
    void timestampsKeepMicrosecondPrecision() {
        SensorFrame frame = SampleRecords.sensorFrame("lidar-0", 0, 1);

        SensorFrame decoded = new SensorFrameDecoder().decode(serialize(frame)).value();

        assertThat(decoded.getTimestamp()).isEqualTo(SampleRecords.T0);
        assertThat(Timestamps.toMicros(decoded.getTimestamp())).isEqualTo(1_795_262_400_123_456L);
    }

    @Test
    void serializationSchemaSurvivesJavaSerializationAsFlinkShipsIt() throws Exception {
        SingleObjectSerializationSchema<SensorFrame> schema = SingleObjectSerializationSchema.sensorFrames();
        SensorFrame frame = SampleRecords.sensorFrame("lidar-0", 3, 4);
        schema.serialize(frame); // builds the transient encoder before shipping, as a reused instance would

        SingleObjectSerializationSchema<SensorFrame> shipped = javaRoundTrip(schema);
        SensorFrameDecoder decoder = javaRoundTrip(new SensorFrameDecoder());

        assertThat(decoder.decode(shipped.serialize(frame)).value()).isEqualTo(frame);
    }

    @Test
    void serializationSchemaReusesItsBufferWithoutLeakingPreviousRecords() {
        SingleObjectSerializationSchema<SensorFrame> schema = SingleObjectSerializationSchema.sensorFrames();
        SensorFrame big = SampleRecords.sensorFrame("lidar-0", 1, 1000);
        SensorFrame small = SampleRecords.sensorFrame("lidar-0", 2, 1);

        byte[] first = schema.serialize(big);
        byte[] second = schema.serialize(small);

        assertThat(second.length).isLessThan(first.length);
        assertThat(new SensorFrameDecoder().decode(second).value()).isEqualTo(small);
        assertThat(new SensorFrameDecoder().decode(first).value()).isEqualTo(big);
    }

    @SuppressWarnings("unchecked")
    static <T extends SpecificRecordBase> byte[] serialize(T record) {
        return SingleObjectSerializationSchema.of((Class<T>) record.getClass()).serialize(record);
    }

    @SuppressWarnings("unchecked")
    private static <T extends SpecificRecordBase> SingleObjectDecoder<T> decoderFor(T record) {
        return SingleObjectDecoder.forType((Class<T>) record.getClass());
    }

    private static byte[] toArray(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }

    @SuppressWarnings("unchecked")
    private static <T> T javaRoundTrip(T object) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(object);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }
}
