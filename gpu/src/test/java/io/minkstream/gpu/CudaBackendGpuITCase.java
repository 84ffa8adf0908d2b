package io.minkstream.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import io.minkstream.engine.backend.CpuBackend;
import io.minkstream.gpu.device.CudaDriver;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The real {@link CudaBackend} on a real GPU (device 0, or {@code -Dminkstream.cuda.device=N}),
 * against the engine's CPU backend: every MinkowskiEngine fixture and the random cases, with both
 * convolution dataflows and the device-built kernel maps. Skipped, naming the reason, where there
 * is no driver, no device, or a driver too old for the shipped kernels. Run it with
 * {@code mvn -pl gpu -am verify -Dtest=CudaBackendGpuITCase -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class CudaBackendGpuITCase {
    private static CudaBackend gpu;
    private static CpuBackend cpu;
    private static String unavailable;

    @BeforeAll
    static void open() {
        int index = Integer.getInteger("minkstream.cuda.device", 0);
        try {
            gpu = CudaBackend.open(index, CudaBackendOptions.defaults().withCpuThreads(2));
            cpu = new CpuBackend(2);
            System.out.println("CudaBackendGpuITCase on " + gpu.name());
        } catch (CudaUnavailableException e) {
            unavailable = e.getMessage();
        }
    }

    @AfterAll
    static void close() {
        if (gpu != null) gpu.close();
        if (cpu != null) cpu.close();
    }

    private static void requireGpu() {
        Assumptions.assumeTrue(gpu != null, () -> "no usable CUDA device, skipping the GPU test: " + unavailable);
    }

    @TestFactory
    Stream<DynamicTest> gpuMatchesTheEngine() {
        requireGpu();
        List<KernelScenarios.Scenario> scenarios = new ArrayList<>();
        Optional<Path> oracle = OracleCase.root();
        oracle.ifPresent(root -> scenarios.addAll(KernelScenarios.oracle(root, List.of())));
        scenarios.addAll(KernelScenarios.random(4.0));
        return scenarios.stream().map(s -> DynamicTest.dynamicTest(s.name(), () -> s.check().run(gpu, cpu)));
    }

    @Test
    void autoPicksTheGpu() {
        requireGpu();
        Backends.Choice choice = Backends.open("auto", 1, OptionalInt.empty());
        try {
            assertThat(choice.backend()).isInstanceOf(FailoverBackend.class);
            assertThat(CudaDriver.probe().driverVersion()).isGreaterThanOrEqualTo(CudaDriver.REQUIRED_DRIVER_VERSION);
        } finally {
            choice.backend().close();
        }
    }

    @Test
    void leavesNoDeviceBuffersBehind() {
        requireGpu();
        gpu.clearDeviceCaches();
        assertThat(gpu.deviceBuffersInUse()).isZero();
    }
}
