package io.minkstream.engine.coords;

import io.minkstream.engine.concurrent.WorkerPool;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Owns the coordinate maps of a family of tensors and caches the kernel maps between them, as
 * MinkowskiEngine's coordinate manager does: layers ask it for output coordinates and kernel maps,
 * and repeated layers (same maps, region, direction) get the cached kernel map back.
 *
 * <p>Each tensor stride has a default map (the first registered at that stride). Strided layers
 * land on the default map of their output stride when one exists, and transposed convolutions
 * land on the default map of the finer stride, so a U-Net's decoder returns exactly to its
 * encoder's coordinates. Thread-safe.
 */
public final class CoordinateManager {
    private final int dimension;
    private final KernelMapBuilder builder;
    private final Map<CoordinateKey, CoordinateMap> maps = new HashMap<>();
    private final Map<String, CoordinateKey> defaults = new HashMap<>();
    private final Map<KernelMapKey, KernelMap> kernelMaps = new LinkedHashMap<>();
    private final Map<CoordinateKey, CoordinateKey> globals = new HashMap<>();
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();
    private final AtomicLong buildNanos = new AtomicLong();
    private int nextId;

    public CoordinateManager(int dimension, WorkerPool pool) {
        this(dimension, new KernelMapBuilder(pool));
    }

    public CoordinateManager(int dimension, KernelMapBuilder builder) {
        if (dimension < 1) throw new IllegalArgumentException("dimension must be >= 1, got " + dimension);
        this.dimension = dimension;
        this.builder = builder;
    }

    public int dimension() {
        return dimension;
    }

    /** Registers coordinates (unique, multiples of the stride) under a new key. */
    public synchronized CoordinateKey insert(int[] coords, int[] tensorStride) {
        return register(CoordinateMap.of(coords, dimension, tensorStride));
    }

    /** Registers an already built map under a new key; it becomes its stride's default if none is. */
    public synchronized CoordinateKey register(CoordinateMap map) {
        if (map.dimension() != dimension) {
            throw new IllegalArgumentException("map has dimension " + map.dimension() + ", manager has " + dimension);
        }
        CoordinateKey key = new CoordinateKey(nextId++, map.tensorStride());
        maps.put(key, map);
        defaults.putIfAbsent(Arrays.toString(map.tensorStride()), key);
        return key;
    }

    public synchronized CoordinateMap map(CoordinateKey key) {
        CoordinateMap m = maps.get(key);
        if (m == null) throw new IllegalArgumentException("unknown coordinate key " + key);
        return m;
    }

    /**
     * The output map of a strided layer: the default map of stride {@code ts_in * stride} if there
     * is one, else {@code unique(floor(c / ts_out) * ts_out)} over the input rows, first-seen order.
     */
    public synchronized CoordinateKey stride(CoordinateKey in, int[] stride) {
        int[] outStride = multiply(in.tensorStride(), checkAxes(stride, "stride"));
        if (Arrays.equals(outStride, in.tensorStride())) return in;
        CoordinateKey existing = defaults.get(Arrays.toString(outStride));
        if (existing != null) return existing;
        CoordinateMap src = map(in);
        int w = src.width();
        int[] c = src.coordinates();
        int[] floored = new int[src.size() * w];
        for (int p = 0; p < floored.length; p += w) {
            floored[p] = c[p];
            for (int a = 1; a < w; a++) {
                long v = Math.floorDiv((long) c[p + a], outStride[a - 1]) * outStride[a - 1];
                if (v != (int) v) {
                    throw new IllegalArgumentException("coordinate " + c[p + a] + " (row " + p / w + ", axis " + (a - 1) + ") floors to " + v
                            + " at tensor stride " + outStride[a - 1] + ", outside the int32 range");
                }
                floored[p + a] = (int) v;
            }
        }
        return register(CoordinateMap.unique(floored, dimension, outStride, new int[src.size()]));
    }

    /**
     * The output map of a transposed convolution: the default map at {@code ts_in / stride} if one
     * exists, otherwise (or always, when {@code generate}) the set of {@code in + offset_k}.
     */
    public synchronized CoordinateKey transposed(CoordinateKey in, int[] stride, KernelRegion region, boolean generate) {
        int[] outStride = divide(in.tensorStride(), checkAxes(stride, "stride"));
        if (!generate) {
            CoordinateKey existing = defaults.get(Arrays.toString(outStride));
            if (existing != null) return existing;
        }
        CoordinateMap src = map(in);
        int w = src.width();
        int[] offsets = region.offsets(outStride);
        int k = region.volume();
        int[] c = src.coordinates();
        int[] generated = new int[Math.multiplyExact(src.size() * k, w)];
        for (int r = 0, p = 0; r < src.size(); r++) {
            for (int j = 0; j < k; j++, p += w) {
                generated[p] = c[r * w];
                for (int a = 1; a < w; a++) generated[p + a] = Math.addExact(c[r * w + a], offsets[j * dimension + a - 1]);
            }
        }
        return register(CoordinateMap.unique(generated, dimension, outStride, new int[src.size() * k]));
    }

    /**
     * One row {@code [b, 0, ..., 0]} per batch index present, in first-seen order (tensor stride 0);
     * the same key for the same input, so repeated global pooling reuses its map.
     */
    public synchronized CoordinateKey global(CoordinateKey in) {
        CoordinateKey cached = globals.get(in);
        if (cached != null) return cached;
        CoordinateMap src = map(in);
        int w = src.width();
        int[] rows = new int[src.size() * w];
        for (int r = 0; r < src.size(); r++) rows[r * w] = src.coordinate(r, 0);
        CoordinateMap m = CoordinateMap.unique(rows, dimension, new int[dimension], new int[src.size()]);
        CoordinateKey key = new CoordinateKey(nextId++, m.tensorStride());
        maps.put(key, m);
        globals.put(in, key);
        return key;
    }

    /**
     * The kernel map from {@code in} to {@code out}. Forward: input {@code out + offset_k}, offsets
     * at the input stride. Transposed: input {@code out - offset_k}, offsets at the output stride.
     */
    public KernelMap kernelMap(CoordinateKey in, CoordinateKey out, KernelRegion region, boolean transposed) {
        return cached(new KernelMapKey(in, out, region, transposed, KernelMapKey.Kind.KERNEL), () -> {
            int[] offsets = region.offsets(transposed ? out.tensorStride() : in.tensorStride());
            return builder.build(map(in), map(out), offsets, region.volume(), transposed ? -1 : 1);
        });
    }

    /**
     * MinkowskiEngine's pooling map when kernel size equals stride: every input goes to exactly one
     * output, {@code floor(c / s_out) * s_out}, i.e. the window {@code o + {0..s-1}} per axis.
     */
    public KernelMap stridePoolMap(CoordinateKey in, CoordinateKey out, int[] stride) {
        KernelRegion region = KernelRegion.strideWindow(stride);
        return cached(new KernelMapKey(in, out, region, false, KernelMapKey.Kind.STRIDE_POOL),
                () -> builder.build(map(in), map(out), region.offsets(in.tensorStride()), region.volume(), 1));
    }

    /** Every input row to the output row of its batch index (global pooling). */
    public KernelMap globalMap(CoordinateKey in, CoordinateKey out) {
        return cached(new KernelMapKey(in, out, KernelRegion.hyperCube(dimension, 1), false, KernelMapKey.Kind.GLOBAL), () -> {
            CoordinateMap src = map(in);
            CoordinateMap dst = map(out);
            int w = src.width();
            int[] query = new int[w];
            int[][] inRows = {new int[src.size()]};
            int[][] outRows = {new int[src.size()]};
            for (int r = 0; r < src.size(); r++) {
                query[0] = src.coordinate(r, 0);
                inRows[0][r] = r;
                outRows[0][r] = dst.find(query, 0);
                if (outRows[0][r] < 0) {
                    throw new IllegalArgumentException("row " + r + " is in batch " + query[0] + ", which the global tensor " + out + " does not have");
                }
            }
            return KernelMap.fromPerOffset(src.size(), dst.size(), inRows, outRows);
        });
    }

    public long kernelMapHits() {
        return hits.get();
    }

    public long kernelMapMisses() {
        return misses.get();
    }

    /** Wall time spent building kernel maps (the misses). */
    public long kernelMapNanos() {
        return buildNanos.get();
    }

    public synchronized int cachedKernelMaps() {
        return kernelMaps.size();
    }

    private KernelMap cached(KernelMapKey key, java.util.function.Supplier<KernelMap> build) {
        synchronized (this) {
            KernelMap m = kernelMaps.get(key);
            if (m != null) {
                hits.incrementAndGet();
                return m;
            }
        }
        misses.incrementAndGet();
        long start = System.nanoTime();
        KernelMap built = build.get();
        buildNanos.addAndGet(System.nanoTime() - start);
        synchronized (this) {
            KernelMap raced = kernelMaps.putIfAbsent(key, built);
            return raced != null ? raced : built;
        }
    }


    private int[] checkAxes(int[] v, String what) {
        if (v.length != dimension) throw new IllegalArgumentException(what + " has " + v.length + " axes, expected " + dimension);
        for (int x : v) if (x < 1) throw new IllegalArgumentException(what + " must be >= 1 on every axis, got " + Arrays.toString(v));
        return v;
    }

    private static int[] multiply(int[] a, int[] b) {
        int[] r = new int[a.length];
        for (int i = 0; i < a.length; i++) r[i] = Math.multiplyExact(a[i], b[i]);
        return r;
    }

    private static int[] divide(int[] ts, int[] stride) {
        int[] r = new int[ts.length];
        for (int i = 0; i < ts.length; i++) {
            if (ts[i] % stride[i] != 0) {
                throw new IllegalArgumentException("transposed stride " + Arrays.toString(stride) + " does not divide tensor stride " + Arrays.toString(ts));
            }
            r[i] = ts[i] / stride[i];
        }
        return r;
    }
}
