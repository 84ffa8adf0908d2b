package io.minkstream.schemas;

import static io.minkstream.schemas.SingleObjectEncodingTest.serialize;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.SplittableRandom;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

class SensorFrameDecoderTest {

    private final SensorFrameDecoder decoder = new SensorFrameDecoder();
    private final byte[] valid = serialize(SampleRecords.sensorFrame("lidar-0", 9, 20));

    @Test
    void anotherRecordTypeIsUnknownSchema() {
        byte[] sparse = serialize(SampleRecords.sparseFeatureFrame());

        DecodeFailure<SensorFrame> failure = decoder.decode(sparse).failure();

        assertThat(failure.reason()).isEqualTo(RejectReason.UNKNOWN_SCHEMA);
        assertThat(failure.message())
                .contains(String.format("%016x", SingleObjectEncoding.fingerprint(SparseFeatureFrame.class)))
                .contains(String.format("%016x", SingleObjectEncoding.fingerprint(SensorFrame.class)))
                .contains("SensorFrame");
    }

    @Test
    void anEvolvedSensorFrameSchemaIsUnknownSchema() {
        // Same name, one field fewer: a different writer schema, hence a different fingerprint.
        Schema other = SchemaBuilder.record("SensorFrame").namespace("io.minkstream.schemas").fields()
                .requiredString("sensorId").requiredLong("sequence").endRecord();
        GenericRecord record = new GenericData.Record(other);
        record.put("sensorId", "lidar-0");
        record.put("sequence", 1L);
        byte[] bytes = toArray(encode(other, record));

        assertThat(decoder.decode(bytes).failure().reason()).isEqualTo(RejectReason.UNKNOWN_SCHEMA);
    }

    @Test
    void aFlippedFingerprintBitIsUnknownSchema() {
        byte[] bytes = valid.clone();
        bytes[5] ^= 0x10;

        assertThat(decoder.decode(bytes).failure().reason()).isEqualTo(RejectReason.UNKNOWN_SCHEMA);
    }

    @Test
    void everyTruncationIsUndecodable() {
        for (int length = 0; length < valid.length; length++) {
            DecodeResult<SensorFrame> result = decoder.decode(Arrays.copyOf(valid, length));

            assertThat(result.isDecoded()).as("truncated to %d of %d bytes", length, valid.length).isFalse();
            assertThat(result.failure().reason()).as("truncated to %d bytes", length)
                    .isEqualTo(RejectReason.UNDECODABLE);
        }
    }

    @Test
    void nullEmptyAndNonAvroValuesAreUndecodable() {
        byte[][] values = {null, new byte[0], {(byte) 0xC3}, "hello, this is not avro at all".getBytes(),
            {0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0}};
        for (byte[] value : values) {
            assertThat(decoder.decode(value).failure().reason()).isEqualTo(RejectReason.UNDECODABLE);
        }
        assertThat(decoder.decode("hello, this is not avro".getBytes()).failure().message())
                .contains("0x68 0x65").contains("0xC3 0x01");
    }

    @Test
    void trailingBytesAfterTheRecordAreUndecodable() {
        byte[] longer = Arrays.copyOf(valid, valid.length + 3);

        DecodeFailure<SensorFrame> failure = decoder.decode(longer).failure();

        assertThat(failure.reason()).isEqualTo(RejectReason.UNDECODABLE);
        assertThat(failure.message()).contains("3 trailing bytes");
    }

    @Test
    void aHugeLengthPrefixIsRejectedBeforeAvroAllocatesIt() {
        // Header, then sensorId claiming 1e9 bytes: Avro alone would try to allocate a gigabyte.
        byte[] bytes = Arrays.copyOf(valid, 16);
        int end = writeVarLong(bytes, 10, 1_000_000_000L);
        bytes = Arrays.copyOf(bytes, end);

        DecodeFailure<SensorFrame> failure = decoder.decode(bytes).failure();

        assertThat(failure.reason()).isEqualTo(RejectReason.UNDECODABLE);
        assertThat(failure.message()).contains("SensorFrame.sensorId").contains("length 1000000000");
    }

    @Test
    void aBadUnionBranchNamesTheField() {
        SensorFrame noPose = SampleRecords.sensorFrame("s", 0, 0);
        noPose.setPose(null);
        noPose.setLabels(null);
        byte[] bytes = serialize(noPose);
        // Body ends with the two union branch indexes (0 = null) of pose and labels.
        bytes[bytes.length - 2] = 2 * 2; // zig-zag 2: branch 2 of a 2-branch union

        DecodeFailure<SensorFrame> failure = decoder.decode(bytes).failure();

        assertThat(failure.message()).contains("SensorFrame.pose").contains("index 2");
    }

    @Test
    void randomCorruptionNeverThrows() {
        SplittableRandom random = new SplittableRandom(20261121);
        int decoded = 0;
        for (int trial = 0; trial < 5_000; trial++) {
            byte[] bytes = valid.clone();
            int flips = 1 + random.nextInt(4);
            for (int f = 0; f < flips; f++) {
                // Leave the header intact half of the time so that the body parser is exercised.
                int from = random.nextBoolean() ? SingleObjectEncoding.HEADER_LENGTH : 0;
                bytes[from + random.nextInt(bytes.length - from)] = (byte) random.nextInt(256);
            }
            DecodeResult<SensorFrame> result = decoder.decode(bytes);
            if (result.isDecoded()) {
                decoded++;
            } else {
                assertThat(result.failure().reason()).isIn(RejectReason.UNDECODABLE, RejectReason.UNKNOWN_SCHEMA);
            }
        }
        // Most flips land in float payloads, which still decode: validation, not decoding, catches those.
        assertThat(decoded).isPositive();
    }

    @Test
    void randomGarbageAfterAValidHeaderNeverThrows() {
        SplittableRandom random = new SplittableRandom(7);
        for (int trial = 0; trial < 5_000; trial++) {
            byte[] bytes = Arrays.copyOf(valid, SingleObjectEncoding.HEADER_LENGTH + random.nextInt(64));
            for (int i = SingleObjectEncoding.HEADER_LENGTH; i < bytes.length; i++) {
                bytes[i] = (byte) random.nextInt(256);
            }
            DecodeResult<SensorFrame> result = decoder.decode(bytes);
            if (!result.isDecoded()) {
                assertThat(result.failure().reason()).isEqualTo(RejectReason.UNDECODABLE);
            }
        }
    }

    private static ByteBuffer encode(Schema schema, GenericRecord record) {
        try {
            return new BinaryMessageEncoder<GenericRecord>(GenericData.get(), schema).encode(record);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static byte[] toArray(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().order(ByteOrder.BIG_ENDIAN).get(out);
        return out;
    }

    private static int writeVarLong(byte[] out, int at, long value) {
        long n = (value << 1) ^ (value >> 63);
        while ((n & ~0x7FL) != 0) {
            out[at++] = (byte) ((n & 0x7F) | 0x80);
            n >>>= 7;
        }
        out[at++] = (byte) n;
        return at;
    }
}
