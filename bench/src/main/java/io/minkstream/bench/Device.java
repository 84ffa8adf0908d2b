package io.minkstream.bench;

import io.minkstream.engine.backend.Backend;
import io.minkstream.engine.backend.CpuBackend;

/**
 * Where the benchmarks run. {@code cuda} is accepted on the command line so that scripts can name
 * it now; it fails with a clear message until the {@code gpu} module provides a backend (at the
 * time of writing it has no backend factory to call).
 */
public enum Device {
    cpu, cuda;

    /** The backend for this device. */
    public Backend backend(int threads) {
        if (this == cpu) return new CpuBackend(threads);
        throw new UnsupportedOperationException("no CUDA backend available: the gpu module provides no backend factory yet; run with --device cpu");
    }
}
