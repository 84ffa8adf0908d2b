package io.minkstream.engine.backend;

import io.minkstream.engine.concurrent.WorkerPool;
import io.minkstream.engine.coords.KernelMap;
import io.minkstream.engine.coords.KernelMapBuilder;

/**
 * The multi-threaded CPU backend. Every operation splits output rows over the worker pool; each
 * output row is written by exactly one thread, so results are identical for any thread count.
 */
public final class CpuBackend implements Backend {
    /** Rows per task: enough work to amortise a hand-off, small enough to balance 2-16 threads. */
    private static final int GRAIN = 512;

    private final WorkerPool pool;
    private final KernelMapBuilder kernelMaps;
    private final ConvolutionKernel convolution = ConvolutionKernel.best();

    public CpuBackend(int threads) {
        this.pool = new WorkerPool(threads);
        this.kernelMaps = new KernelMapBuilder(pool);
    }

    /** One thread per available processor. */
    public CpuBackend() {
        this(Runtime.getRuntime().availableProcessors());
    }

    public int threads() {
        return pool.threads();
    }

    public WorkerPool pool() {
        return pool;
    }

    @Override
    public String name() {
        return "cpu(" + pool.threads() + " threads, " + (convolution instanceof VectorConvolutionKernel ? "vector" : "scalar") + ")";
    }

    @Override
    public KernelMapBuilder kernelMapBuilder() {
        return kernelMaps;
    }

    @Override
    public void convolution(float[] in, int cIn, float[] weights, int cOut, float[] bias, KernelMap map, float[] out) {
        pool.forRange(map.outSize(), GRAIN, (from, to) -> convolution.convolve(in, cIn, weights, cOut, bias, map, out, from, to));
    }

    @Override
    public void channelwiseConvolution(float[] in, int channels, float[] weights, float[] bias, KernelMap map, float[] out) {
        int[] start = map.outStart();
        int[] ks = map.kernelIndex();
        int[] rows = map.inRow();
        pool.forRange(map.outSize(), GRAIN, (from, to) -> {
            for (int o = from; o < to; o++) {
                int ob = o * channels;
                for (int c = 0; c < channels; c++) out[ob + c] = bias == null ? 0f : bias[c];
                for (int p = start[o]; p < start[o + 1]; p++) {
                    int ib = rows[p] * channels;
                    int wb = ks[p] * channels;
                    for (int c = 0; c < channels; c++) out[ob + c] += in[ib + c] * weights[wb + c];
                }
            }
        });
    }

    @Override
    public void pooling(PoolMode mode, float[] in, int channels, KernelMap map, float[] out) {
        int[] start = map.outStart();
        int[] rows = map.inRow();
        pool.forRange(map.outSize(), GRAIN, (from, to) -> {
            for (int o = from; o < to; o++) {
                int ob = o * channels;
                int p0 = start[o];
                int p1 = start[o + 1];
                if (p0 == p1) {
                    java.util.Arrays.fill(out, ob, ob + channels, 0f);
                    continue;
                }
                System.arraycopy(in, rows[p0] * channels, out, ob, channels);
                for (int p = p0 + 1; p < p1; p++) {
                    int ib = rows[p] * channels;
                    if (mode == PoolMode.MAX) {
                        for (int c = 0; c < channels; c++) out[ob + c] = Math.max(out[ob + c], in[ib + c]);
                    } else {
                        for (int c = 0; c < channels; c++) out[ob + c] += in[ib + c];
                    }
                }
                if (mode == PoolMode.AVG) {
                    float n = p1 - p0;
                    for (int c = 0; c < channels; c++) out[ob + c] /= n;
                }
            }
        });
    }

    @Override
    public void scaleShiftActivate(float[] x, int channels, float[] scale, float[] shift, Activation activation, float[] out) {
        int rows = x.length / channels;
        pool.forRange(rows, GRAIN * 8, (from, to) -> {
            for (int r = from; r < to; r++) {
                int b = r * channels;
                for (int c = 0; c < channels; c++) {
                    float v = x[b + c];
                    if (scale != null) v *= scale[c];
                    if (shift != null) v += shift[c];
                    out[b + c] = activation.apply(v);
                }
            }
        });
    }

    @Override
    public void close() {
        pool.close();
    }
}
