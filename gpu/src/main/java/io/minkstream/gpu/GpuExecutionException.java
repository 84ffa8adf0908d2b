package io.minkstream.gpu;

/**
 * A CUDA error while a {@link CudaBackend} ran an operation. The operation's output is undefined;
 * {@link FailoverBackend} re-runs it on the CPU.
 */
public final class GpuExecutionException extends RuntimeException {
    public GpuExecutionException(String message, Throwable cause) {
        super(message, cause);
    }
}
