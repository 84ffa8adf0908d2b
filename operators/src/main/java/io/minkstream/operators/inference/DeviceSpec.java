package io.minkstream.operators.inference;

import io.minkstream.engine.backend.Backend;
import io.minkstream.gpu.Backends;
import java.io.Serializable;
import java.util.OptionalInt;

/**
 * Which compute device a subtask uses: {@code cpu}, {@code cuda}, {@code cuda:N} or {@code auto}
 * (the GPU Flink assigned, else device 0 when a CUDA driver finds one, else the CPU), plus the CPU
 * threads per subtask. Kept as the option string so it travels in the job graph; the gpu module
 * parses it (failing fast here, on the client) and opens the backend on the TaskManager.
 */
public record DeviceSpec(String device, int cpuThreads) implements Serializable {

    public DeviceSpec {
        io.minkstream.gpu.DeviceSpec.parse(device);
        if (cpuThreads < 1) throw new IllegalArgumentException("cpu threads must be >= 1, got " + cpuThreads);
    }

    /** The backend; {@code auto} falls back to the CPU with one log line naming why. */
    public Backend open(OptionalInt assignedGpu) {
        return Backends.create(device, cpuThreads, assignedGpu);
    }
}
