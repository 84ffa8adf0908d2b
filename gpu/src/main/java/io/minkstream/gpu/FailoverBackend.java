package io.minkstream.gpu;

import io.minkstream.engine.backend.Activation;
import io.minkstream.engine.backend.Backend;
import io.minkstream.engine.backend.PoolMode;
import io.minkstream.engine.coords.KernelMap;
import io.minkstream.engine.coords.KernelMapBuilder;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A GPU backend that fails over to the CPU: when a call fails on the primary with a device error
 * ({@link GpuExecutionException}, a JCuda {@code CudaException}, or a broken native binding), the
 * same call is re-run on a CPU backend, which overwrites the output completely, and every later
 * call goes to the CPU. The caller sees one successful call per call: no frame is lost or
 * computed twice downstream. Invalid arguments are not device errors and are rethrown.
 *
 * <p>{@link #failovers()} counts failovers for metrics (0 or 1 per instance; more would mean the
 * fallback was replaced). The primary stays open until {@link #close()}, so kernel-map builders
 * it handed out keep working.
 */
public final class FailoverBackend implements Backend {
    private static final Logger LOG = LoggerFactory.getLogger(FailoverBackend.class);

    private final Backend primary;
    private final Supplier<Backend> fallbackFactory;
    private final AtomicLong failovers = new AtomicLong();
    private volatile Backend active;
    private volatile Backend fallback;
    private volatile String lastFailure;

    public FailoverBackend(Backend primary, Supplier<Backend> fallbackFactory) {
        this.primary = primary;
        this.fallbackFactory = fallbackFactory;
        this.active = primary;
    }

    @Override
    public String name() {
        Backend a = active;
        return a == primary ? primary.name() + " with CPU failover" : a.name() + " (failed over from " + primary.name() + ")";
    }

    @Override
    public KernelMapBuilder kernelMapBuilder() {
        return primary.kernelMapBuilder();
    }

    @Override
    public void convolution(float[] in, int cIn, float[] weights, int cOut, float[] bias, KernelMap map, float[] out) {
        Backend b = active;
        if (b == primary) {
            try {
                b.convolution(in, cIn, weights, cOut, bias, map, out);
                return;
            } catch (RuntimeException | LinkageError e) {
                b = failOver("convolution", e);
            }
        }
        b.convolution(in, cIn, weights, cOut, bias, map, out);
    }

    @Override
    public void channelwiseConvolution(float[] in, int channels, float[] weights, float[] bias, KernelMap map, float[] out) {
        Backend b = active;
        if (b == primary) {
            try {
                b.channelwiseConvolution(in, channels, weights, bias, map, out);
                return;
            } catch (RuntimeException | LinkageError e) {
                b = failOver("channelwise convolution", e);
            }
        }
        b.channelwiseConvolution(in, channels, weights, bias, map, out);
    }

    @Override
    public void pooling(PoolMode mode, float[] in, int channels, KernelMap map, float[] out) {
        Backend b = active;
        if (b == primary) {
            try {
                b.pooling(mode, in, channels, map, out);
                return;
            } catch (RuntimeException | LinkageError e) {
                b = failOver("pooling", e);
            }
        }
        b.pooling(mode, in, channels, map, out);
    }

    @Override
    public void scaleShiftActivate(float[] x, int channels, float[] scale, float[] shift, Activation activation, float[] out) {
        Backend b = active;
        if (b == primary) {
            try {
                b.scaleShiftActivate(x, channels, scale, shift, activation, out);
                return;
            } catch (RuntimeException | LinkageError e) {
                b = failOver("scale/shift/activation", e);
            }
        }
        b.scaleShiftActivate(x, channels, scale, shift, activation, out);
    }

    /** Switches to the CPU for good if {@code e} is a device failure; rethrows anything else. */
    private synchronized Backend failOver(String operation, Throwable e) {
        if (!isDeviceFailure(e)) {
            if (e instanceof RuntimeException r) throw r;
            throw (Error) e;
        }
        if (active == primary) {
            fallback = fallbackFactory.get();
            active = fallback;
            failovers.incrementAndGet();
            lastFailure = operation + ": " + e.getMessage();
            LOG.error("{} failed on {}; this and every later call runs on {} ({})", operation, primary.name(), fallback.name(), e.toString(), e);
        }
        return active;
    }

    static boolean isDeviceFailure(Throwable e) {
        return e instanceof GpuExecutionException || e instanceof jcuda.CudaException || e instanceof LinkageError;
    }

    /** How many times this backend switched to the CPU (a metric). */
    public long failovers() {
        return failovers.get();
    }

    public boolean isOnFallback() {
        return active != primary;
    }

    /** The failure that caused the failover, if any. */
    public Optional<String> lastFailure() {
        return Optional.ofNullable(lastFailure);
    }

    public Backend primary() {
        return primary;
    }

    /** The backend calls go to now. */
    public Backend active() {
        return active;
    }

    @Override
    public void close() {
        try {
            Backend f = fallback;
            if (f != null) f.close();
        } finally {
            primary.close();
        }
    }
}
