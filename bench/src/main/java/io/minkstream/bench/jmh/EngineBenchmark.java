package io.minkstream.bench.jmh;

import io.minkstream.bench.EngineWorkloads;
import io.minkstream.bench.LargeLidarCase;
import io.minkstream.engine.backend.CpuBackend;
import io.minkstream.engine.coords.KernelMap;
import io.minkstream.engine.tensor.SparseTensor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The engine benchmarks of the {@code engine} command under JMH, on oracle case
 * {@code i_large_lidar_k3s1_D4}: the same calls ({@link EngineWorkloads}), sampled so that JMH
 * reports the median ({@code p0.50}). Run through the bench jar:
 * {@code java -jar bench/target/minkstream-bench.jar jmh EngineBenchmark -p caseDir=DIR}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 10, time = 2)
public class EngineBenchmark {

    /** Folder of the oracle case; empty means {@code ../shared/oracle/minkowski/i_large_lidar_k3s1_D4}. */
    @Param("")
    public String caseDir;

    @Param({"1", "2"})
    public int threads;

    private CpuBackend backend;
    private EngineWorkloads workloads;

    @Setup(Level.Trial)
    public void setUp() {
        backend = new CpuBackend(threads);
        workloads = new EngineWorkloads(LargeLidarCase.load(caseDir), backend);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        backend.close();
    }

    /** The 81-offset cube's kernel map on a fresh manager that already holds the coordinate map. */
    @Benchmark
    public KernelMap kernel_map_cold() {
        return workloads.kernelMapCold();
    }

    @Benchmark
    public SparseTensor conv_c32_cached() {
        return workloads.convC32Cached();
    }

    @Benchmark
    public SparseTensor conv_c64_cached() {
        return workloads.convC64Cached();
    }

    /** 29 offsets: a 3x3x3 cube in space united with a 3-cross in time, seeded random weights. */
    @Benchmark
    public SparseTensor conv_hybrid_c32_cached() {
        return workloads.convHybridC32Cached();
    }
}
