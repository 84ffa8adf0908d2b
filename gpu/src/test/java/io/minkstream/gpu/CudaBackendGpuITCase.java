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

    /**
     * The 100k-voxel LiDAR case: the device-built kernel map equals the CPU's (and ME's pair count
     * per offset), both dataflows match the CPU at C=32 and C=64, with median times printed.
     */
    @Test
    void largeLidarCase() {
        requireGpu();
        Optional<Path> root = OracleCase.root();
        Assumptions.assumeTrue(root.isPresent(), "no fixtures under ${shared.dir}/oracle/minkowski");
        OracleCase c = OracleCase.load(root.get(), "i_large_lidar_k3s1_D4");
        io.minkstream.engine.coords.CoordinateManager m = new io.minkstream.engine.coords.CoordinateManager(4, cpu.kernelMapBuilder());
        io.minkstream.engine.coords.CoordinateKey key = m.insert(c.ints("in_coords.npy"), KernelScenarios.ones(4));
        io.minkstream.engine.coords.KernelRegion region = io.minkstream.engine.coords.KernelRegion.hyperCube(4, 3);
        io.minkstream.engine.coords.KernelMap map = m.kernelMap(key, key, region, false);
        long t0 = System.nanoTime();
        io.minkstream.engine.coords.KernelMap built = gpu.buildKernelMap(m.map(key), m.map(key), region.offsets(KernelScenarios.ones(4)), 81, 1);
        System.out.printf("engine kernel_map_i device=cuda ms=%.2f (first build, includes upload)%n", (System.nanoTime() - t0) / 1e6);
        BackendAssertions.assertSameKernelMap("i: device kernel map", map, built);
        int[] mePairs = c.ints("kernel_map_pair_counts.npy");
        for (int k = 0; k < 81; k++) org.junit.jupiter.api.Assertions.assertEquals(mePairs[k], built.pairCount(k), "pairs of offset " + k);
        float[] feats64 = c.floats("in_feats_64.npy");
        int n = map.inSize();
        for (int channels : new int[] {32, 64}) {
            float[] feats = new float[n * channels];
            for (int r = 0; r < n; r++) System.arraycopy(feats64, r * 64, feats, r * channels, channels);
            float[] w = c.floats("kernel_" + channels + ".npy");
            float[] ref = new float[n * channels];
            cpu.convolution(feats, channels, w, channels, null, map, ref);
            for (ConvolutionDataflow flow : ConvolutionDataflow.values()) {
                float[] out = new float[ref.length];
                double[] ms = new double[7];
                for (int i = 0; i < ms.length; i++) {
                    long t = System.nanoTime();
                    gpu.convolution(feats, channels, w, channels, null, built, out, flow);
                    ms[i] = (System.nanoTime() - t) / 1e6;
                }
                java.util.Arrays.sort(ms);
                double flops = 2.0 * map.pairCount() * channels * channels;
                System.out.printf("engine conv_i_C%d_%s device=cuda median_ms=%.3f gflops=%.1f (with transfers)%n", channels, flow, ms[3],
                        flops / ms[3] / 1e6);
                BackendAssertions.assertClose("i C=" + channels + " " + flow, ref, out, channels);
            }
        }
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
