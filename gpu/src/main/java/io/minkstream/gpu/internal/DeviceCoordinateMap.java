package io.minkstream.gpu.internal;

import io.minkstream.gpu.device.DeviceBuffer;

/** A coordinate map on the device: its rows, its key packing and its hash table (keys, rows). */
public final class DeviceCoordinateMap {
    public final int size;
    public final int width;
    public final KeyPacking packing;
    public final DeviceBuffer coords;
    public final DeviceBuffer pack;
    public final DeviceBuffer keys;
    public final DeviceBuffer values;
    public final int log2Capacity;

    public DeviceCoordinateMap(int size, int width, KeyPacking packing, DeviceBuffer coords, DeviceBuffer pack, DeviceBuffer keys,
                               DeviceBuffer values, int log2Capacity) {
        this.size = size;
        this.width = width;
        this.packing = packing;
        this.coords = coords;
        this.pack = pack;
        this.keys = keys;
        this.values = values;
        this.log2Capacity = log2Capacity;
    }

    public long bytes() {
        return coords.bytes() + pack.bytes() + keys.bytes() + values.bytes();
    }

    public void release(DeviceMemoryPool pool) {
        pool.release(coords);
        pool.release(pack);
        pool.release(keys);
        pool.release(values);
    }
}
