package io.minkstream.schemas;

import java.util.List;

import org.apache.avro.Schema;

/**
 * Walks an Avro binary body against its schema, without decoding it, and checks that every length
 * prefix fits in the bytes that remain.
 *
 * <p>Why: Avro's decoders allocate a string or bytes field at the length the body claims before they
 * read it, so a 15-byte value whose first length prefix says "one billion" costs a gigabyte of heap
 * (measured: {@code OutOfMemoryError} with -Xmx256m on Avro 1.11.4, for stream- and array-backed
 * decoders alike). On a stream of untrusted Kafka values that is a denial of service, so the decoder runs
 * this guard first and only lets Avro allocate what the value can actually hold.
 *
 * <p>Array and map block counts must not exceed the remaining bytes (each element takes at least one
 * byte); the schemas here have neither, so that conservative rule costs nothing.
 */
final class AvroBodyGuard {

    private final byte[] buf;
    private final int end;
    private int pos;

    private AvroBodyGuard(byte[] buf, int from) {
        this.buf = buf;
        this.pos = from;
        this.end = buf.length;
    }

    /**
     * Checks {@code buf[from, buf.length)} against {@code schema}.
     *
     * @return null if the body is well formed and ends exactly at the end of the buffer; otherwise what
     *     is wrong, naming the field path and byte offset
     */
    static String check(Schema schema, byte[] buf, int from) {
        AvroBodyGuard guard = new AvroBodyGuard(buf, from);
        try {
            guard.walk(schema, schema.getName());
        } catch (Malformed e) {
            return e.getMessage();
        }
        if (guard.pos != guard.end) {
            return (guard.end - guard.pos) + " trailing bytes after the " + schema.getName() + " record";
        }
        return null;
    }

    private void walk(Schema schema, String path) {
        switch (schema.getType()) {
            case NULL:
                return;
            case BOOLEAN:
                skip(1, path);
                return;
            case INT:
            case LONG:
                readVarLong(path);
                return;
            case FLOAT:
                skip(Float.BYTES, path);
                return;
            case DOUBLE:
                skip(Double.BYTES, path);
                return;
            case STRING:
            case BYTES:
                skipLengthPrefixed(path);
                return;
            case FIXED:
                skip(schema.getFixedSize(), path);
                return;
            case ENUM:
                readIndex(schema.getEnumSymbols().size(), path);
                return;
            case UNION:
                List<Schema> branches = schema.getTypes();
                walk(branches.get(readIndex(branches.size(), path)), path);
                return;
            case RECORD:
                for (Schema.Field field : schema.getFields()) {
                    walk(field.schema(), path + "." + field.name());
                }
                return;
            case ARRAY:
                walkBlocks(schema.getElementType(), null, path);
                return;
            case MAP:
                walkBlocks(schema.getValueType(), Schema.create(Schema.Type.STRING), path);
                return;
            default:
                throw new Malformed(path + ": unsupported schema type " + schema.getType());
        }
    }

    private void walkBlocks(Schema element, Schema key, String path) {
        while (true) {
            long count = readVarLong(path);
            if (count == 0) {
                return;
            }
            if (count < 0) {
                count = -count;
                readVarLong(path); // block size in bytes, redundant for this walk
            }
            if (count > end - pos) {
                throw new Malformed(path + ": block of " + count + " items at byte " + pos + ", only "
                        + (end - pos) + " bytes left");
            }
            for (long i = 0; i < count; i++) {
                if (key != null) {
                    walk(key, path + "{key}");
                }
                walk(element, path + "[" + i + "]");
            }
        }
    }

    private int readIndex(int size, String path) {
        int at = pos;
        long index = readVarLong(path);
        if (index < 0 || index >= size) {
            throw new Malformed(path + ": branch or symbol index " + index + " at byte " + at + " outside [0, "
                    + size + ")");
        }
        return (int) index;
    }

    private void skipLengthPrefixed(String path) {
        int at = pos;
        long length = readVarLong(path);
        if (length < 0 || length > end - pos) {
            throw new Malformed(path + ": length " + length + " at byte " + at + ", only " + (end - pos)
                    + " bytes left");
        }
        pos += (int) length;
    }

    private void skip(int bytes, String path) {
        if (bytes > end - pos) {
            throw new Malformed(path + ": needs " + bytes + " bytes at byte " + pos + ", only " + (end - pos)
                    + " left");
        }
        pos += bytes;
    }

    /** Avro's zig-zag variable-length long: at most 10 bytes, 7 bits each, low group first. */
    private long readVarLong(String path) {
        long raw = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            if (pos >= end) {
                throw new Malformed(path + ": truncated variable-length number at byte " + pos);
            }
            int b = buf[pos++] & 0xFF;
            raw |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return (raw >>> 1) ^ -(raw & 1);
            }
        }
        throw new Malformed(path + ": variable-length number longer than 10 bytes at byte " + (pos - 10));
    }

    /** Control flow inside the walk only; never escapes {@link #check}. */
    private static final class Malformed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message, null, false, false);
        }
    }
}
