package io.minkstream.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.function.Supplier;

/** Times a call: warm-ups, then timed repetitions; keeps every repetition for the median. */
final class MedianTimer {
    /** Results land here so that the JIT cannot drop the call. */
    static volatile Object sink;

    private MedianTimer() {
    }

    /**
     * Wall-clock milliseconds of each timed repetition, in run order, and the calling thread's CPU
     * milliseconds (all of the work when the engine runs on one thread; a shared machine steals
     * wall time but not CPU time, so the two together tell noise from a slow-down).
     */
    static double[][] time(Supplier<?> call, int warmups, long warmupMillis, int repeats) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        // Warm up for a count and a minimum time: the JIT compiles in background threads that
        // share the machine's cores with the benchmark, so a count alone is too short at 2 threads.
        long warmEnd = System.nanoTime() + warmupMillis * 1_000_000L;
        for (int i = 0; i < warmups || System.nanoTime() < warmEnd; i++) sink = call.get();
        double[] wall = new double[repeats];
        double[] cpu = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            long c0 = threads.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            Object r = call.get();
            wall[i] = (System.nanoTime() - t0) / 1e6;
            cpu[i] = (threads.getCurrentThreadCpuTime() - c0) / 1e6;
            sink = r;
        }
        return new double[][] {wall, cpu};
    }

    static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
