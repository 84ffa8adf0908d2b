package io.minkstream.gpu;

/**
 * Settings of a {@link CudaBackend}.
 *
 * @param hashLoadFactor       target load factor of the device coordinate hash tables, in (0, 0.9]
 * @param dataflow             how convolutions choose between the fused and the per-offset dataflow
 * @param deviceCacheBytes     device memory for cached kernel maps and coordinate maps
 * @param cpuThreads           threads of the CPU kernel-map builder the backend hands to coordinate managers
 * @param segmentPoolingPairs  mean pairs per output from which pooling reduces each output with a whole
 *                             block (global pooling) instead of one thread
 * @param maxBlocks            grid size cap; kernels loop grid-stride over the rest
 * @param poolSizeClasses      round device buffers up to power-of-two size classes for reuse (true); false
 *                             allocates exact sizes, so that AddressSanitizer behind the emulated device
 *                             sees accesses past a buffer's requested end
 */
public record CudaBackendOptions(double hashLoadFactor, DataflowRule dataflow, long deviceCacheBytes, int cpuThreads,
                                 int segmentPoolingPairs, int maxBlocks, boolean poolSizeClasses) {

    public CudaBackendOptions {
        if (!(hashLoadFactor > 0 && hashLoadFactor <= 0.9)) throw new IllegalArgumentException("hashLoadFactor must be in (0, 0.9], got " + hashLoadFactor);
        if (dataflow == null) throw new IllegalArgumentException("dataflow rule must not be null");
        if (deviceCacheBytes < 0) throw new IllegalArgumentException("deviceCacheBytes must be >= 0, got " + deviceCacheBytes);
        if (cpuThreads < 1) throw new IllegalArgumentException("cpuThreads must be >= 1, got " + cpuThreads);
        if (segmentPoolingPairs < 1) throw new IllegalArgumentException("segmentPoolingPairs must be >= 1, got " + segmentPoolingPairs);
        if (maxBlocks < 1) throw new IllegalArgumentException("maxBlocks must be >= 1, got " + maxBlocks);
    }

    public static CudaBackendOptions defaults() {
        return new CudaBackendOptions(0.5, DataflowRule.defaults(), 1L << 30, Math.max(1, Runtime.getRuntime().availableProcessors() / 2), 64, 8192,
                true);
    }

    public CudaBackendOptions withHashLoadFactor(double v) {
        return new CudaBackendOptions(v, dataflow, deviceCacheBytes, cpuThreads, segmentPoolingPairs, maxBlocks, poolSizeClasses);
    }

    public CudaBackendOptions withDataflow(DataflowRule v) {
        return new CudaBackendOptions(hashLoadFactor, v, deviceCacheBytes, cpuThreads, segmentPoolingPairs, maxBlocks, poolSizeClasses);
    }

    public CudaBackendOptions withDeviceCacheBytes(long v) {
        return new CudaBackendOptions(hashLoadFactor, dataflow, v, cpuThreads, segmentPoolingPairs, maxBlocks, poolSizeClasses);
    }

    public CudaBackendOptions withCpuThreads(int v) {
        return new CudaBackendOptions(hashLoadFactor, dataflow, deviceCacheBytes, v, segmentPoolingPairs, maxBlocks, poolSizeClasses);
    }

    public CudaBackendOptions withSegmentPoolingPairs(int v) {
        return new CudaBackendOptions(hashLoadFactor, dataflow, deviceCacheBytes, cpuThreads, v, maxBlocks, poolSizeClasses);
    }

    public CudaBackendOptions withPoolSizeClasses(boolean v) {
        return new CudaBackendOptions(hashLoadFactor, dataflow, deviceCacheBytes, cpuThreads, segmentPoolingPairs, maxBlocks, v);
    }

    public CudaBackendOptions withMaxBlocks(int v) {
        return new CudaBackendOptions(hashLoadFactor, dataflow, deviceCacheBytes, cpuThreads, segmentPoolingPairs, v, poolSizeClasses);
    }
}
