package io.minkstream.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.minkstream.engine.backend.Activation;
import io.minkstream.engine.backend.Backend;
import io.minkstream.engine.backend.CpuBackend;
import io.minkstream.engine.backend.PoolMode;
import io.minkstream.engine.coords.KernelMap;
import io.minkstream.engine.coords.KernelMapBuilder;
import io.minkstream.gpu.device.CudaDriver;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Device selection, the CPU fallback of {@code --device auto}, and CPU failover after a CUDA error. */
class BackendsTest {

    @Test
    void autoFallsBackToTheCpuHereAndSaysWhy() {
        CudaDriver.Probe probe = CudaDriver.probe();
        // This machine type has no GPU; where one exists, the GPU ITCase covers the CUDA side.
        org.junit.jupiter.api.Assumptions.assumeFalse(probe.usable(), "a usable CUDA device is present: " + probe);
        Backends.Choice choice = Backends.open("auto", 2, OptionalInt.empty());
        try {
            assertThat(choice.backend()).isInstanceOf(CpuBackend.class);
            assertThat(choice.reason()).startsWith("device auto: no usable GPU (").contains(probe.problem()).contains("cpu(2 threads");
            System.out.println("auto without GPU: " + choice.reason());
        } finally {
            choice.backend().close();
        }
        Backend viaCreate = Backends.create("auto", 1, OptionalInt.of(0));
        try {
            assertThat(viaCreate).isInstanceOf(CpuBackend.class);
        } finally {
            viaCreate.close();
        }
    }

    @Test
    void explicitCudaWithoutGpuIsAnError() {
        org.junit.jupiter.api.Assumptions.assumeFalse(CudaDriver.probe().usable(), "a usable CUDA device is present");
        assertThatThrownBy(() -> Backends.create("cuda:0", 1, OptionalInt.empty()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("device cuda:0 requested but CUDA is unusable");
    }

    @Test
    void theProbeNamesTheMissingDriver() {
        CudaDriver.Probe probe = CudaDriver.probe();
        org.junit.jupiter.api.Assumptions.assumeFalse(probe.usable(), "a usable CUDA device is present");
        // libcuda.so.1 absent -> UnsatisfiedLinkError, caught once; the answer is kept for the JVM.
        assertThat(probe.problem()).containsAnyOf("libcuda.so.1", "cuInit failed", "reports no CUDA device");
        assertThat(CudaDriver.probe()).isSameAs(probe);
    }

    @Test
    void parsesDeviceSpecs() {
        assertEquals(new DeviceSpec(DeviceSpec.Kind.AUTO, -1), DeviceSpec.parse("auto"));
        assertEquals(new DeviceSpec(DeviceSpec.Kind.CPU, -1), DeviceSpec.parse(" CPU "));
        assertEquals(new DeviceSpec(DeviceSpec.Kind.CUDA, -1), DeviceSpec.parse("cuda"));
        assertEquals(new DeviceSpec(DeviceSpec.Kind.CUDA, 3), DeviceSpec.parse("cuda:3"));
        assertThatThrownBy(() -> DeviceSpec.parse("cuda:-1")).hasMessageContaining("got 'cuda:-1'");
        assertThatThrownBy(() -> DeviceSpec.parse("tpu")).hasMessageContaining("auto, cpu, cuda or cuda:N");
    }

    @Test
    void selectionRules() {
        DeviceSelector twoGpus = new DeviceSelector(() -> new CudaDriver.Probe(2, 13000, null));
        DeviceSelector none = new DeviceSelector(() -> new CudaDriver.Probe(0, 0, "no CUDA driver: libcuda.so.1 could not be loaded"));
        assertThat(twoGpus.select(DeviceSpec.parse("auto"), OptionalInt.of(1))).isEqualTo(
                new DeviceSelector.Selection(true, 1, "device auto: GPU 1 assigned by Flink"));
        assertThat(twoGpus.select(DeviceSpec.parse("auto"), OptionalInt.empty()).deviceIndex()).isZero();
        assertThat(twoGpus.select(DeviceSpec.parse("auto"), OptionalInt.of(5)).cuda()).isFalse();
        assertThat(twoGpus.select(DeviceSpec.parse("cuda"), OptionalInt.of(1)).deviceIndex()).isEqualTo(1);
        assertThat(twoGpus.select(DeviceSpec.parse("cuda:0"), OptionalInt.of(1)).deviceIndex()).isZero();
        assertThat(twoGpus.select(DeviceSpec.parse("cpu"), OptionalInt.of(1)).cuda()).isFalse();
        assertThatThrownBy(() -> twoGpus.select(DeviceSpec.parse("cuda:2"), OptionalInt.empty())).hasMessageContaining("no CUDA device 2");
        DeviceSelector.Selection fallback = none.select(DeviceSpec.parse("auto"), OptionalInt.of(0));
        assertThat(fallback.cuda()).isFalse();
        assertThat(fallback.reason()).contains("libcuda.so.1");
    }

    @Test
    void autoFallsBackWhenTheKernelsCannotBeLoaded() {
        DeviceSelector oneGpu = new DeviceSelector(() -> new CudaDriver.Probe(1, 12040, null));
        Backends.Choice choice = Backends.open(DeviceSpec.parse("auto"), 1, OptionalInt.empty(), oneGpu, index -> {
            throw new CudaUnavailableException("the minkstream CUDA kernels could not be loaded: the driver supports CUDA 12.4, the kernels need "
                    + CudaDriver.REQUIRED_DRIVER);
        });
        try {
            assertThat(choice.backend()).isInstanceOf(CpuBackend.class);
            assertThat(choice.reason()).contains("CUDA 12.4").contains("CUDA 13.0 (NVIDIA driver r580 or newer)");
        } finally {
            choice.backend().close();
        }
        assertThatThrownBy(() -> Backends.open(DeviceSpec.parse("cuda"), 1, OptionalInt.empty(), oneGpu, index -> {
            throw new CudaUnavailableException("too old");
        })).isInstanceOf(IllegalStateException.class).hasMessageContaining("too old");
    }

    @Test
    void aCudaBackendIsWrappedForFailover() {
        DeviceSelector oneGpu = new DeviceSelector(() -> new CudaDriver.Probe(1, 13000, null));
        Backends.Choice choice = Backends.open(DeviceSpec.parse("auto"), 1, OptionalInt.empty(), oneGpu, index -> new FlakyBackend(99));
        try {
            assertThat(choice.backend()).isInstanceOf(FailoverBackend.class);
            assertThat(choice.reason()).contains("CUDA device 0");
        } finally {
            choice.backend().close();
        }
    }

    @Test
    void failsOverToTheCpuOnADeviceErrorAndStaysThere() {
        FlakyBackend flaky = new FlakyBackend(1);
        FailoverBackend backend = new FailoverBackend(flaky, () -> new CpuBackend(1));
        KernelMap map = KernelMap.identity(2);
        float[] x = {1, -2, 3, -4};
        float[] out = new float[4];
        backend.scaleShiftActivate(x, 2, null, null, Activation.RELU, out);  // call 1 succeeds on the "GPU"
        assertArrayEquals(new float[] {7, 7, 7, 7}, out);
        assertEquals(0, backend.failovers());
        backend.scaleShiftActivate(x, 2, null, null, Activation.RELU, out);  // call 2 fails there, re-runs on the CPU
        assertArrayEquals(new float[] {1, 0, 3, 0}, out);
        assertEquals(1, backend.failovers());
        assertThat(backend.isOnFallback()).isTrue();
        assertThat(backend.lastFailure()).get().asString().contains("CUDA_ERROR_LAUNCH_FAILED");
        backend.pooling(PoolMode.SUM, x, 2, map, out);  // later calls go to the CPU without touching the GPU
        assertArrayEquals(x, out);
        assertEquals(2, flaky.calls.get());
        assertEquals(1, backend.failovers());
        assertThat(backend.name()).contains("failed over from flaky");
        backend.close();
        assertThat(flaky.closed).isTrue();
    }

    @Test
    void invalidArgumentsAreNotDeviceFailures() {
        FailoverBackend backend = new FailoverBackend(new FlakyBackend(0) {
            @Override
            public void scaleShiftActivate(float[] x, int channels, float[] scale, float[] shift, Activation a, float[] out) {
                throw new IllegalArgumentException("features have 3 values, not a multiple of 2 channels");
            }
        }, () -> new CpuBackend(1));
        assertThatThrownBy(() -> backend.scaleShiftActivate(new float[3], 2, null, null, Activation.RELU, new float[3]))
                .isInstanceOf(IllegalArgumentException.class);
        assertEquals(0, backend.failovers());
        backend.close();
    }

    /** A "GPU" backend whose calls succeed (writing 7s) until the given call number, then fail like a CUDA error. */
    private static class FlakyBackend implements Backend {
        final AtomicInteger calls = new AtomicInteger();
        final int succeeding;
        boolean closed;

        FlakyBackend(int succeeding) {
            this.succeeding = succeeding;
        }

        private void call(float[] out) {
            if (calls.incrementAndGet() > succeeding) {
                throw new GpuExecutionException("scale/shift/activation on cuda:0 failed: CUDA_ERROR_LAUNCH_FAILED", null);
            }
            java.util.Arrays.fill(out, 7);
        }

        @Override
        public String name() {
            return "flaky";
        }

        @Override
        public KernelMapBuilder kernelMapBuilder() {
            return null;
        }

        @Override
        public void convolution(float[] in, int cIn, float[] w, int cOut, float[] bias, KernelMap map, float[] out) {
            call(out);
        }

        @Override
        public void channelwiseConvolution(float[] in, int channels, float[] w, float[] bias, KernelMap map, float[] out) {
            call(out);
        }

        @Override
        public void pooling(PoolMode mode, float[] in, int channels, KernelMap map, float[] out) {
            call(out);
        }

        @Override
        public void scaleShiftActivate(float[] x, int channels, float[] scale, float[] shift, Activation a, float[] out) {
            call(out);
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
