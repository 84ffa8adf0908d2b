package io.minkstream.gpu.device;

/**
 * The device a {@link io.minkstream.gpu.CudaBackend} drives: memory, copies and kernel launches in
 * stream order. {@link JCudaDevice} is a real GPU through JCuda's driver API; the tests use a CUDA
 * device emulated on the CPU that runs the same kernels, so everything above this interface is
 * tested without a GPU. Implementations are used by one thread at a time.
 *
 * <p>Failures of the device (a CUDA error, a lost emulator) are unchecked exceptions.
 */
public interface Device extends AutoCloseable {

    /** E.g. {@code "cuda:0 NVIDIA H100 80GB HBM3 (sm_90, driver CUDA 13.0)"}. */
    String name();

    /** Makes the device current on the calling thread (a CUDA context is per thread). */
    void bind();

    /** Device memory of at least {@code bytes} bytes, uninitialised. */
    DeviceBuffer allocate(long bytes);

    void free(DeviceBuffer buffer);

    void copyToDevice(DeviceBuffer dst, long dstByteOffset, float[] src, int from, int count);

    void copyToDevice(DeviceBuffer dst, long dstByteOffset, int[] src, int from, int count);

    /** Waits for earlier work in stream order, then copies. */
    void copyFromDevice(DeviceBuffer src, long srcByteOffset, float[] dst, int from, int count);

    void copyFromDevice(DeviceBuffer src, long srcByteOffset, int[] dst, int from, int count);

    /** Sets {@code count} 32-bit words to {@code value}. */
    void fill32(DeviceBuffer dst, int value, long count);

    /** Queues a launch of {@code grid} blocks of {@code block} threads (1-D). */
    void launch(Kernel kernel, int grid, int block, KernelArgs args);

    /** Waits until all queued work has finished. */
    void synchronize();

    @Override
    void close();
}
