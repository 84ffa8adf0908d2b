package io.minkstream.schemas;

import java.io.IOException;
import java.io.Serializable;
import java.util.Objects;

import org.apache.avro.Schema;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * Decodes single-object-encoded Kafka values into a generated record type and never throws on bad input:
 * every outcome is a {@link DecodeResult}.
 *
 * <p>Only values written with this type's own schema are accepted (the fingerprint must match); before
 * Avro decodes the body, {@link AvroBodyGuard} checks that no length prefix claims more bytes than the
 * value holds, so a corrupt value cannot make Avro allocate gigabytes.
 *
 * <p>Serializable so that Flink functions can hold one as a field; the Avro decoder itself is not
 * serializable and is built lazily on first use in each task. One instance may be shared by threads
 * (Avro's message decoder is thread-safe).
 *
 * @param <T> the generated record type
 */
public final class SingleObjectDecoder<T extends SpecificRecordBase> implements Serializable {

    private static final long serialVersionUID = 1L;

    private final Class<T> type;
    private transient volatile BinaryMessageDecoder<T> decoder;
    private transient Schema schema;
    private transient long fingerprint;

    private SingleObjectDecoder(Class<T> type) {
        this.type = Objects.requireNonNull(type, "type");
    }

    public static <T extends SpecificRecordBase> SingleObjectDecoder<T> forType(Class<T> type) {
        return new SingleObjectDecoder<>(type);
    }

    public Class<T> type() {
        return type;
    }

    /**
     * Decodes one value.
     *
     * @return {@link Decoded} with the record; or {@link DecodeFailure} with
     *     {@link RejectReason#UNKNOWN_SCHEMA} when the header's fingerprint is not this type's schema, and
     *     {@link RejectReason#UNDECODABLE} for a null value, a missing or malformed header, or a body that
     *     does not parse
     */
    public DecodeResult<T> decode(byte[] value) {
        if (value == null) {
            return fail(RejectReason.UNDECODABLE, "value is null (a tombstone?), expected a single-object encoded "
                    + type.getSimpleName());
        }
        if (value.length < SingleObjectEncoding.HEADER_LENGTH) {
            return fail(RejectReason.UNDECODABLE, "value has " + value.length + " bytes, shorter than the "
                    + SingleObjectEncoding.HEADER_LENGTH + "-byte single-object header");
        }
        if (!SingleObjectEncoding.hasHeader(value)) {
            return fail(RejectReason.UNDECODABLE, String.format(
                    "value starts with 0x%02X 0x%02X, not the single-object marker 0xC3 0x01", value[0], value[1]));
        }
        BinaryMessageDecoder<T> avro = decoder();
        long found = SingleObjectEncoding.readFingerprint(value);
        if (found != fingerprint) {
            return fail(RejectReason.UNKNOWN_SCHEMA, String.format("schema fingerprint %016x is not %s's (%016x)",
                    found, type.getSimpleName(), fingerprint));
        }
        String malformed = AvroBodyGuard.check(schema, value, SingleObjectEncoding.HEADER_LENGTH);
        if (malformed != null) {
            return fail(RejectReason.UNDECODABLE, type.getSimpleName() + " body does not parse: " + malformed);
        }
        try {
            return new Decoded<>(avro.decode(value));
        } catch (IOException | RuntimeException e) {
            // The guard has checked the structure; whatever Avro still objects to is bad input too, and a
            // stream must route it, not die on it.
            return fail(RejectReason.UNDECODABLE, type.getSimpleName() + " body of " + (value.length
                    - SingleObjectEncoding.HEADER_LENGTH) + " bytes does not parse: " + e);
        }
    }

    private BinaryMessageDecoder<T> decoder() {
        BinaryMessageDecoder<T> d = decoder;
        if (d == null) {
            Schema s = SpecificData.get().getSchema(type);
            // getForClass returns the generated class's own model, which carries its logical-type conversions.
            d = new BinaryMessageDecoder<>(SpecificData.getForClass(type), s);
            schema = s;
            fingerprint = SingleObjectEncoding.fingerprint(s);
            decoder = d;
        }
        return d;
    }

    private DecodeFailure<T> fail(RejectReason reason, String message) {
        return new DecodeFailure<>(reason, message);
    }
}
