package io.minkstream.gpu.internal;

import io.minkstream.gpu.device.Device;
import io.minkstream.gpu.device.DeviceBuffer;

/**
 * Coordinate hash tables on the device: built from a map's rows (coordinate_hash_insert), and the
 * first-appearance {@code unique} of candidate rows (insert, mark first occurrences, scan, compact),
 * which gives the same rows in the same order as the engine's CoordinateMap.unique.
 */
public final class DeviceHashing {
    private final Device device;
    private final DeviceMemoryPool pool;
    private final KernelLauncher kernels;
    private final double loadFactor;

    public DeviceHashing(Device device, DeviceMemoryPool pool, KernelLauncher kernels, double loadFactor) {
        if (!(loadFactor > 0 && loadFactor <= 0.9)) throw new IllegalArgumentException("hash load factor must be in (0, 0.9], got " + loadFactor);
        this.device = device;
        this.pool = pool;
        this.kernels = kernels;
        this.loadFactor = loadFactor;
    }

    /** log2 of the smallest power-of-two capacity with {@code n / capacity <= loadFactor} (at least 16 slots). */
    public int capacityLog2(long n) {
        long wanted = (long) Math.ceil(n / loadFactor);
        int log2 = 4;
        while ((1L << log2) < wanted) log2++;
        if (log2 > 30) throw new IllegalArgumentException(n + " coordinates need a hash table beyond 2^30 slots");
        return log2;
    }

    /** Uploads {@code n} rows and hashes them; the result owns its buffers. */
    public DeviceCoordinateMap upload(int[] coords, int n, int width, KeyPacking packing) {
        DeviceBuffer rows = pool.acquire(Math.max(4L, 4L * n * width));
        device.copyToDevice(rows, 0, coords, 0, n * width);
        return hash(rows, n, width, packing);
    }

    /** Hashes rows already on the device; the result takes ownership of {@code rows}. */
    public DeviceCoordinateMap hash(DeviceBuffer rows, int n, int width, KeyPacking packing) {
        int log2 = capacityLog2(n);
        int capacity = 1 << log2;
        DeviceBuffer pack = pool.acquire(4L * 3 * width);
        device.copyToDevice(pack, 0, packing.toArray(), 0, 3 * width);
        DeviceBuffer keys = pool.acquire(8L * capacity);
        DeviceBuffer values = pool.acquire(4L * capacity);
        kernels.hashClear(keys, values, capacity);
        if (n > 0) kernels.hashInsert(rows, n, width, pack, keys, values, log2);
        return new DeviceCoordinateMap(n, width, packing, rows, pack, keys, values, log2);
    }

    /** The distinct rows among {@code n} candidate rows on the device, in order of first appearance. */
    public int[] unique(DeviceBuffer rows, int n, int width, KeyPacking packing) {
        if (n == 0) return new int[0];
        try (Scratch scratch = new Scratch(pool)) {
            int log2 = capacityLog2(n);
            int capacity = 1 << log2;
            DeviceBuffer pack = scratch.ints(3L * width);
            device.copyToDevice(pack, 0, packing.toArray(), 0, 3 * width);
            DeviceBuffer keys = scratch.bytes(8L * capacity);
            DeviceBuffer values = scratch.ints(capacity);
            kernels.hashClear(keys, values, capacity);
            kernels.hashInsert(rows, n, width, pack, keys, values, log2);
            DeviceBuffer flags = scratch.ints(n + 1L);
            device.fill32(flags, 0, n + 1L);
            kernels.firstOccurrence(rows, n, width, pack, keys, values, log2, flags);
            DeviceBuffer positions = scratch.ints(n + 1L);
            kernels.exclusiveScan(flags, positions, n + 1L);
            int[] total = new int[1];
            device.copyFromDevice(positions, 4L * n, total, 0, 1);
            DeviceBuffer unique = scratch.ints(Math.max(1L, (long) total[0] * width));
            kernels.compact(rows, n, width, flags, positions, unique);
            int[] result = new int[total[0] * width];
            device.copyFromDevice(unique, 0, result, 0, result.length);
            return result;
        }
    }
}
