package io.minkstream.gpu.internal;

import io.minkstream.gpu.device.DeviceBuffer;

/**
 * A kernel map on the device: the CSR (row starts, kernel index and input row per pair) the fused
 * convolution, pooling and channelwise kernels read, and, made on first use by the per-offset
 * dataflow, the pairs grouped by offset with the pair tiles of each offset.
 */
public final class DeviceKernelMap {
    public final int kernelVolume;
    public final int outSize;
    public final int pairs;
    public final DeviceBuffer outStart;
    public final DeviceBuffer kernelIndex;
    public final DeviceBuffer inRow;
    /** Per-offset view, or null until needed: pairs of offset k are [offsetStart[k], offsetStart[k+1]). */
    public DeviceBuffer offsetIn;
    public DeviceBuffer offsetOut;
    public DeviceBuffer offsetStart;
    /** First pair tile of each offset (K + 1 entries); tiles = tileStart[K]. */
    public DeviceBuffer tileStart;
    public int tiles;

    public DeviceKernelMap(int kernelVolume, int outSize, int pairs, DeviceBuffer outStart, DeviceBuffer kernelIndex, DeviceBuffer inRow) {
        this.kernelVolume = kernelVolume;
        this.outSize = outSize;
        this.pairs = pairs;
        this.outStart = outStart;
        this.kernelIndex = kernelIndex;
        this.inRow = inRow;
    }

    /** Takes ownership of the per-offset buffers (all four at once, so release frees all or none). */
    public void attachOffsetView(DeviceBuffer offsetIn, DeviceBuffer offsetOut, DeviceBuffer offsetStart, DeviceBuffer tileStart) {
        this.offsetIn = offsetIn;
        this.offsetOut = offsetOut;
        this.offsetStart = offsetStart;
        this.tileStart = tileStart;
    }

    public boolean hasOffsetView() {
        return offsetIn != null;
    }

    public long bytes() {
        long b = outStart.bytes() + kernelIndex.bytes() + inRow.bytes();
        if (hasOffsetView()) b += offsetIn.bytes() + offsetOut.bytes() + offsetStart.bytes() + tileStart.bytes();
        return b;
    }

    public void release(DeviceMemoryPool pool) {
        pool.release(outStart);
        pool.release(kernelIndex);
        pool.release(inRow);
        if (hasOffsetView()) {
            pool.release(offsetIn);
            pool.release(offsetOut);
            pool.release(offsetStart);
            pool.release(tileStart);
        }
    }
}
