package io.minkstream.schemas;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Codec between {@code float[]} and the packed little-endian float32 {@code bytes} fields of the schemas
 * ({@code positions}, {@code features}, {@code pose}).
 *
 * <p>Buffers are read from their position to their limit and never modified: neither position nor byte
 * order is touched, because Avro hands out shared {@link ByteBuffer}s in big-endian order and a reader
 * that flipped them would corrupt other readers. Reads go through a little-endian {@link VarHandle} view,
 * so the per-element loop neither allocates nor boxes, and works for heap and direct buffers alike.
 */
public final class PackedFloats {

    /** Bytes per element. */
    public static final int BYTES = Float.BYTES;

    private static final VarHandle ARRAY_LE =
            MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle BUFFER_LE =
            MethodHandles.byteBufferViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);

    private PackedFloats() {
    }

    /** Packs all of {@code values} into a new heap buffer (position 0, limit = 4 * length). */
    public static ByteBuffer encode(float[] values) {
        return encode(values, 0, values.length);
    }

    /** Packs {@code values[offset, offset + count)} into a new heap buffer (position 0). */
    public static ByteBuffer encode(float[] values, int offset, int count) {
        checkRange(values.length, offset, count);
        byte[] out = new byte[count * BYTES];
        for (int i = 0; i < count; i++) {
            ARRAY_LE.set(out, i * BYTES, values[offset + i]);
        }
        return ByteBuffer.wrap(out);
    }

    /**
     * Unpacks exactly {@code expectedCount} floats into a new array.
     *
     * @throws PackedLengthException if the buffer does not hold exactly {@code 4 * expectedCount} bytes
     */
    public static float[] decode(ByteBuffer packed, String field, long expectedCount) {
        requireCount(packed, field, expectedCount);
        float[] out = new float[(int) expectedCount];
        decodeUnchecked(packed, out, 0, out.length);
        return out;
    }

    /**
     * Unpacks exactly {@code expectedCount} floats into {@code dst} from {@code dstOffset}; allocation-free,
     * for callers that reuse their arrays.
     *
     * @throws PackedLengthException if the buffer does not hold exactly {@code 4 * expectedCount} bytes
     */
    public static void decodeInto(ByteBuffer packed, String field, long expectedCount, float[] dst, int dstOffset) {
        requireCount(packed, field, expectedCount);
        checkRange(dst.length, dstOffset, (int) expectedCount);
        decodeUnchecked(packed, dst, dstOffset, (int) expectedCount);
    }

    /** Element {@code index} (0-based, from the buffer's position); no bounds check beyond the buffer's own. */
    public static float get(ByteBuffer packed, int index) {
        return (float) BUFFER_LE.get(packed, packed.position() + index * BYTES);
    }

    /**
     * Number of floats in the buffer.
     *
     * @throws PackedLengthException if its byte length is not a multiple of 4
     */
    public static int count(ByteBuffer packed, String field) {
        int bytes = packed.remaining();
        if (bytes % BYTES != 0) {
            throw new PackedLengthException(field, -1, bytes, "a multiple of " + BYTES + " for float32");
        }
        return bytes / BYTES;
    }

    /**
     * Checks that the buffer holds exactly {@code expectedCount} floats. The count is a long so that
     * {@code pointCount * featureChannels} from an untrusted record cannot overflow on the way in.
     *
     * @throws PackedLengthException naming {@code field}, the expected and the found byte length
     */
    public static void requireCount(ByteBuffer packed, String field, long expectedCount) {
        long expectedBytes = expectedCount * BYTES;
        if (expectedCount < 0 || expectedCount > Integer.MAX_VALUE / BYTES || packed.remaining() != expectedBytes) {
            throw new PackedLengthException(field, expectedBytes, packed.remaining(), expectedCount + " float32");
        }
    }

    private static void decodeUnchecked(ByteBuffer packed, float[] dst, int dstOffset, int count) {
        if (packed.hasArray()) {
            byte[] src = packed.array();
            int base = packed.arrayOffset() + packed.position();
            for (int i = 0; i < count; i++) {
                dst[dstOffset + i] = (float) ARRAY_LE.get(src, base + i * BYTES);
            }
        } else {
            int base = packed.position();
            for (int i = 0; i < count; i++) {
                dst[dstOffset + i] = (float) BUFFER_LE.get(packed, base + i * BYTES);
            }
        }
    }

    static void checkRange(int length, int offset, int count) {
        if (offset < 0 || count < 0 || offset > length - count) {
            throw new IndexOutOfBoundsException(
                    "range [" + offset + ", " + offset + " + " + count + ") outside array of length " + length);
        }
    }
}
