package io.minkstream.gpu;

import static io.minkstream.gpu.BackendAssertions.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.minkstream.engine.backend.CpuBackend;
import io.minkstream.engine.coords.CoordinateManager;
import io.minkstream.engine.coords.CoordinateKey;
import io.minkstream.engine.coords.KernelMap;
import io.minkstream.engine.coords.KernelRegion;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The CudaBackend's own machinery on the emulated device: device memory reused across frames,
 * kernel maps uploaded once, the dataflow rule, and failover to the CPU when the device dies
 * mid-stream without losing or repeating a frame.
 */
class CudaBackendEmulationTest {
    private static CpuBackend cpu;

    @BeforeAll
    static void start() {
        cpu = new CpuBackend(1);
    }

    @AfterAll
    static void stop() {
        cpu.close();
    }

    private record Frame(KernelMap map, float[] features, float[] weights) {
    }

    private static Frame frame(long seed, int cIn, int cOut) {
        Random rnd = new Random(seed);
        CoordinateManager m = new CoordinateManager(3, cpu.kernelMapBuilder());
        CoordinateKey key = m.insert(KernelScenarios.randomCoords(rnd, 300, 3, 6, 1), KernelScenarios.ones(3));
        KernelRegion region = KernelRegion.hyperCube(3, 3);
        KernelMap map = m.kernelMap(key, key, region, false);
        return new Frame(map, KernelScenarios.randomFloats(rnd, map.inSize() * cIn), KernelScenarios.randomFloats(rnd, 27 * cIn * cOut));
    }

    @Test
    void reusesDeviceMemoryAndKernelMapsAcrossFrames() {
        try (CudaBackend gpu = CudaBackend.on(new EmulatedDevice(EmulatedDevice.Build.PLAIN, 1), CudaBackendOptions.defaults().withCpuThreads(1))) {
            Frame f = frame(1, 8, 8);
            float[] out = new float[f.map().outSize() * 8];
            gpu.convolution(f.features(), 8, f.weights(), 8, null, f.map(), out);
            CudaBackendStats warm = gpu.stats();
            for (int i = 0; i < 5; i++) gpu.convolution(f.features(), 8, f.weights(), 8, null, f.map(), out);
            CudaBackendStats after = gpu.stats();
            assertEquals(warm.deviceAllocations(), after.deviceAllocations(), "no cuMemAlloc once warm");
            assertThat(after.poolReuses()).isGreaterThan(warm.poolReuses());
            assertEquals(1, after.kernelMapMisses(), "the kernel map is uploaded once");
            assertEquals(5, after.kernelMapHits() - warm.kernelMapHits());
            assertEquals(6, after.fusedConvolutions(), "small channel counts take the fused dataflow");
            assertEquals(1, after.cachedKernelMaps());
            float[] ref = new float[out.length];
            cpu.convolution(f.features(), 8, f.weights(), 8, null, f.map(), ref);
            assertClose("after reuse", ref, out, 8);
        }
    }

    @Test
    void wideLayersWithManyPairsTakeThePerOffsetDataflow() {
        DataflowRule rule = new DataflowRule(null, 64, 16, false);
        try (CudaBackend gpu = CudaBackend.on(new EmulatedDevice(EmulatedDevice.Build.PLAIN, 1),
                CudaBackendOptions.defaults().withCpuThreads(1).withDataflow(rule))) {
            Frame f = frame(2, 64, 64);
            float[] out = new float[f.map().outSize() * 64];
            gpu.convolution(f.features(), 64, f.weights(), 64, null, f.map(), out);
            assertEquals(1, gpu.stats().perOffsetConvolutions());
            float[] ref = new float[out.length];
            cpu.convolution(f.features(), 64, f.weights(), 64, null, f.map(), ref);
            assertClose("per-offset", ref, out, 64);
        }
        assertEquals(ConvolutionDataflow.FUSED, DataflowRule.defaults().choose(1_000_000, 81, 32, 32));
        assertEquals(ConvolutionDataflow.PER_OFFSET, DataflowRule.defaults().choose(1_000_000, 81, 64, 64));
        assertEquals(ConvolutionDataflow.FUSED, DataflowRule.defaults().choose(100_000, 81, 64, 64));
        assertEquals(ConvolutionDataflow.FUSED, new DataflowRule(null, 64, 4096, true).choose(1_000_000, 81, 64, 64));
    }

    @Test
    void failsOverToTheCpuWhenTheDeviceDiesMidStream() {
        EmulatedDevice device = new EmulatedDevice(EmulatedDevice.Build.PLAIN, 1);
        FailoverBackend backend = new FailoverBackend(CudaBackend.on(device, CudaBackendOptions.defaults().withCpuThreads(1)), () -> new CpuBackend(1));
        try {
            for (int i = 0; i < 5; i++) {
                if (i == 2) device.kill();
                Frame f = frame(10 + i, 4, 6);
                float[] out = new float[f.map().outSize() * 6];
                backend.convolution(f.features(), 4, f.weights(), 6, null, f.map(), out);
                float[] ref = new float[out.length];
                cpu.convolution(f.features(), 4, f.weights(), 6, null, f.map(), ref);
                assertClose("frame " + i, ref, out, 6);
                assertEquals(i < 2 ? 0 : 1, backend.failovers(), "failovers after frame " + i);
            }
            assertThat(backend.lastFailure()).get().asString().startsWith("convolution: convolution on emulated(plain, serial) failed");
        } finally {
            backend.close();
        }
    }
}
