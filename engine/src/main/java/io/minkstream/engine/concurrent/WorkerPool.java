package io.minkstream.engine.concurrent;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveAction;

/**
 * A fixed number of worker threads for the engine's data-parallel loops. Work is split into
 * contiguous ranges; with one thread everything runs on the caller, with no hand-off cost.
 */
public final class WorkerPool implements AutoCloseable {

    /** A loop body over {@code [from, to)}. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    private final int threads;
    private final ForkJoinPool pool;

    public WorkerPool(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        this.threads = threads;
        this.pool = threads == 1 ? null : new ForkJoinPool(threads);
    }

    /** One worker per available processor. */
    public static WorkerPool ofAvailableProcessors() {
        return new WorkerPool(Runtime.getRuntime().availableProcessors());
    }

    public int threads() {
        return threads;
    }

    /**
     * Runs {@code body} over {@code [0, n)} in ranges of at least {@code grain} items, about four
     * ranges per thread so that uneven rows (dense vs. sparse neighbourhoods) still balance. Range
     * boundaries are multiples of {@code grain} (the last range ends at n), so a body that works in
     * blocks of {@code grain} items sees the same blocks for any thread count.
     */
    public void forRange(int n, int grain, RangeBody body) {
        if (n <= 0) return;
        int[] bounds = bounds(n, grain, pool == null ? 1 : threads * 4);
        int chunks = bounds.length - 1;
        if (chunks == 1) {
            body.run(0, n);
            return;
        }
        List<ForkJoinTask<?>> tasks = new ArrayList<>(chunks);
        for (int c = 0; c < chunks; c++) {
            int from = bounds[c];
            int to = bounds[c + 1];
            tasks.add(new RecursiveAction() {
                @Override
                protected void compute() {
                    body.run(from, to);
                }
            });
        }
        if (ForkJoinTask.inForkJoinPool() && ForkJoinTask.getPool() == pool) {
            ForkJoinTask.invokeAll(tasks);
        } else {
            pool.submit(() -> ForkJoinTask.invokeAll(tasks)).join();
        }
    }

    /** Splits {@code [0, n)} into the ranges {@link #forRange} would use, for two-pass algorithms. */
    public int[] ranges(int n, int grain) {
        return bounds(Math.max(0, n), grain, pool == null ? 1 : threads * 4);
    }

    /** At most {@code maxChunks} ranges of at least one grain, boundaries on multiples of the grain. */
    private static int[] bounds(int n, int grain, int maxChunks) {
        int g = Math.max(1, grain);
        long grains = ((long) n + g - 1) / g;
        int chunks = (int) Math.max(1, Math.min(Math.min(maxChunks, n / g), grains));
        int[] bounds = new int[chunks + 1];
        for (int c = 1; c < chunks; c++) bounds[c] = (int) (grains * c / chunks * g);
        bounds[chunks] = n;
        return bounds;
    }

    /** Runs {@code task(c)} for each c in {@code [0, count)} in parallel. */
    public void forEach(int count, java.util.function.IntConsumer task) {
        forRange(count, 1, (from, to) -> {
            for (int c = from; c < to; c++) task.accept(c);
        });
    }

    @Override
    public void close() {
        if (pool != null) pool.shutdown();
    }
}
