package io.minkstream.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import io.minkstream.engine.backend.Backend;
import io.minkstream.gpu.device.CudaDriver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * JCuda's real driver binding and {@link io.minkstream.gpu.device.JCudaDevice} against a fake
 * {@code libcuda.so.1} (gpu/src/test/cuda/fake_libcuda.cpp), in a child JVM whose library path
 * holds it:
 * <ul>
 *   <li>a CUDA 12.4 driver that rejects the kernels, and a driver without devices: both must end
 *       on the CPU under {@code --device auto}, with one message naming the driver found and the
 *       one required;</li>
 *   <li>an emulated CUDA 13 GPU whose {@code cuLaunchKernel} runs the host-compiled kernels: the
 *       real JCudaDevice (module loading, pinned staging, chunked copies, kernel parameters
 *       marshalled by JCuda, one stream) runs the comparison scenarios against the CPU engine and
 *       frees all device memory.</li>
 * </ul>
 */
class FakeDriverTest {

    /** Run in the child JVM: prints what the probe, open, auto and cuda selection did, or runs the scenarios. */
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("scenarios")) {
            runScenarios();
            return;
        }
        System.out.println("probe: " + CudaDriver.probe());
        try {
            CudaBackend.open(0).close();
            System.out.println("open: ok");
        } catch (CudaUnavailableException e) {
            System.out.println("open: " + e.getMessage());
        }
        Backends.Choice c = Backends.open("auto", 1, OptionalInt.empty());
        System.out.println("auto: " + c.backend().getClass().getSimpleName() + " | " + c.reason());
        c.backend().close();
        try {
            Backend b = Backends.create("cuda", 1, OptionalInt.empty());
            System.out.println("cuda: " + b.name());
            b.close();
        } catch (IllegalStateException e) {
            System.out.println("cuda: " + e.getMessage());
        }
    }

    /** The comparison scenarios on the JCuda device (child JVM); exits non-zero on the first failure. */
    private static void runScenarios() throws CudaUnavailableException {
        List<KernelScenarios.Scenario> scenarios = new java.util.ArrayList<>();
        OracleCase.root().ifPresent(root -> scenarios.addAll(KernelScenarios.oracle(root,
                List.of("a0_tiny_conv_k3s1_D4", "b_conv_k3s2_D4", "c2_convtr_k2s2_newcoords_D4", "g_pooling_D4", "h_tiny_net_D4"))));
        scenarios.addAll(KernelScenarios.random(0.5));
        CudaBackendOptions options = CudaBackendOptions.defaults().withCpuThreads(1).withMaxBlocks(32).withSegmentPoolingPairs(16);
        try (CudaBackend gpu = CudaBackend.open(0, options); io.minkstream.engine.backend.CpuBackend cpu = new io.minkstream.engine.backend.CpuBackend(1)) {
            System.out.println("backend: " + gpu.name());
            for (KernelScenarios.Scenario s : scenarios) {
                s.check().run(gpu, cpu);
                System.out.println("scenario ok: " + s.name());
            }
            gpu.clearDeviceCaches();
            System.out.println("buffers in use: " + gpu.deviceBuffersInUse());
            System.out.println("stats: " + gpu.stats());
        }
    }

    private static List<String> runWithFakeDriver(String mode, String... args) throws IOException, InterruptedException {
        Path dir = Paths.get(System.getProperty("cuda.emulation.dir", "target/cuda-emulation"), "fake-driver");
        Path unavailable = dir.resolve("UNAVAILABLE");
        Assumptions.assumeFalse(Files.exists(unavailable), () -> "no fake libcuda.so.1: " + read(unavailable));
        Assumptions.assumeTrue(Files.exists(dir.resolve("libcuda.so.1")), "no fake libcuda.so.1 in " + dir + " (run the Maven build)");
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path tmp = Files.createTempDirectory("fake-cuda-jvm");
        List<String> command = new java.util.ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + tmp, "-Dshared.dir=" + System.getProperty("shared.dir", ""), "-cp", classpath, FakeDriverTest.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("LD_LIBRARY_PATH", dir.toAbsolutePath().toString());
        pb.environment().put("FAKE_CUDA", mode);
        pb.redirectErrorStream(true);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        String text = new String(out, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as("child JVM output:\n" + text).isZero();
        System.out.println("[" + mode + "]\n" + text);
        return text.lines().toList();
    }

    private static String line(List<String> lines, String prefix) {
        return lines.stream().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow(() -> new AssertionError("no '" + prefix + "' line in " + lines));
    }

    @Test
    void aDriverTooOldForTheKernelsFallsBackWithOneMessage() throws Exception {
        List<String> out = runWithFakeDriver("old-driver");
        assertThat(line(out, "probe: ")).contains("deviceCount=1", "driverVersion=12040", "problem=null");
        assertThat(line(out, "open: ")).contains("could not be loaded on cuda:0 Fake GPU", "CUDA_ERROR_UNSUPPORTED_PTX_VERSION",
                "the driver supports CUDA 12.4 (cuDriverGetVersion 12040)", "the kernels need CUDA 13.0 (NVIDIA driver r580 or newer)",
                "(found 8.6)");
        assertThat(line(out, "auto: ")).startsWith("auto: CpuBackend | device auto: CUDA device 0 unusable (").contains("CUDA 12.4", "r580");
        assertThat(line(out, "cuda: ")).contains("device cuda requested but CUDA device 0 cannot be used");
    }

    @Test
    void theJCudaDeviceRunsTheKernelsOnAnEmulatedGpu() throws Exception {
        List<String> out = runWithFakeDriver("emulated", "scenarios");
        assertThat(line(out, "backend: ")).contains("cuda(cuda:0 Fake GPU (minkstream test driver) (sm_90, driver CUDA 13.0))");
        assertThat(out.stream().filter(l -> l.startsWith("scenario ok: ")).count()).isGreaterThanOrEqualTo(10);
        assertThat(line(out, "buffers in use: ")).isEqualTo("buffers in use: 0");
        assertThat(line(out, "fake libcuda: ")).isEqualTo("fake libcuda: 0 device allocations live at exit");
    }

    @Test
    void aDriverWithoutDevicesFallsBack() throws Exception {
        List<String> out = runWithFakeDriver("no-device");
        assertThat(line(out, "probe: ")).contains("cuInit failed: CUDA_ERROR_NO_DEVICE");
        assertThat(line(out, "auto: ")).startsWith("auto: CpuBackend | device auto: no usable GPU (cuInit failed: CUDA_ERROR_NO_DEVICE)");
        assertThat(line(out, "cuda: ")).contains("CUDA is unusable: cuInit failed: CUDA_ERROR_NO_DEVICE");
    }

    private static String read(Path p) {
        try {
            return Files.readString(p).trim();
        } catch (IOException e) {
            return p.toString();
        }
    }
}
