package io.minkstream.gpu.device;

/**
 * A block of device memory: its size and the device's own handle for it ({@code CUdeviceptr} for
 * {@link JCudaDevice}, the host address for the emulated device). Only the device that made it may
 * use it; a buffer is never used after it was freed.
 */
public final class DeviceBuffer {
    private final long address;
    private final long bytes;
    private final Object handle;

    public DeviceBuffer(long address, long bytes, Object handle) {
        this.address = address;
        this.bytes = bytes;
        this.handle = handle;
    }

    /** An address or id, unique among the device's live buffers. */
    public long address() {
        return address;
    }

    public long bytes() {
        return bytes;
    }

    /** The device implementation's own object for this buffer. */
    public Object handle() {
        return handle;
    }

    @Override
    public String toString() {
        return "DeviceBuffer[0x" + Long.toHexString(address) + ", " + bytes + " bytes]";
    }
}
