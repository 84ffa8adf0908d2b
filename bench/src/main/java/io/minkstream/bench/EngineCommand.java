package io.minkstream.bench;

import io.minkstream.engine.backend.Backend;
import io.minkstream.engine.backend.CpuBackend;
import io.minkstream.engine.tensor.SparseTensor;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code engine}: times the engine on the large LiDAR case and prints one line per benchmark on
 * standard output, {@code engine <name> threads=<t> median_ms=<x> gflops=<y>} (gflops is
 * {@code 2 * pairs * Cin * Cout / time}, NaN for the kernel map). Details (every repetition, the
 * output checksums against MinkowskiEngine's) go to standard error.
 */
@Command(name = "engine", mixinStandardHelpOptions = true,
        description = "Time kernel_map_cold, conv_c32_cached, conv_c64_cached and conv_hybrid_c32_cached on case i_large_lidar_k3s1_D4.")
public final class EngineCommand implements Callable<Integer> {
    /** MinkowskiEngine's sums of all output features (TIMINGS.md), float64. */
    private static final int ME_ROWS = 100_000;
    private static final double ME_SUM_C32 = -732.2096976243643;
    private static final double ME_SUM_C64 = 282.71898751377967;
    /** The engine's switch for the convolution kernel (see the engine's ConvolutionKernel). */
    private static final String SCALAR_PROPERTY = "minkstream.cpu.convolution";

    static final List<String> NAMES = List.of("kernel_map_cold", "kernel_map_cold_incl_coords", "conv_c32_cached", "conv_c64_cached",
            "conv_hybrid_c32_cached");

    @Option(names = "--case", paramLabel = "DIR", description = "folder of oracle case i_large_lidar_k3s1_D4 (default: ${DEFAULT-VALUE})",
            defaultValue = LargeLidarCase.DEFAULT_RELATIVE)
    String caseDir;

    @Option(names = "--threads", description = "worker threads (default: ${DEFAULT-VALUE})", defaultValue = "1")
    int threads;

    @Option(names = "--repeats", description = "timed repetitions per benchmark; the median is printed (default: ${DEFAULT-VALUE})", defaultValue = "11")
    int repeats;

    @Option(names = "--warmups", description = "untimed repetitions before timing (default: ${DEFAULT-VALUE})", defaultValue = "5")
    int warmups;

    @Option(names = "--warmup-ms", description = "keep warming up until this much time has passed too (default: ${DEFAULT-VALUE})",
            defaultValue = "2000")
    long warmupMillis;

    @Option(names = "--device", description = "cpu, cuda, cuda:N or auto (default: ${DEFAULT-VALUE})", defaultValue = "cpu")
    String device;

    @Option(names = "--only", split = ",", paramLabel = "NAME", description = "run only these benchmarks (comma-separated)")
    Set<String> only = new LinkedHashSet<>();

    @Option(names = "--baseline", description = "also time the convolutions with the plain-Java kernel in this process "
            + "(lines named <name>_scalar_baseline; at most 5 repeats, 1 warm-up: it is slow)")
    boolean baseline;

    /** The real standard output, for the result lines only. */
    private java.io.PrintStream results = System.out;

    @Override
    public Integer call() {
        if (threads < 1 || repeats < 1 || warmups < 0) {
            throw new IllegalArgumentException("need --threads >= 1, --repeats >= 1, --warmups >= 0; got " + threads + ", " + repeats + ", " + warmups);
        }
        for (String n : only) {
            if (!NAMES.contains(n)) throw new IllegalArgumentException("unknown benchmark " + n + "; known: " + NAMES);
        }
        LargeLidarCase data = LargeLidarCase.load(caseDir);
        // Standard output carries only the result lines: anything else that prints there (a
        // logger's console appender) is sent to standard error while the benchmarks run.
        results = System.out;
        System.setOut(System.err);
        try {
            runAll(data);
        } finally {
            System.setOut(results);
        }
        return 0;
    }

    private void runAll(LargeLidarCase data) {
        try (Backend backend = DeviceOption.open(device, threads)) {
            System.err.printf(Locale.ROOT, "# case %s (%d rows), backend %s, at least %d warm-ups and %d ms of them, %d repeats, %s %s%n", data.dir(),
                    data.rows(), backend.name(), warmups, warmupMillis, repeats, System.getProperty("java.vm.name"), System.getProperty("java.version"));
            EngineWorkloads w = new EngineWorkloads(data, backend);
            System.err.printf(Locale.ROOT, "# kernel map pairs: cube %d (MinkowskiEngine: 1503816), hybrid %d%n", w.cubePairs(), w.hybridPairs());
            run("kernel_map_cold", w::kernelMapCold, Double.NaN);
            run("kernel_map_cold_incl_coords", w::kernelMapColdInclCoordinates, Double.NaN);
            run("conv_c32_cached", w::convC32Cached, EngineWorkloads.flops(w.cubePairs(), 32, 32));
            run("conv_c64_cached", w::convC64Cached, EngineWorkloads.flops(w.cubePairs(), 64, 64));
            run("conv_hybrid_c32_cached", w::convHybridC32Cached, EngineWorkloads.flops(w.hybridPairs(), 32, 32));
            if (data.rows() == ME_ROWS) {
                checkAgainstMinkowski("conv_c32_cached", w::convC32Cached, ME_SUM_C32);
                checkAgainstMinkowski("conv_c64_cached", w::convC64Cached, ME_SUM_C64);
            }
        }
        if (baseline) runScalarBaseline(data);
    }

    /** The same convolutions with the plain-Java kernel ({@code minkstream.cpu.convolution=scalar}). */
    private void runScalarBaseline(LargeLidarCase data) {
        String before = System.getProperty(SCALAR_PROPERTY);
        System.setProperty(SCALAR_PROPERTY, "scalar");
        try (Backend scalar = new CpuBackend(threads)) {
            EngineWorkloads w = new EngineWorkloads(data, scalar);
            int savedRepeats = repeats;
            int savedWarmups = warmups;
            long savedWarmupMillis = warmupMillis;
            repeats = Math.min(repeats, 5);
            warmups = Math.min(warmups, 1);
            warmupMillis = 0;
            run("conv_c32_cached_scalar_baseline", w::convC32Cached, EngineWorkloads.flops(w.cubePairs(), 32, 32));
            run("conv_c64_cached_scalar_baseline", w::convC64Cached, EngineWorkloads.flops(w.cubePairs(), 64, 64));
            run("conv_hybrid_c32_cached_scalar_baseline", w::convHybridC32Cached, EngineWorkloads.flops(w.hybridPairs(), 32, 32));
            repeats = savedRepeats;
            warmups = savedWarmups;
            warmupMillis = savedWarmupMillis;
        } finally {
            if (before == null) System.clearProperty(SCALAR_PROPERTY);
            else System.setProperty(SCALAR_PROPERTY, before);
        }
    }

    private void run(String name, Supplier<?> call, double flops) {
        if (!only.isEmpty() && !only.contains(name.replace("_scalar_baseline", ""))) return;
        double[][] wallCpu = MedianTimer.time(call, warmups, warmupMillis, repeats);
        double[] ms = wallCpu[0];
        double median = MedianTimer.median(ms);
        double gflops = Double.isNaN(flops) ? Double.NaN : flops / (median * 1e6);
        results.printf(Locale.ROOT, "engine %s threads=%d median_ms=%.2f gflops=%.1f%n", name, threads, median, gflops);
        results.flush();
        StringBuilder reps = new StringBuilder();
        for (double m : ms) reps.append(String.format(Locale.ROOT, " %.1f", m));
        System.err.println("#   " + name + " reps_ms:" + reps);
        if (threads == 1) {
            System.err.printf(Locale.ROOT, "#   %s median_cpu_ms=%.2f (this thread's CPU time; less than the wall time when the machine is shared)%n", name,
                    MedianTimer.median(wallCpu[1]));
        }
    }

    private void checkAgainstMinkowski(String name, Supplier<SparseTensor> conv, double meSum) {
        if (!only.isEmpty() && !only.contains(name)) return;
        double sum = EngineWorkloads.checksum(conv.get());
        System.err.printf(Locale.ROOT, "# %s output sum %.6f, MinkowskiEngine %.6f (relative difference %.1e)%n", name, sum, meSum,
                Math.abs(sum - meSum) / Math.abs(meSum));
    }
}
