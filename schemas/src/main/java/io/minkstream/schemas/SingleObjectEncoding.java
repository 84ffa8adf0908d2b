package io.minkstream.schemas;

import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Constants and helpers of Avro's single-object encoding, the format of every Kafka value in minkstream:
 *
 * <pre>
 * offset 0  1 byte   0xC3   marker
 * offset 1  1 byte   0x01   format version
 * offset 2  8 bytes  CRC-64-AVRO fingerprint of the writer schema's parsing canonical form, little-endian
 * offset 10 ...      the record in Avro binary encoding
 * </pre>
 *
 * Encoding and decoding themselves are Avro's ({@code BinaryMessageEncoder} / {@code BinaryMessageDecoder});
 * this class only names the layout so that checks and error messages can talk about it.
 */
public final class SingleObjectEncoding {

    public static final byte MARKER = (byte) 0xC3;
    public static final byte VERSION = (byte) 0x01;
    public static final int FINGERPRINT_OFFSET = 2;
    public static final int HEADER_LENGTH = 10;

    private SingleObjectEncoding() {
    }

    /** CRC-64-AVRO fingerprint of a generated record class's schema, as written into the header. */
    public static long fingerprint(Class<? extends SpecificRecord> type) {
        return fingerprint(SpecificData.get().getSchema(type));
    }

    public static long fingerprint(Schema schema) {
        return SchemaNormalization.parsingFingerprint64(schema);
    }

    /** Reads the header's fingerprint; the caller has checked that {@code value} holds a full header. */
    public static long readFingerprint(byte[] value) {
        long fp = 0;
        for (int i = HEADER_LENGTH - 1; i >= FINGERPRINT_OFFSET; i--) {
            fp = (fp << 8) | (value[i] & 0xFF);
        }
        return fp;
    }

    /** True if {@code value} starts with the marker and version bytes and is long enough for a header. */
    public static boolean hasHeader(byte[] value) {
        return value.length >= HEADER_LENGTH && value[0] == MARKER && value[1] == VERSION;
    }
}
