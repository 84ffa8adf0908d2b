package io.minkstream.gpu.internal;

import io.minkstream.gpu.device.Device;
import io.minkstream.gpu.device.DeviceBuffer;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Device memory reused across calls: buffers come in power-of-two size classes (at least 512
 * bytes) and go back to their class' free list when released, so a steady stream of frames of
 * similar size allocates device memory only while warming up. Released buffers may be reused at
 * once: the backend runs every call to completion on its one stream before it returns.
 * Without size classes every buffer has exactly the requested size (reused only for that size),
 * so a sanitizer behind an emulated device sees any access past the requested end.
 * Not thread-safe; the backend serialises calls.
 */
public final class DeviceMemoryPool implements AutoCloseable {
    private static final int MIN_CLASS = 9;

    private final Device device;
    private final boolean sizeClasses;
    private final Map<Long, ArrayDeque<DeviceBuffer>> free = new HashMap<>();
    private long deviceAllocations;
    private long reuses;
    private long bytesHeld;
    private long bytesInUse;
    private int buffersInUse;

    public DeviceMemoryPool(Device device, boolean sizeClasses) {
        this.device = device;
        this.sizeClasses = sizeClasses;
    }

    /** A buffer of at least {@code bytes} bytes (its {@link DeviceBuffer#bytes()} is the class size). */
    public DeviceBuffer acquire(long bytes) {
        long size = size(bytes);
        ArrayDeque<DeviceBuffer> list = free.get(size);
        DeviceBuffer b = list == null ? null : list.pollLast();
        if (b != null) {
            reuses++;
        } else {
            try {
                b = device.allocate(size);
            } catch (RuntimeException outOfMemory) {
                trim();  // give cached free buffers back and try once more
                b = device.allocate(size);
            }
            deviceAllocations++;
            bytesHeld += size;
        }
        bytesInUse += b.bytes();
        buffersInUse++;
        return b;
    }

    public void release(DeviceBuffer buffer) {
        free.computeIfAbsent(buffer.bytes(), c -> new ArrayDeque<>()).addLast(buffer);
        bytesInUse -= buffer.bytes();
        buffersInUse--;
    }

    /** Frees every buffer on the free lists. */
    public void trim() {
        for (ArrayDeque<DeviceBuffer> list : free.values()) {
            for (DeviceBuffer b : list) {
                device.free(b);
                bytesHeld -= b.bytes();
            }
            list.clear();
        }
    }

    /** The buffer size serving a request: its power-of-two class, or the request itself rounded to 4 bytes. */
    long size(long bytes) {
        if (!sizeClasses) return Math.max(4, (bytes + 3) & ~3L);
        if (bytes <= 1L << MIN_CLASS) return 1L << MIN_CLASS;
        return 1L << (64 - Long.numberOfLeadingZeros(bytes - 1));
    }

    /** cuMemAlloc calls made so far. */
    public long deviceAllocations() {
        return deviceAllocations;
    }

    /** Acquisitions served from a free list. */
    public long reuses() {
        return reuses;
    }

    /** Device memory held, free or in use. */
    public long bytesHeld() {
        return bytesHeld;
    }

    public long bytesInUse() {
        return bytesInUse;
    }

    public int buffersInUse() {
        return buffersInUse;
    }

    /** Frees the free lists (buffers still in use, see {@link #buffersInUse()}, are the caller's to free). */
    @Override
    public void close() {
        trim();
    }
}
