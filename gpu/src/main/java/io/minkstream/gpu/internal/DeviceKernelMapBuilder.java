package io.minkstream.gpu.internal;

import io.minkstream.engine.coords.KernelMap;
import io.minkstream.gpu.device.Device;
import io.minkstream.gpu.device.DeviceBuffer;
import io.minkstream.gpu.device.Kernel;

/**
 * Builds kernel maps on the device (see kernel_map.cu): lookup of every (output, offset) in the
 * input map's hash table, CSR by output row through count + scan + fill, and the per-offset view
 * through a scan over offset-major flags. The result is downloaded as the engine's KernelMap (the
 * same pairs in the same order as the CPU builder) and stays on the device for the convolutions
 * that use it.
 */
public final class DeviceKernelMapBuilder {
    private final Device device;
    private final DeviceMemoryPool pool;
    private final KernelLauncher kernels;

    /** The map on the host and its device copy (owning its buffers). */
    public record Built(KernelMap map, DeviceKernelMap device) {
    }

    public DeviceKernelMapBuilder(Device device, DeviceMemoryPool pool, KernelLauncher kernels) {
        this.device = device;
        this.pool = pool;
        this.kernels = kernels;
    }

    public Built build(DeviceCoordinateMap in, DeviceCoordinateMap out, int[] offsets, int kernelVolume, int sign) {
        int nOut = out.size;
        long cells = (long) nOut * kernelVolume;
        if (cells >= Integer.MAX_VALUE) {
            throw new IllegalArgumentException(nOut + " outputs x " + kernelVolume + " offsets exceed the kernels' 32-bit pair indices");
        }
        DeviceBuffer outStart = pool.acquire(4L * (nOut + 1));
        DeviceKernelMap dm = null;
        try (Scratch scratch = new Scratch(pool)) {
            DeviceBuffer dOffsets = scratch.ints(Math.max(1, offsets.length));
            device.copyToDevice(dOffsets, 0, offsets, 0, offsets.length);
            DeviceBuffer found = scratch.ints(Math.max(1, cells));
            if (cells > 0) kernels.kernelMapLookup(out.coords, nOut, out.width, dOffsets, kernelVolume, sign, in, found);
            DeviceBuffer counts = scratch.ints(nOut + 1L);
            kernels.kernelMapCount(found, nOut, kernelVolume, counts);
            kernels.exclusiveScan(counts, outStart, nOut + 1L);
            int[] start = new int[nOut + 1];
            device.copyFromDevice(outStart, 0, start, 0, nOut + 1);
            int pairs = start[nOut];
            dm = new DeviceKernelMap(kernelVolume, nOut, pairs, outStart, pool.acquire(4L * Math.max(1, pairs)),
                    pool.acquire(4L * Math.max(1, pairs)));
            DeviceBuffer kernelIndex = dm.kernelIndex;
            DeviceBuffer inRow = dm.inRow;
            if (nOut > 0) kernels.kernelMapFill(found, nOut, kernelVolume, outStart, kernelIndex, inRow);
            offsetView(dm, found, scratch);
            int[] kIdx = new int[pairs];
            int[] rows = new int[pairs];
            device.copyFromDevice(kernelIndex, 0, kIdx, 0, pairs);
            device.copyFromDevice(inRow, 0, rows, 0, pairs);
            return new Built(new KernelMap(kernelVolume, in.size, nOut, start, kIdx, rows), dm);
        } catch (RuntimeException e) {
            if (dm != null) dm.release(pool); else pool.release(outStart);
            throw e;
        }
    }

    /** The pairs grouped by offset, ordered by output row within each offset. */
    private void offsetView(DeviceKernelMap dm, DeviceBuffer found, Scratch scratch) {
        int k = dm.kernelVolume;
        long cells = (long) dm.outSize * k;
        DeviceBuffer flags = scratch.ints(cells + 1);
        kernels.kernelMapOffsetFlags(found, dm.outSize, k, flags);
        DeviceBuffer positions = scratch.ints(cells + 1);
        kernels.exclusiveScan(flags, positions, cells + 1);
        dm.attachOffsetView(pool.acquire(4L * Math.max(1, dm.pairs)), pool.acquire(4L * Math.max(1, dm.pairs)),
                pool.acquire(4L * (k + 1)), pool.acquire(4L * (k + 1)));
        if (cells > 0) kernels.kernelMapOffsetFill(found, dm.outSize, k, positions, dm.offsetIn, dm.offsetOut);
        kernels.kernelMapOffsetStarts(positions, dm.outSize, k, dm.offsetStart);
        int[] starts = new int[k + 1];
        device.copyFromDevice(dm.offsetStart, 0, starts, 0, k + 1);
        int[] tileStart = tileStarts(starts);
        device.copyToDevice(dm.tileStart, 0, tileStart, 0, k + 1);
        dm.tiles = tileStart[k];
    }

    /** tileStart[k] = sum over offsets j < k of ceil(pairs_j / CONV_TILE_PAIRS). */
    public static int[] tileStarts(int[] offsetStart) {
        int k = offsetStart.length - 1;
        int[] tiles = new int[k + 1];
        for (int j = 0; j < k; j++) {
            int pairs = offsetStart[j + 1] - offsetStart[j];
            tiles[j + 1] = tiles[j] + (pairs + Kernel.CONV_TILE_PAIRS - 1) / Kernel.CONV_TILE_PAIRS;
        }
        return tiles;
    }
}
