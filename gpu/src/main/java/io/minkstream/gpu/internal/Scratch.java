package io.minkstream.gpu.internal;

import io.minkstream.gpu.device.DeviceBuffer;
import java.util.ArrayList;
import java.util.List;

/** The temporary device buffers of one backend call, all released when the call ends. */
public final class Scratch implements AutoCloseable {
    private final DeviceMemoryPool pool;
    private final List<DeviceBuffer> taken = new ArrayList<>();

    public Scratch(DeviceMemoryPool pool) {
        this.pool = pool;
    }

    public DeviceBuffer floats(long count) {
        return bytes(4L * count);
    }

    public DeviceBuffer ints(long count) {
        return bytes(4L * count);
    }

    public DeviceBuffer bytes(long bytes) {
        DeviceBuffer b = pool.acquire(bytes);
        taken.add(b);
        return b;
    }

    @Override
    public void close() {
        for (int i = taken.size() - 1; i >= 0; i--) pool.release(taken.get(i));
        taken.clear();
    }
}
