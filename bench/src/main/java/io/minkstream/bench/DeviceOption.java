package io.minkstream.bench;

import io.minkstream.engine.backend.Backend;
import io.minkstream.engine.backend.CpuBackend;
import io.minkstream.gpu.Backends;
import java.util.OptionalInt;

/**
 * The {@code --device} option: {@code cpu} (default, the engine's {@link CpuBackend}), or
 * {@code cuda}, {@code cuda:N}, {@code auto}, opened by the gpu module's {@link Backends}. An explicit CUDA request on a machine without a
 * usable GPU fails with the driver's reason rather than quietly timing the CPU.
 */
final class DeviceOption {
    private DeviceOption() {
    }

    static Backend open(String device, int threads) {
        if (device.equals("cpu")) return new CpuBackend(threads);
        Backends.Choice choice = Backends.open(device, threads, OptionalInt.empty());
        System.err.println("# device " + device + ": " + choice.reason());
        return choice.backend();
    }
}
