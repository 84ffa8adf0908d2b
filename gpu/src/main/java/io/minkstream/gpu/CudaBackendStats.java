package io.minkstream.gpu;

/**
 * Counters of a {@link CudaBackend}, for metrics.
 *
 * @param launches              kernel launches
 * @param deviceAllocations     cuMemAlloc calls (the pool serves the rest)
 * @param poolReuses            buffers served from the pool's free lists
 * @param deviceBytesHeld       device memory held by the pool
 * @param cachedKernelMaps      kernel maps resident on the device
 * @param kernelMapHits         calls whose kernel map was already on the device
 * @param kernelMapMisses       calls that uploaded their kernel map
 * @param fusedConvolutions     convolutions run with the fused dataflow
 * @param perOffsetConvolutions convolutions run with the per-offset dataflow
 */
public record CudaBackendStats(long launches, long deviceAllocations, long poolReuses, long deviceBytesHeld, int cachedKernelMaps,
                               long kernelMapHits, long kernelMapMisses, long fusedConvolutions, long perOffsetConvolutions) {
}
