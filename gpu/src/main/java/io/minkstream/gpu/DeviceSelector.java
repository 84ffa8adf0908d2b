package io.minkstream.gpu;

import io.minkstream.gpu.device.CudaDriver;
import java.util.OptionalInt;
import java.util.function.Supplier;

/**
 * Decides where an operator instance computes, before anything is opened:
 * <ul>
 *   <li>{@code cpu}: the CPU;</li>
 *   <li>{@code cuda[:N]}: device N, else the GPU Flink assigned to this TaskManager slot, else 0; an
 *       error if CUDA is unusable (the user asked for it);</li>
 *   <li>{@code auto}: the Flink-assigned GPU when there is one, else device 0 when the driver
 *       finds a device, else the CPU, with the reason.</li>
 * </ul>
 */
public final class DeviceSelector {

    /** Where to compute and why. {@code deviceIndex} is -1 for the CPU. */
    public record Selection(boolean cuda, int deviceIndex, String reason) {
    }

    private final Supplier<CudaDriver.Probe> probe;

    /** Probes the real driver through JCuda. */
    public DeviceSelector() {
        this(CudaDriver::probe);
    }

    /** With another probe, for tests of the selection rules. */
    public DeviceSelector(Supplier<CudaDriver.Probe> probe) {
        this.probe = probe;
    }

    /**
     * @param flinkGpuIndex the index of the GPU external resource Flink assigned to this slot, if any
     * @throws IllegalStateException for an explicit {@code cuda} request that cannot be met
     */
    public Selection select(DeviceSpec spec, OptionalInt flinkGpuIndex) {
        switch (spec.kind()) {
            case CPU:
                return new Selection(false, -1, "device cpu requested");
            case CUDA: {
                CudaDriver.Probe p = probe.get();
                int index = spec.index() >= 0 ? spec.index() : flinkGpuIndex.orElse(0);
                if (!p.usable()) throw new IllegalStateException("device " + spec + " requested but CUDA is unusable: " + p.problem());
                if (index >= p.deviceCount()) {
                    throw new IllegalStateException("device " + spec + " requested but the driver reports " + p.deviceCount()
                            + " device(s); no CUDA device " + index);
                }
                return new Selection(true, index, "device " + spec + " requested: CUDA device " + index);
            }
            default: {
                CudaDriver.Probe p = probe.get();
                if (!p.usable()) return new Selection(false, -1, "device auto: no usable GPU (" + p.problem() + ")");
                if (flinkGpuIndex.isPresent()) {
                    int index = flinkGpuIndex.getAsInt();
                    if (index < p.deviceCount()) return new Selection(true, index, "device auto: GPU " + index + " assigned by Flink");
                    return new Selection(false, -1, "device auto: Flink assigned GPU " + index + " but the driver reports "
                            + p.deviceCount() + " device(s)");
                }
                return new Selection(true, 0, "device auto: CUDA device 0 of " + p.deviceCount() + " (no GPU assigned by Flink)");
            }
        }
    }
}
