package io.minkstream.gpu;

/**
 * No CUDA backend can be opened here; the message says why in one line (no driver library, no
 * device, a driver older than the shipped kernels need, ...), so it can be logged as is.
 */
public final class CudaUnavailableException extends Exception {
    public CudaUnavailableException(String message) {
        super(message);
    }

    public CudaUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
