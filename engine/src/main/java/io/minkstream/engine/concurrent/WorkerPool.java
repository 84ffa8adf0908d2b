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
     * ranges per thread so that uneven rows (dense vs. sparse neighbourhoods) still balance.
     */
    public void forRange(int n, int grain, RangeBody body) {
        if (n <= 0) return;
        int chunks = Math.min(Math.max(1, n / Math.max(1, grain)), threads * 4);
        if (pool == null || chunks == 1) {
            body.run(0, n);
            return;
        }
        List<ForkJoinTask<?>> tasks = new ArrayList<>(chunks);
        for (int c = 0; c < chunks; c++) {
            int from = (int) ((long) n * c / chunks);
            int to = (int) ((long) n * (c + 1) / chunks);
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
        int chunks = pool == null ? 1 : Math.min(Math.max(1, n / Math.max(1, grain)), threads * 4);
        int[] bounds = new int[chunks + 1];
        for (int c = 0; c <= chunks; c++) bounds[c] = (int) ((long) n * c / chunks);
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
