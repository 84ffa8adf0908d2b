package io.minkstream.operators.inference;

import io.minkstream.engine.backend.Backend;
import io.minkstream.engine.backend.CpuBackend;
import java.io.Serializable;
import java.util.OptionalInt;

/**
 * Which compute device a subtask uses: {@code cpu}, {@code cuda}, {@code cuda:N} or {@code auto}
 * (the GPU Flink assigned, else device 0 when a CUDA driver finds one, else the CPU), plus the CPU
 * threads per subtask.
 */
public record DeviceSpec(String device, int cpuThreads) implements Serializable {

    public DeviceSpec {
        if (!device.equals("cpu") && !device.equals("auto") && !device.matches("cuda(:\\d+)?")) {
            throw new IllegalArgumentException("device must be auto, cpu, cuda or cuda:N, got '" + device + "'");
        }
        if (cpuThreads < 1) throw new IllegalArgumentException("cpu threads must be >= 1, got " + cpuThreads);
    }

    public Backend open(OptionalInt assignedGpu) {
        return new CpuBackend(cpuThreads);
    }
}
