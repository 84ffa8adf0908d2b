package io.minkstream.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.minkstream.engine.backend.CpuBackend;
import io.minkstream.gpu.device.Kernel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The CUDA kernels, compiled with g++ against the emulation header, driven by the real
 * {@link CudaBackend} (the same Java code that drives a GPU, through an {@link EmulatedDevice}),
 * compared with the engine's CPU backend on the MinkowskiEngine fixtures and on random cases.
 *
 * <p>Five runs: the plain -O2 build with the serial launcher and with 4 host threads per block;
 * the ASan + UBSan build serial and with 4 host threads; the TSan build with 4 host threads (on
 * fewer cases: TSan is slow). Small grid caps make the grid-stride loops of every kernel take
 * several turns; the uncapped run gives every work item its own block. Each run ends by closing the device, which fails on any sanitizer
 * report and on device memory that was never freed. The fixtures come from
 * {@code ${shared.dir}/oracle/minkowski}; without them only the random cases run.
 */
class CudaKernelEmulationTest {
    private static CpuBackend cpu;

    /**
     * One emulator run: a build, a launcher, how much of the suite it gets (all fixture cases when
     * the list is empty; random cases scaled), the grid cap, and whether device buffers have exact
     * sizes (so that ASan sees overflows past the requested end, which pool size classes would hide).
     */
    private record Run(EmulatedDevice.Build build, int hostThreads, List<String> oracleCases, double randomScale, int maxBlocks,
                       boolean exactBuffers) {
        String label() {
            return build.name().toLowerCase() + " build, " + (hostThreads == 1 ? "serial launcher" : hostThreads + " host threads per block")
                    + ", grid <= " + maxBlocks + (exactBuffers ? ", exact buffers" : "");
        }
    }

    private static final List<Run> RUNS = List.of(
            new Run(EmulatedDevice.Build.PLAIN, 1, List.of(), 1.0, 48, false),
            new Run(EmulatedDevice.Build.PLAIN, 4, List.of(), 1.0, 1 << 20, false),
            new Run(EmulatedDevice.Build.ASAN, 1, List.of(), 0.5, 48, true),
            new Run(EmulatedDevice.Build.ASAN, 4, List.of(), 0.5, 16, true),
            new Run(EmulatedDevice.Build.TSAN, 4,
                    List.of("a0_tiny_conv_k3s1_D4", "c2_convtr_k2s2_newcoords_D4", "g_pooling_D4"), 0.3, 8, true));

    @BeforeAll
    static void startCpu() {
        cpu = new CpuBackend(2);
    }

    @AfterAll
    static void stopCpu() {
        cpu.close();
    }

    @TestFactory
    Stream<DynamicNode> kernelsMatchTheEngine() {
        Optional<Path> oracle = OracleCase.root();
        return RUNS.stream().map(run -> {
            List<KernelScenarios.Scenario> scenarios = new ArrayList<>();
            oracle.ifPresent(root -> scenarios.addAll(KernelScenarios.oracle(root, run.oracleCases())));
            scenarios.addAll(KernelScenarios.random(run.randomScale()));
            CudaBackend[] backend = new CudaBackend[1];
            EmulatedDevice[] device = new EmulatedDevice[1];
            List<DynamicNode> tests = new ArrayList<>();
            if (oracle.isEmpty()) {
                tests.add(DynamicTest.dynamicTest("MinkowskiEngine fixtures", () -> Assumptions.abort(
                        "no fixtures under ${shared.dir}/oracle/minkowski (shared.dir=" + System.getProperty("shared.dir") + ")")));
            }
            for (KernelScenarios.Scenario s : scenarios) {
                tests.add(DynamicTest.dynamicTest(s.name(), () -> {
                    if (backend[0] == null) backend[0] = open(run, device);
                    s.check().run(backend[0], cpu);
                }));
            }
            tests.add(DynamicTest.dynamicTest("launched every kernel", () -> {
                if (backend[0] == null) backend[0] = open(run, device);
                java.util.Map<String, Long> counts = device[0].launchCounts();
                List<String> never = Arrays.stream(Kernel.values()).map(Kernel::symbol).filter(k -> !counts.containsKey(k)).toList();
                assertEquals(List.of(), never, "kernels this run never launched (launch counts " + counts + ")");
            }));
            tests.add(DynamicTest.dynamicTest("frees all device memory and exits without sanitizer reports", () -> {
                if (backend[0] == null) backend[0] = open(run, device);
                CudaBackend b = backend[0];
                b.clearDeviceCaches();
                assertEquals(0, b.deviceBuffersInUse(), "device buffers still in use after the caches were cleared");
                b.close();  // EmulatedDevice.close fails on a sanitizer report or leaked device memory
            }));
            return DynamicContainer.dynamicContainer(run.label(), tests);
        });
    }

    private static CudaBackend open(Run run, EmulatedDevice[] device) {
        // Block-wide segment reduction from 16 pairs per output: global pooling of the small random cases takes it too.
        CudaBackendOptions options = CudaBackendOptions.defaults().withCpuThreads(1).withMaxBlocks(run.maxBlocks())
                .withPoolSizeClasses(!run.exactBuffers()).withSegmentPoolingPairs(16);
        device[0] = new EmulatedDevice(run.build(), run.hostThreads());
        return CudaBackend.on(device[0], options);
    }

    @Test
    void everyKernelEnumEntryExistsInTheCudaSources() {
        EmulatedDevice device = new EmulatedDevice(EmulatedDevice.Build.PLAIN, 1);
        try {
            List<String> server = device.kernelNames();
            List<String> declared = Arrays.stream(Kernel.values()).map(Kernel::symbol).sorted().toList();
            assertEquals(declared, server.stream().sorted().toList(), "Kernel enum vs kernels compiled from gpu/src/main/cuda");
        } finally {
            device.close();
        }
    }
}
