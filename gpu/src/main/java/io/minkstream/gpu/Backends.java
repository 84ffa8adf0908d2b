package io.minkstream.gpu;

import io.minkstream.engine.backend.Backend;
import io.minkstream.engine.backend.CpuBackend;
import java.util.OptionalInt;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the backend for a {@code --device} option: {@link CpuBackend}, or a
 * {@link CudaBackend} wrapped in a {@link FailoverBackend}. With {@code auto}, anything that keeps
 * CUDA from working (no driver, no device, a driver too old for the shipped kernels) leads to the
 * CPU and one log line saying why.
 */
public final class Backends {
    private static final Logger LOG = LoggerFactory.getLogger(Backends.class);

    /** The backend and why it was chosen (also logged). */
    public record Choice(Backend backend, String reason) {
    }

    private Backends() {
    }

    /**
     * @param spec          {@code auto}, {@code cpu}, {@code cuda} or {@code cuda:N}
     * @param cpuThreads    threads of the CPU backend (also the fallback's)
     * @param flinkGpuIndex the GPU Flink assigned to this slot (its external resource index), if any
     */
    public static Backend create(String spec, int cpuThreads, OptionalInt flinkGpuIndex) {
        return open(spec, cpuThreads, flinkGpuIndex).backend();
    }

    public static Choice open(String spec, int cpuThreads, OptionalInt flinkGpuIndex) {
        return open(DeviceSpec.parse(spec), cpuThreads, flinkGpuIndex, new DeviceSelector(),
                index -> CudaBackend.open(index, CudaBackendOptions.defaults().withCpuThreads(cpuThreads)));
    }

    /** A CUDA backend factory that may fail with a reason. */
    @FunctionalInterface
    public interface CudaOpener {
        Backend open(int deviceIndex) throws CudaUnavailableException;
    }

    /** The selection logic with its collaborators given, for tests. */
    public static Choice open(DeviceSpec spec, int cpuThreads, OptionalInt flinkGpuIndex, DeviceSelector selector, CudaOpener opener) {
        IntFunction<Backend> cpu = CpuBackend::new;
        DeviceSelector.Selection s = selector.select(spec, flinkGpuIndex);
        if (!s.cuda()) {
            Backend b = cpu.apply(cpuThreads);
            return logged(new Choice(b, s.reason() + " -> " + b.name()), spec);
        }
        try {
            Backend gpu = opener.open(s.deviceIndex());
            Backend b = new FailoverBackend(gpu, () -> cpu.apply(cpuThreads));
            return logged(new Choice(b, s.reason() + " -> " + b.name()), spec);
        } catch (CudaUnavailableException e) {
            if (spec.kind() == DeviceSpec.Kind.CUDA) {
                throw new IllegalStateException("device " + spec + " requested but CUDA device " + s.deviceIndex() + " cannot be used: " + e.getMessage(), e);
            }
            Backend b = cpu.apply(cpuThreads);
            return logged(new Choice(b, "device auto: CUDA device " + s.deviceIndex() + " unusable (" + e.getMessage() + ") -> " + b.name()), spec);
        }
    }

    private static Choice logged(Choice c, DeviceSpec spec) {
        if (spec.kind() == DeviceSpec.Kind.AUTO && !(c.backend() instanceof FailoverBackend)) {
            LOG.warn("{}", c.reason());
        } else {
            LOG.info("{}", c.reason());
        }
        return c;
    }
}
