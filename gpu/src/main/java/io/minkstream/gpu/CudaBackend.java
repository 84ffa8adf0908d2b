package io.minkstream.gpu;

import io.minkstream.engine.backend.Activation;
import io.minkstream.engine.backend.Backend;
import io.minkstream.engine.backend.PoolMode;
import io.minkstream.engine.concurrent.WorkerPool;
import io.minkstream.engine.coords.CoordinateMap;
import io.minkstream.engine.coords.KernelMap;
import io.minkstream.engine.coords.KernelMapBuilder;
import io.minkstream.gpu.device.Device;
import io.minkstream.gpu.device.DeviceBuffer;
import io.minkstream.gpu.device.JCudaDevice;
import io.minkstream.gpu.internal.DeviceCoordinateMap;
import io.minkstream.gpu.internal.DeviceHashing;
import io.minkstream.gpu.internal.DeviceKernelMap;
import io.minkstream.gpu.internal.DeviceKernelMapBuilder;
import io.minkstream.gpu.internal.DeviceMemoryPool;
import io.minkstream.gpu.internal.IdentityCache;
import io.minkstream.gpu.internal.KernelLauncher;
import io.minkstream.gpu.internal.KeyPacking;
import io.minkstream.gpu.internal.Scratch;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's {@link Backend} on a CUDA GPU (kernels in {@code gpu/src/main/cuda}, one file per
 * family as in the engine's {@code ops}).
 *
 * <p>Each call uploads its features, runs on the backend's one stream and downloads the result
 * before returning, so the {@code float[]} contract of {@link Backend} holds. Kernel maps and
 * coordinate maps are immutable, so their device copies are cached by identity (weakly, bounded
 * by {@link CudaBackendOptions#deviceCacheBytes()}): a map the coordinate manager reuses across
 * layers and frames is uploaded once. All other device memory comes from a pool that is reused
 * across calls. Calls are serialised; one backend per operator instance.
 *
 * <p>Beyond {@link Backend}, the device builds kernel maps ({@link #buildKernelMap}), strided and
 * generated output coordinates ({@link #strideCoordinates}, {@link #generateCoordinates}) and
 * concatenates features ({@link #concatenate}). A CUDA error during a call surfaces as
 * {@link GpuExecutionException}; {@link FailoverBackend} turns that into a CPU re-run.
 */
public final class CudaBackend implements Backend {
    private static final Logger LOG = LoggerFactory.getLogger(CudaBackend.class);

    private final Device device;
    private final CudaBackendOptions options;
    private final DeviceMemoryPool pool;
    private final KernelLauncher kernels;
    private final DeviceHashing hashing;
    private final DeviceKernelMapBuilder deviceKernelMaps;
    private final IdentityCache<KernelMap, DeviceKernelMap> kernelMapCache;
    private final IdentityCache<CoordinateMap, DeviceCoordinateMap> coordinateMapCache;
    private final WorkerPool cpuPool;
    private final KernelMapBuilder cpuKernelMaps;
    private long fusedConvolutions;
    private long perOffsetConvolutions;
    private boolean closed;

    private CudaBackend(Device device, CudaBackendOptions options) {
        this.device = device;
        this.options = options;
        this.pool = new DeviceMemoryPool(device, options.poolSizeClasses());
        this.kernels = new KernelLauncher(device, pool, options.maxBlocks());
        this.hashing = new DeviceHashing(device, pool, kernels, options.hashLoadFactor());
        this.deviceKernelMaps = new DeviceKernelMapBuilder(device, pool, kernels);
        this.kernelMapCache = new IdentityCache<>(options.deviceCacheBytes() / 2, DeviceKernelMap::bytes, m -> m.release(pool));
        this.coordinateMapCache = new IdentityCache<>(options.deviceCacheBytes() / 2, DeviceCoordinateMap::bytes, m -> m.release(pool));
        this.cpuPool = new WorkerPool(options.cpuThreads());
        this.cpuKernelMaps = new KernelMapBuilder(cpuPool);
    }

    /** Opens CUDA device {@code deviceIndex} with default options. */
    public static CudaBackend open(int deviceIndex) throws CudaUnavailableException {
        return open(deviceIndex, CudaBackendOptions.defaults());
    }

    /**
     * Opens CUDA device {@code deviceIndex} through JCuda.
     *
     * @throws CudaUnavailableException naming why (no driver, no device, kernels this driver cannot load)
     */
    public static CudaBackend open(int deviceIndex, CudaBackendOptions options) throws CudaUnavailableException {
        return new CudaBackend(JCudaDevice.open(deviceIndex), options);
    }

    /** A backend on any {@link Device}, e.g. the CPU-emulated device of the tests. Takes ownership of it. */
    public static CudaBackend on(Device device, CudaBackendOptions options) {
        return new CudaBackend(device, options);
    }

    @Override
    public String name() {
        return "cuda(" + device.name() + ")";
    }

    public CudaBackendOptions options() {
        return options;
    }

    /** The CPU builder (coordinate managers need a {@link KernelMapBuilder}); see {@link #buildKernelMap} for the device one. */
    @Override
    public KernelMapBuilder kernelMapBuilder() {
        return cpuKernelMaps;
    }

    // ---- Backend ----

    /** The convolution with the dataflow {@link CudaBackendOptions#dataflow()} chooses. */
    @Override
    public synchronized void convolution(float[] in, int cIn, float[] weights, int cOut, float[] bias, KernelMap map, float[] out) {
        convolution(in, cIn, weights, cOut, bias, map, out, options.dataflow().choose(map.pairCount(), map.kernelVolume(), cIn, cOut));
    }

    /** The convolution with a given dataflow (to compare or benchmark them). */
    public synchronized void convolution(float[] in, int cIn, float[] weights, int cOut, float[] bias, KernelMap map, float[] out,
                                         ConvolutionDataflow flow) {
        checkFeatures("convolution input", in, map.inSize(), cIn);
        checkFeatures("convolution output", out, map.outSize(), cOut);
        checkLength("convolution weights", weights, (long) map.kernelVolume() * cIn * cOut);
        if (bias != null) checkLength("convolution bias", bias, cOut);
        if (map.outSize() == 0) return;
        if (map.pairCount() == 0) {
            fillBias(out, bias, map.outSize(), cOut);
            return;
        }
        run("convolution", () -> {
            DeviceKernelMap dm = deviceKernelMap(map);
            try (Scratch s = new Scratch(pool)) {
                DeviceBuffer dIn = upload(s, in);
                DeviceBuffer dW = upload(s, weights);
                DeviceBuffer dBias = bias == null ? null : upload(s, bias);
                DeviceBuffer dOut = s.floats((long) map.outSize() * cOut);
                if (flow == ConvolutionDataflow.FUSED) {
                    kernels.convolutionFused(dIn, cIn, dW, cOut, dBias, dm, dOut);
                    fusedConvolutions++;
                } else {
                    ensureOffsetView(map, dm);
                    kernels.convolutionInitOutput(dOut, map.outSize(), cOut, dBias);
                    kernels.convolutionOffsetBatched(dIn, cIn, dW, cOut, dm, dOut);
                    perOffsetConvolutions++;
                }
                device.copyFromDevice(dOut, 0, out, 0, out.length);
            }
        });
    }

    @Override
    public synchronized void channelwiseConvolution(float[] in, int channels, float[] weights, float[] bias, KernelMap map, float[] out) {
        checkFeatures("channelwise input", in, map.inSize(), channels);
        checkFeatures("channelwise output", out, map.outSize(), channels);
        checkLength("channelwise weights", weights, (long) map.kernelVolume() * channels);
        if (bias != null) checkLength("channelwise bias", bias, channels);
        if (map.outSize() == 0) return;
        run("channelwise convolution", () -> {
            DeviceKernelMap dm = deviceKernelMap(map);
            try (Scratch s = new Scratch(pool)) {
                DeviceBuffer dIn = upload(s, in);
                DeviceBuffer dW = upload(s, weights);
                DeviceBuffer dBias = bias == null ? null : upload(s, bias);
                DeviceBuffer dOut = s.floats(out.length);
                kernels.convolutionChannelwise(dIn, channels, dW, dBias, dm, dOut);
                device.copyFromDevice(dOut, 0, out, 0, out.length);
            }
        });
    }

    @Override
    public synchronized void pooling(PoolMode mode, float[] in, int channels, KernelMap map, float[] out) {
        checkFeatures("pooling input", in, map.inSize(), channels);
        checkFeatures("pooling output", out, map.outSize(), channels);
        if (map.outSize() == 0) return;
        if (map.pairCount() == 0) {
            Arrays.fill(out, 0f);
            return;
        }
        boolean segments = map.pairCount() >= (long) options.segmentPoolingPairs() * map.outSize();
        run("pooling", () -> {
            DeviceKernelMap dm = deviceKernelMap(map);
            try (Scratch s = new Scratch(pool)) {
                DeviceBuffer dIn = upload(s, in);
                DeviceBuffer dOut = s.floats(out.length);
                if (segments) {
                    kernels.poolingSegments(mode.ordinal(), dIn, channels, dm, dOut);
                } else {
                    kernels.poolingRows(mode.ordinal(), dIn, channels, dm, dOut);
                }
                device.copyFromDevice(dOut, 0, out, 0, out.length);
            }
        });
    }

    @Override
    public synchronized void scaleShiftActivate(float[] x, int channels, float[] scale, float[] shift, Activation activation, float[] out) {
        if (channels < 1 || x.length % channels != 0) {
            throw new IllegalArgumentException("features have " + x.length + " values, not a multiple of " + channels + " channels");
        }
        checkLength("activation output", out, x.length);
        if (scale != null) checkLength("scale", scale, channels);
        if (shift != null) checkLength("shift", shift, channels);
        if (x.length == 0) return;
        run("scale/shift/activation", () -> {
            try (Scratch s = new Scratch(pool)) {
                DeviceBuffer dX = upload(s, x);
                DeviceBuffer dScale = scale == null ? null : upload(s, scale);
                DeviceBuffer dShift = shift == null ? null : upload(s, shift);
                DeviceBuffer dOut = s.floats(x.length);
                kernels.scaleShiftActivate(dX, x.length, channels, dScale, dShift, activation.kind().ordinal(), activation.parameter(), dOut);
                device.copyFromDevice(dOut, 0, out, 0, out.length);
            }
        });
    }

    // ---- beyond Backend ----

    /**
     * Features side by side ({@code MinkowskiConcatenation}): {@code out[r]} = parts[0][r] ++ parts[1][r] ++ ...
     *
     * @param channels the channel count of each part
     */
    public synchronized void concatenate(float[][] parts, int[] channels, int rows, float[] out) {
        if (parts.length != channels.length) throw new IllegalArgumentException(parts.length + " parts but " + channels.length + " channel counts");
        int total = 0;
        for (int i = 0; i < parts.length; i++) {
            checkFeatures("concatenation part " + i, parts[i], rows, channels[i]);
            total += channels[i];
        }
        checkFeatures("concatenation output", out, rows, total);
        if (rows == 0) return;
        int cDst = total;
        run("concatenation", () -> {
            try (Scratch s = new Scratch(pool)) {
                DeviceBuffer dOut = s.floats(out.length);
                int at = 0;
                for (int i = 0; i < parts.length; i++) {
                    DeviceBuffer part = upload(s, parts[i]);
                    kernels.concatenateColumns(part, rows, channels[i], dOut, cDst, at);
                    at += channels[i];
                }
                device.copyFromDevice(dOut, 0, out, 0, out.length);
            }
        });
    }

    /**
     * The kernel map from {@code in} to {@code out} built on the device: output row o gathers
     * input {@code out[o] + sign * offset_k} (sign +1 forward, -1 transposed), exactly the pairs
     * and order of the engine's {@link KernelMapBuilder}. The map stays on the device for the
     * calls that use it. Falls back to the CPU builder when coordinates do not pack into 63 bits.
     *
     * @param offsets {@code K x D} offsets, already scaled by dilation and tensor stride
     */
    public synchronized KernelMap buildKernelMap(CoordinateMap in, CoordinateMap out, int[] offsets, int kernelVolume, int sign) {
        if (in.dimension() != out.dimension()) {
            throw new IllegalArgumentException("input and output dimensions differ: " + in.dimension() + " vs " + out.dimension());
        }
        checkLength("kernel offsets", offsets, (long) kernelVolume * in.dimension());
        if (sign != 1 && sign != -1) throw new IllegalArgumentException("sign must be +1 or -1, got " + sign);
        KernelMap[] result = new KernelMap[1];
        run("kernel map", () -> {
            DeviceCoordinateMap dIn = deviceCoordinateMap(in);
            DeviceCoordinateMap dOut = deviceCoordinateMap(out);
            if (dIn == null || dOut == null) {
                result[0] = cpuKernelMaps.build(in, out, offsets, kernelVolume, sign);
                return;
            }
            DeviceKernelMapBuilder.Built built = deviceKernelMaps.build(dIn, dOut, offsets, kernelVolume, sign);
            kernelMapCache.put(built.map(), built.device());
            result[0] = built.map();
        });
        return result[0];
    }

    /**
     * The output coordinates of a strided layer, built on the device:
     * {@code unique([b, floor(c / s) * s ...])} over the rows of {@code in}, in order of first
     * appearance (as the engine's CoordinateManager.stride).
     */
    public synchronized int[] strideCoordinates(CoordinateMap in, int[] outStride) {
        checkLength("output tensor stride", outStride, in.dimension());
        for (int s : outStride) if (s < 1) throw new IllegalArgumentException("output tensor stride must be >= 1, got " + Arrays.toString(outStride));
        int width = in.width();
        int n = in.size();
        long[] min = new long[width];
        long[] max = new long[width];
        KeyPacking source = KeyPacking.of(in.coordinates(), n, width);
        if (source == null) return cpuUnique(strideOnHost(in, outStride), width, in.dimension());
        for (int a = 0; a < width; a++) {
            long s = a == 0 ? 1 : outStride[a - 1];
            min[a] = Math.floorDiv(source.min(a), s) * s;
            max[a] = Math.floorDiv(source.max(a), s) * s;
        }
        KeyPacking packing = KeyPacking.ofRanges(min, max);
        if (packing == null) return cpuUnique(strideOnHost(in, outStride), width, in.dimension());
        int[][] result = new int[1][];
        run("strided coordinates", () -> {
            try (Scratch s = new Scratch(pool)) {
                DeviceBuffer rows = uploadInts(s, in.coordinates(), n * width);
                DeviceBuffer stride = uploadInts(s, outStride, outStride.length);
                DeviceBuffer floored = s.ints(Math.max(1L, (long) n * width));
                if (n > 0) kernels.stride(rows, n, width, stride, floored);
                result[0] = hashing.unique(floored, n, width, packing);
            }
        });
        return result[0];
    }

    /**
     * The output coordinates of a generative transposed convolution, built on the device:
     * {@code unique(in[r] + offset[k])} over rows r and offsets k (r-major), in order of first
     * appearance (as the engine's CoordinateManager.transposed with generate).
     */
    public synchronized int[] generateCoordinates(CoordinateMap in, int[] offsets, int kernelVolume) {
        int d = in.dimension();
        int width = in.width();
        int n = in.size();
        checkLength("kernel offsets", offsets, (long) kernelVolume * d);
        long candidates = (long) n * kernelVolume;
        if (candidates * width >= Integer.MAX_VALUE) throw new IllegalArgumentException(candidates + " generated coordinates are too many");
        KeyPacking source = KeyPacking.of(in.coordinates(), n, width);
        KeyPacking packing = null;
        if (source != null) {
            long[] min = new long[width];
            long[] max = new long[width];
            min[0] = source.min(0);
            max[0] = source.max(0);
            for (int a = 1; a < width; a++) {
                long lo = Long.MAX_VALUE;
                long hi = Long.MIN_VALUE;
                for (int k = 0; k < kernelVolume; k++) {
                    lo = Math.min(lo, offsets[k * d + a - 1]);
                    hi = Math.max(hi, offsets[k * d + a - 1]);
                }
                min[a] = source.min(a) + lo;
                max[a] = source.max(a) + hi;
            }
            packing = KeyPacking.ofRanges(min, max);
        }
        if (packing == null) {
            throw new IllegalArgumentException("generated coordinates of " + in.size() + " rows do not fit 32-bit coordinates with 63-bit keys");
        }
        KeyPacking generatedPacking = packing;
        int[][] result = new int[1][];
        run("generated coordinates", () -> {
            try (Scratch s = new Scratch(pool)) {
                DeviceBuffer rows = uploadInts(s, in.coordinates(), n * width);
                DeviceBuffer dOffsets = uploadInts(s, offsets, offsets.length);
                DeviceBuffer generated = s.ints(Math.max(1L, candidates * width));
                if (candidates > 0) kernels.generate(rows, n, width, dOffsets, kernelVolume, generated);
                result[0] = hashing.unique(generated, (int) candidates, width, generatedPacking);
            }
        });
        return result[0];
    }

    /** Rows of {@code queries} ({@code q x (1 + D)}) in {@code map}'s device hash table, -1 where absent. */
    public synchronized int[] lookup(CoordinateMap map, int[] queries) {
        int width = map.width();
        if (queries.length % width != 0) throw new IllegalArgumentException("queries are not rows of " + width + " values");
        int q = queries.length / width;
        int[] rows = new int[q];
        if (q == 0) return rows;
        run("coordinate lookup", () -> {
            DeviceCoordinateMap dm = deviceCoordinateMap(map);
            if (dm == null) {
                for (int i = 0; i < q; i++) rows[i] = map.find(queries, i * width);
                return;
            }
            try (Scratch s = new Scratch(pool)) {
                DeviceBuffer dq = uploadInts(s, queries, queries.length);
                DeviceBuffer dr = s.ints(q);
                kernels.hashLookup(dq, q, width, dm, dr);
                device.copyFromDevice(dr, 0, rows, 0, q);
            }
        });
        return rows;
    }

    public synchronized CudaBackendStats stats() {
        return new CudaBackendStats(kernels.launches(), pool.deviceAllocations(), pool.reuses(), pool.bytesHeld(), kernelMapCache.size(),
                kernelMapCache.hits(), kernelMapCache.misses(), fusedConvolutions, perOffsetConvolutions);
    }

    /** Device buffers currently handed out by the pool (caches included); for leak checks. */
    public synchronized int deviceBuffersInUse() {
        return pool.buffersInUse();
    }

    /** Drops the cached device copies of kernel and coordinate maps. */
    public synchronized void clearDeviceCaches() {
        kernelMapCache.clear();
        coordinateMapCache.clear();
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        try {
            device.bind();
            kernelMapCache.clear();
            coordinateMapCache.clear();
            if (pool.buffersInUse() != 0) {
                LOG.warn("{}: {} device buffers ({} bytes) still in use at close", name(), pool.buffersInUse(), pool.bytesInUse());
            }
            pool.close();
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("{}: releasing device memory failed: {}", name(), e.toString());
        } finally {
            try {
                device.close();
            } catch (RuntimeException | LinkageError e) {
                LOG.warn("{}: closing the device failed: {}", name(), e.toString());
            }
            cpuPool.close();
        }
    }

    // ---- internals ----

    private void run(String operation, Runnable body) {
        if (closed) throw new IllegalStateException(name() + " is closed");
        try {
            device.bind();
            body.run();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw e;
        } catch (RuntimeException | LinkageError e) {
            throw new GpuExecutionException(operation + " on " + device.name() + " failed: " + e, e);
        }
    }

    private DeviceKernelMap deviceKernelMap(KernelMap map) {
        DeviceKernelMap dm = kernelMapCache.get(map);
        if (dm != null) return dm;
        int n = map.outSize();
        int pairs = map.pairCount();
        DeviceBuffer start = pool.acquire(4L * (n + 1));
        DeviceBuffer kIdx = pool.acquire(4L * Math.max(1, pairs));
        DeviceBuffer rows = pool.acquire(4L * Math.max(1, pairs));
        dm = new DeviceKernelMap(map.kernelVolume(), n, pairs, start, kIdx, rows);
        try {
            device.copyToDevice(start, 0, map.outStart(), 0, n + 1);
            device.copyToDevice(kIdx, 0, map.kernelIndex(), 0, pairs);
            device.copyToDevice(rows, 0, map.inRow(), 0, pairs);
        } catch (RuntimeException e) {
            dm.release(pool);
            throw e;
        }
        kernelMapCache.put(map, dm);
        return dm;
    }

    /** The per-offset pair lists of a map uploaded from the host (device-built maps have them already). */
    private void ensureOffsetView(KernelMap map, DeviceKernelMap dm) {
        if (dm.hasOffsetView()) return;
        int k = map.kernelVolume();
        int pairs = map.pairCount();
        int[] offsetIn = new int[pairs];
        int[] offsetOut = new int[pairs];
        int[] offsetStart = new int[k + 1];
        for (int j = 0; j < k; j++) {
            int[] ins = map.inRows(j);
            System.arraycopy(ins, 0, offsetIn, offsetStart[j], ins.length);
            System.arraycopy(map.outRows(j), 0, offsetOut, offsetStart[j], ins.length);
            offsetStart[j + 1] = offsetStart[j] + ins.length;
        }
        int[] tileStart = DeviceKernelMapBuilder.tileStarts(offsetStart);
        dm.attachOffsetView(pool.acquire(4L * Math.max(1, pairs)), pool.acquire(4L * Math.max(1, pairs)), pool.acquire(4L * (k + 1)),
                pool.acquire(4L * (k + 1)));
        device.copyToDevice(dm.offsetIn, 0, offsetIn, 0, pairs);
        device.copyToDevice(dm.offsetOut, 0, offsetOut, 0, pairs);
        device.copyToDevice(dm.offsetStart, 0, offsetStart, 0, k + 1);
        device.copyToDevice(dm.tileStart, 0, tileStart, 0, k + 1);
        dm.tiles = tileStart[k];
        kernelMapCache.put(map, dm);  // account for the added bytes
    }

    /** The map's rows and hash table on the device, or null when its coordinates do not pack into 63 bits. */
    private DeviceCoordinateMap deviceCoordinateMap(CoordinateMap map) {
        DeviceCoordinateMap dm = coordinateMapCache.get(map);
        if (dm != null) return dm;
        KeyPacking packing = KeyPacking.of(map.coordinates(), map.size(), map.width());
        if (packing == null) return null;
        dm = hashing.upload(map.coordinates(), map.size(), map.width(), packing);
        coordinateMapCache.put(map, dm);
        return dm;
    }

    private DeviceBuffer upload(Scratch s, float[] host) {
        DeviceBuffer b = s.floats(Math.max(1, host.length));
        device.copyToDevice(b, 0, host, 0, host.length);
        return b;
    }

    private DeviceBuffer uploadInts(Scratch s, int[] host, int count) {
        DeviceBuffer b = s.ints(Math.max(1, count));
        device.copyToDevice(b, 0, host, 0, count);
        return b;
    }

    private static int[] strideOnHost(CoordinateMap in, int[] outStride) {
        int w = in.width();
        int[] c = in.coordinates();
        int[] floored = new int[in.size() * w];
        for (int p = 0; p < floored.length; p += w) {
            floored[p] = c[p];
            for (int a = 1; a < w; a++) floored[p + a] = Math.floorDiv(c[p + a], outStride[a - 1]) * outStride[a - 1];
        }
        return floored;
    }

    private static int[] cpuUnique(int[] rows, int width, int dimension) {
        int[] stride = new int[dimension];
        Arrays.fill(stride, 1);
        // CoordinateMap.unique checks multiples of the stride; stride 1 accepts any row.
        return CoordinateMap.unique(rows, dimension, stride, new int[rows.length / width]).coordinates();
    }

    private static void fillBias(float[] out, float[] bias, int rows, int channels) {
        if (bias == null) {
            Arrays.fill(out, 0f);
            return;
        }
        for (int r = 0; r < rows; r++) System.arraycopy(bias, 0, out, r * channels, channels);
    }

    private static void checkFeatures(String what, float[] f, int rows, int channels) {
        if (channels < 1) throw new IllegalArgumentException(what + ": channels must be >= 1, got " + channels);
        if (f.length != (long) rows * channels) {
            throw new IllegalArgumentException(what + " has " + f.length + " values, expected " + rows + " rows x " + channels + " channels");
        }
    }

    private static void checkLength(String what, float[] a, long expected) {
        if (a.length != expected) throw new IllegalArgumentException(what + " has " + a.length + " values, expected " + expected);
    }

    private static void checkLength(String what, int[] a, long expected) {
        if (a.length != expected) throw new IllegalArgumentException(what + " has " + a.length + " values, expected " + expected);
    }
}
