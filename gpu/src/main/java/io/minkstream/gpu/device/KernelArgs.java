package io.minkstream.gpu.device;

import java.util.Arrays;

/**
 * The arguments of one kernel launch, typed as the kernel's C signature expects them: device
 * pointers ('P'), 32-bit ints ('I'), 64-bit ints ('J') and floats ('F'). {@link Kernel#check} compares
 * them with the kernel's declared signature before any launch, so a mismatch is a Java exception
 * rather than a GPU fault.
 */
public final class KernelArgs {
    private char[] types = new char[12];
    private long[] values = new long[12];
    private DeviceBuffer[] buffers = new DeviceBuffer[12];
    private int size;

    public KernelArgs ptr(DeviceBuffer buffer) {
        return ptr(buffer, 0);
    }

    /** A pointer {@code byteOffset} bytes into {@code buffer}; a null buffer passes a null pointer. */
    public KernelArgs ptr(DeviceBuffer buffer, long byteOffset) {
        if (buffer != null && (byteOffset < 0 || byteOffset > buffer.bytes())) {
            throw new IllegalArgumentException("pointer offset " + byteOffset + " outside " + buffer);
        }
        return add('P', buffer == null ? 0 : byteOffset, buffer);
    }

    public KernelArgs i32(int value) {
        return add('I', value, null);
    }

    public KernelArgs i64(long value) {
        return add('J', value, null);
    }

    public KernelArgs f32(float value) {
        return add('F', Float.floatToRawIntBits(value) & 0xFFFFFFFFL, null);
    }

    private KernelArgs add(char type, long value, DeviceBuffer buffer) {
        if (size == types.length) {
            types = Arrays.copyOf(types, size * 2);
            values = Arrays.copyOf(values, size * 2);
            buffers = Arrays.copyOf(buffers, size * 2);
        }
        types[size] = type;
        values[size] = value;
        buffers[size] = buffer;
        size++;
        return this;
    }

    public int size() {
        return size;
    }

    public char type(int i) {
        return types[i];
    }

    /** The int, long or float bits of argument i; for a pointer, its byte offset into {@link #buffer}. */
    public long value(int i) {
        return values[i];
    }

    /** The buffer of pointer argument i, or null for a null pointer or a scalar. */
    public DeviceBuffer buffer(int i) {
        return buffers[i];
    }

    /** The argument types as a signature string, e.g. {@code "PIIP"}. */
    public String signature() {
        return new String(types, 0, size);
    }
}
