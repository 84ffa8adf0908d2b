package io.minkstream.gpu;

import static io.minkstream.gpu.BackendAssertions.assertClose;
import static io.minkstream.gpu.BackendAssertions.assertSameKernelMap;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.minkstream.engine.backend.Activation;
import io.minkstream.engine.backend.Backend;
import io.minkstream.engine.backend.CpuBackend;
import io.minkstream.engine.backend.PoolMode;
import io.minkstream.engine.coords.AxisShape;
import io.minkstream.engine.coords.CoordinateManager;
import io.minkstream.engine.coords.CoordinateMap;
import io.minkstream.engine.coords.KernelMap;
import io.minkstream.engine.coords.KernelRegion;
import io.minkstream.engine.ops.Convolution;
import io.minkstream.engine.ops.Merge;
import io.minkstream.engine.ops.Normalization;
import io.minkstream.engine.ops.Pooling;
import io.minkstream.engine.tensor.SparseTensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * What the GPU backend must reproduce, as scenarios that run the engine once with the CPU backend
 * and once with a {@link CudaBackend}, and compare: features to tolerance, coordinates and kernel
 * maps exactly. Scenarios come from the MinkowskiEngine fixtures and from random cases chosen to
 * cross the kernels' tile boundaries (channels above 32, several tiles of rows, outputs without
 * pairs, large segments).
 */
final class KernelScenarios {

    /** One comparison; runs against a CUDA backend (real or emulated) and the CPU backend. */
    record Scenario(String name, Check check) {
        @Override
        public String toString() {
            return name;
        }
    }

    @FunctionalInterface
    interface Check {
        void run(CudaBackend gpu, CpuBackend cpu);
    }

    enum Direction { FORWARD, TRANSPOSED, GENERATIVE }

    private KernelScenarios() {
    }

    // ---- the MinkowskiEngine fixtures ----

    /** Scenarios of the fixture cases named (all conv, pooling and network cases when names is empty). */
    static List<Scenario> oracle(Path root, List<String> names) {
        List<String> cases = names.isEmpty()
                ? List.of("a0_tiny_conv_k3s1_D4", "a_conv_k3s1_D4", "b_conv_k3s2_D4", "c_convtr_k2s2_D4", "c2_convtr_k2s2_newcoords_D4",
                        "d_conv_cross_k3s1_D4", "e_conv_hybrid_D4", "f_conv_k3s1_dil2_D3", "g_pooling_D4", "h_tiny_net_D4")
                : names;
        List<Scenario> out = new ArrayList<>();
        for (String name : cases) {
            OracleCase c = OracleCase.load(root, name);
            String op = c.text("op");
            if (op.equals("network")) {
                out.add(new Scenario("oracle " + name, (gpu, cpu) -> network(c, gpu, cpu)));
            } else if (op.contains("Pooling")) {
                out.add(new Scenario("oracle " + name, (gpu, cpu) -> oraclePooling(c, gpu, cpu)));
            } else {
                out.add(new Scenario("oracle " + name, (gpu, cpu) -> oracleConvolution(c, gpu, cpu)));
            }
        }
        return out;
    }

    private static void oracleConvolution(OracleCase c, CudaBackend gpu, CpuBackend cpu) {
        boolean transposed = c.text("op").contains("Transpose");
        int[] inTs = c.axes("in_tensor_stride");
        int[] outTs = c.axes("out_tensor_stride");
        KernelRegion region = c.region(c.json(), transposed ? outTs : inTs);
        assertArrayEquals(c.ints("kernel_offsets.npy"), region.offsets(transposed ? outTs : inTs), c.name() + ": kernel offsets");
        int[] target = c.has("target_coords.npy") ? c.ints("target_coords.npy") : null;
        Direction direction = !transposed ? Direction.FORWARD : target != null ? Direction.TRANSPOSED : Direction.GENERATIVE;
        Random rnd = new Random(c.integer("seed"));
        float[] bias = randomFloats(rnd, c.integer("out_channels"));
        convolution(c.name(), gpu, cpu, c.dimension(), c.ints("in_coords.npy"), inTs, c.floats("in_feats.npy"), c.integer("in_channels"),
                c.floats("kernel.npy"), c.integer("out_channels"), bias, region, c.axes("stride"), direction, target, outTs, rnd);
    }

    private static void oraclePooling(OracleCase c, CudaBackend gpu, CpuBackend cpu) {
        List<int[]> windows = new ArrayList<>();
        for (JsonNode o : c.json().get("outputs")) {
            if (o.has("kernel_size")) {
                int[] ks = c.axes(o, "kernel_size");
                int[] st = c.axes(o, "stride");
                if (windows.stream().noneMatch(w -> Arrays.equals(w, concat(ks, st)))) windows.add(concat(ks, st));
            }
        }
        pooling(c.name(), gpu, cpu, c.dimension(), c.ints("in_coords.npy"), c.floats("in_feats.npy"), c.integer("in_channels"), windows);
    }

    /** conv(k3) -> batch norm + ReLU -> conv(k3, s2) -> ReLU -> transposed conv(k2, s2) back onto the input map. */
    private static void network(OracleCase c, CudaBackend gpu, CpuBackend cpu) {
        JsonNode layers = c.json().get("layers");
        float[][] results = new float[2][];
        float[][] first = new float[2][];
        Backend[] backends = {cpu, gpu};
        for (int b = 0; b < 2; b++) {
            Backend backend = backends[b];
            CoordinateManager m = new CoordinateManager(c.dimension(), cpu.kernelMapBuilder());
            SparseTensor x = SparseTensor.of(m, c.ints("in_coords.npy"), c.floats("in_feats.npy"), 4);
            for (int i = 0; i < layers.size(); i++) {
                JsonNode l = layers.get(i);
                String op = l.get("op").asText();
                switch (op) {
                    case "MinkowskiConvolution" -> x = Convolution.convolution(x, c.floats(l.get("kernel").asText()), l.get("out_channels").asInt(),
                            null, c.region(l, x.tensorStride()), c.axes(l, "stride"), backend);
                    case "MinkowskiBatchNorm" -> {
                        boolean reluNext = layers.get(i + 1).get("op").asText().equals("MinkowskiReLU");
                        x = Normalization.batchNorm(x, c.floats(l.get("weight_file").asText()), c.floats(l.get("bias_file").asText()),
                                c.floats(l.get("running_mean_file").asText()), c.floats(l.get("running_var_file").asText()),
                                (float) l.get("eps").asDouble(), reluNext ? Activation.RELU : Activation.IDENTITY, backend);
                        if (reluNext) i++;
                    }
                    case "MinkowskiReLU" -> x = Normalization.activate(x, Activation.RELU, backend);
                    case "MinkowskiConvolutionTranspose" -> {
                        int[] outTs = c.axes(l, "out_tensor_stride");
                        x = Convolution.transposed(x, c.floats(l.get("kernel").asText()), l.get("out_channels").asInt(), null,
                                c.region(l, outTs), c.axes(l, "stride"), false, backend);
                    }
                    default -> throw new IllegalStateException("layer op " + op);
                }
                if (i == 0) first[b] = x.features();
            }
            results[b] = x.features();
        }
        assertClose(c.name() + " first layer", first[0], first[1], 16);
        assertClose(c.name() + " output", results[0], results[1], 8);
    }

    // ---- random cases ----

    /** Random convolutions, transposed convolutions, pooling and pointwise cases; {@code scale} multiplies the point counts. */
    static List<Scenario> random(double scale) {
        List<Scenario> out = new ArrayList<>();
        int n = Math.max(24, (int) (400 * scale));
        out.add(randomConvolution("random conv D3 k3 cube 3->5", 11, n, 3, 3, 5, KernelRegion.hyperCube(3, 3), new int[] {1, 1, 1}));
        out.add(randomConvolution("random conv D4 k3 cross 40->37 (channel tiles)", 12, n, 4, 40, 37,
                KernelRegion.hyperCross(new int[] {3, 3, 3, 3}, new int[] {1, 1, 1, 1}), new int[] {1, 1, 1, 1}));
        out.add(randomConvolution("random conv D3 k3 s3 with bias (outputs without pairs)", 13, n, 3, 6, 7, KernelRegion.hyperCube(3, 3),
                new int[] {3, 3, 3}));
        out.add(randomConvolution("random conv D4 space-time hybrid s[2,2,2,1] 8->33", 14, n, 4, 8, 33,
                KernelRegion.hybrid(new AxisShape[] {AxisShape.cube(3), AxisShape.cube(3), AxisShape.cube(3), AxisShape.causal(2)},
                        new int[] {1, 1, 1, 1}), new int[] {2, 2, 2, 1}));
        out.add(randomConvolution("random conv D2 k2 s2 1->1", 15, n, 2, 1, 1, KernelRegion.hyperCube(2, 2), new int[] {2, 2}));
        out.add(randomTransposed("random generative transposed D3 k3 s2 5->4", 16, Math.max(16, n / 4), 3, 5, 4, KernelRegion.hyperCube(3, 3),
                Direction.GENERATIVE));
        out.add(randomTransposed("random transposed onto existing D3 k2 s2 9->6", 17, n, 3, 9, 6, KernelRegion.hyperCube(3, 2),
                Direction.TRANSPOSED));
        out.add(new Scenario("random pooling D3 k2s2, k3s2, k3s1, global", (gpu, cpu) -> {
            Random rnd = new Random(18);
            int[] coords = randomCoords(rnd, n, 3, 6, 3);
            pooling("random pooling", gpu, cpu, 3, coords, randomFloats(rnd, coords.length / 4 * 5), 5,
                    List.of(new int[] {2, 2, 2, 2, 2, 2}, new int[] {3, 3, 3, 2, 2, 2}, new int[] {3, 3, 3, 1, 1, 1}));
        }));
        out.add(new Scenario("random pointwise: batch norm + every activation, concatenation", (gpu, cpu) -> pointwise(gpu, cpu, 19, n)));
        out.add(new Scenario("random kernel map without pairs", (gpu, cpu) -> emptyMaps(gpu, cpu)));
        return out;
    }

    private static Scenario randomConvolution(String name, long seed, int n, int dim, int cIn, int cOut, KernelRegion region, int[] stride) {
        return new Scenario(name, (gpu, cpu) -> {
            Random rnd = new Random(seed);
            int[] coords = randomCoords(rnd, n, dim, 7, 2);
            int rows = coords.length / (dim + 1);
            convolution(name, gpu, cpu, dim, coords, ones(dim), randomFloats(rnd, rows * cIn), cIn,
                    randomFloats(rnd, region.volume() * cIn * cOut), cOut, randomFloats(rnd, cOut), region, stride, Direction.FORWARD,
                    null, null, rnd);
        });
    }

    private static Scenario randomTransposed(String name, long seed, int n, int dim, int cIn, int cOut, KernelRegion region,
                                             Direction direction) {
        return new Scenario(name, (gpu, cpu) -> {
            Random rnd = new Random(seed);
            int[] fine = randomCoords(rnd, n, dim, 6, 2);
            int[] two = new int[dim];
            Arrays.fill(two, 2);
            CoordinateManager scratch = new CoordinateManager(dim, cpu.kernelMapBuilder());
            int[] coarse = scratch.map(scratch.stride(scratch.insert(fine, ones(dim)), two)).coordinates();
            int rows = coarse.length / (dim + 1);
            convolution(name, gpu, cpu, dim, coarse, two, randomFloats(rnd, rows * cIn), cIn, randomFloats(rnd, region.volume() * cIn * cOut),
                    cOut, randomFloats(rnd, cOut), region, two, direction, direction == Direction.TRANSPOSED ? fine : null, ones(dim), rnd);
        });
    }

    // ---- the checks ----

    /**
     * One convolution through the engine on both backends, then the device paths the engine does
     * not reach: the device-built kernel map, both dataflows on it and on the uploaded map, the
     * device's strided or generated output coordinates, a channelwise convolution and hash lookups.
     */
    static void convolution(String name, CudaBackend gpu, CpuBackend cpu, int dim, int[] inCoords, int[] inTs, float[] feats, int cIn,
                            float[] weights, int cOut, float[] bias, KernelRegion region, int[] stride, Direction direction, int[] target,
                            int[] targetTs, Random rnd) {
        Backend[] backends = {cpu, gpu};
        SparseTensor[] xs = new SparseTensor[2];
        SparseTensor[] ys = new SparseTensor[2];
        for (int b = 0; b < 2; b++) {
            CoordinateManager m = new CoordinateManager(dim, cpu.kernelMapBuilder());
            if (target != null) m.insert(target, targetTs);
            xs[b] = SparseTensor.of(m, inCoords, inTs, feats, cIn);
            ys[b] = direction == Direction.FORWARD
                    ? Convolution.convolution(xs[b], weights, cOut, bias, region, stride, backends[b])
                    : Convolution.transposed(xs[b], weights, cOut, bias, region, stride, direction == Direction.GENERATIVE, backends[b]);
        }
        assertArrayEquals(ys[0].coordinates(), ys[1].coordinates(), name + ": output coordinates");
        assertClose(name + ": engine convolution", ys[0].features(), ys[1].features(), cOut);

        CoordinateManager m = xs[1].manager();
        boolean transposed = direction != Direction.FORWARD;
        KernelMap map = m.kernelMap(xs[1].key(), ys[1].key(), region, transposed);
        int[] offsets = region.offsets(transposed ? ys[1].tensorStride() : xs[1].tensorStride());
        CoordinateMap inMap = xs[1].coordinateMap();
        CoordinateMap outMap = ys[1].coordinateMap();
        KernelMap built = gpu.buildKernelMap(inMap, outMap, offsets, region.volume(), transposed ? -1 : 1);
        assertSameKernelMap(name + ": device kernel map", map, built);

        float[] reference = new float[map.outSize() * cOut];
        cpu.convolution(feats, cIn, weights, cOut, bias, map, reference);
        float[] out = new float[reference.length];
        for (ConvolutionDataflow flow : ConvolutionDataflow.values()) {
            Arrays.fill(out, Float.NaN);
            gpu.convolution(feats, cIn, weights, cOut, bias, built, out, flow);
            assertClose(name + ": " + flow + " on the device-built map", reference, out, cOut);
        }
        Arrays.fill(out, Float.NaN);
        gpu.convolution(feats, cIn, weights, cOut, bias, map, out, ConvolutionDataflow.PER_OFFSET);
        assertClose(name + ": PER_OFFSET on the uploaded map", reference, out, cOut);

        if (direction == Direction.FORWARD && !Arrays.equals(xs[1].tensorStride(), ys[1].tensorStride())) {
            assertArrayEquals(outMap.coordinates(), gpu.strideCoordinates(inMap, ys[1].tensorStride()), name + ": device strided coordinates");
        }
        if (direction == Direction.GENERATIVE) {
            assertArrayEquals(outMap.coordinates(), gpu.generateCoordinates(inMap, offsets, region.volume()),
                    name + ": device generated coordinates");
        }

        float[] cw = randomFloats(rnd, region.volume() * cIn);
        float[] cb = randomFloats(rnd, cIn);
        float[] cwRef = new float[map.outSize() * cIn];
        float[] cwOut = new float[cwRef.length];
        cpu.channelwiseConvolution(feats, cIn, cw, cb, map, cwRef);
        gpu.channelwiseConvolution(feats, cIn, cw, cb, map, cwOut);
        assertClose(name + ": channelwise", cwRef, cwOut, cIn);

        int[] queries = outMap.coordinates().clone();
        for (int i = 1; i < queries.length; i += 3 * (dim + 1)) queries[i] += 1;  // some rows shifted off the grid
        int[] rows = gpu.lookup(inMap, queries);
        for (int q = 0; q < rows.length; q++) {
            int expected = inMap.find(queries, q * (dim + 1));
            if (rows[q] != expected) throw new AssertionError(name + ": device lookup of query " + q + " gave " + rows[q] + ", expected " + expected);
        }
    }

    /**
     * Local pooling (every mode, each window {@code [ks..., stride...]}), unpooling, and global
     * pooling on both backends; for kernel size = stride also the device-built stride map.
     */
    static void pooling(String name, CudaBackend gpu, CpuBackend cpu, int dim, int[] coords, float[] feats, int c, List<int[]> windows) {
        Backend[] backends = {cpu, gpu};
        CoordinateManager[] ms = new CoordinateManager[2];
        SparseTensor[] xs = new SparseTensor[2];
        for (int b = 0; b < 2; b++) {
            ms[b] = new CoordinateManager(dim, cpu.kernelMapBuilder());
            xs[b] = SparseTensor.of(ms[b], coords, feats, c);
        }
        for (int[] w : windows) {
            int[] ks = Arrays.copyOfRange(w, 0, dim);
            int[] st = Arrays.copyOfRange(w, dim, 2 * dim);
            for (PoolMode mode : PoolMode.values()) {
                SparseTensor[] ys = new SparseTensor[2];
                for (int b = 0; b < 2; b++) ys[b] = Pooling.pool(mode, xs[b], ks, st, ones(dim), backends[b]);
                String what = name + ": " + mode + " pooling k" + Arrays.toString(ks) + " s" + Arrays.toString(st);
                assertArrayEquals(ys[0].coordinates(), ys[1].coordinates(), what + " coordinates");
                assertClose(what, ys[0].features(), ys[1].features(), c);
                if (mode == PoolMode.SUM && Arrays.stream(st).anyMatch(s -> s > 1)) {
                    SparseTensor[] back = new SparseTensor[2];
                    for (int b = 0; b < 2; b++) back[b] = Pooling.unpool(ys[b], ks, st, backends[b]);
                    assertClose(what + " then unpooling", back[0].features(), back[1].features(), c);
                }
                if (mode == PoolMode.MAX && Arrays.equals(ks, st)) {
                    AxisShape[] shapes = new AxisShape[dim];
                    for (int a = 0; a < dim; a++) {
                        int[] steps = new int[st[a]];
                        for (int i = 0; i < steps.length; i++) steps[i] = i;
                        shapes[a] = AxisShape.steps(steps);
                    }
                    KernelRegion window = KernelRegion.hybrid(shapes, ones(dim));
                    KernelMap expected = ms[1].stridePoolMap(xs[1].key(), ys[1].key(), st);
                    KernelMap built = gpu.buildKernelMap(xs[1].coordinateMap(), ys[1].coordinateMap(), window.offsets(xs[1].tensorStride()),
                            window.volume(), 1);
                    assertSameKernelMap(what + " device stride map", expected, built);
                }
            }
        }
        for (PoolMode mode : PoolMode.values()) {
            SparseTensor[] ys = new SparseTensor[2];
            for (int b = 0; b < 2; b++) ys[b] = Pooling.global(mode, xs[b], backends[b]);
            assertClose(name + ": global " + mode + " pooling", ys[0].features(), ys[1].features(), c);
        }
    }

    /** Batch norm fused with each activation, activations alone, and concatenation. */
    static void pointwise(CudaBackend gpu, CpuBackend cpu, long seed, int rows) {
        Random rnd = new Random(seed);
        int c = 37;
        float[] x = randomFloats(rnd, rows * c);
        for (int i = 0; i < x.length; i += 7) x[i] *= 6;  // reach the saturating ranges
        float[] scale = randomFloats(rnd, c);
        float[] shift = randomFloats(rnd, c);
        List<Activation> activations = List.of(Activation.IDENTITY, Activation.RELU, Activation.leakyRelu(0.1f), Activation.elu(1.3f),
                Activation.SIGMOID, Activation.TANH, Activation.GELU);
        for (Activation act : activations) {
            for (boolean affine : new boolean[] {true, false}) {
                float[] expected = new float[x.length];
                float[] actual = new float[x.length];
                cpu.scaleShiftActivate(x, c, affine ? scale : null, affine ? shift : null, act, expected);
                gpu.scaleShiftActivate(x, c, affine ? scale : null, affine ? shift : null, act, actual);
                assertClose("scale/shift " + affine + " + " + act, expected, actual, c);
            }
        }
        int[] widths = {3, 40, 1};
        float[][] parts = new float[widths.length][];
        CoordinateManager m = new CoordinateManager(2, cpu.kernelMapBuilder());
        int[] coords = randomCoords(rnd, rows, 2, 50, 2);
        int n = coords.length / 3;
        SparseTensor[] tensors = new SparseTensor[widths.length];
        var key = m.insert(coords, ones(2));
        for (int i = 0; i < widths.length; i++) {
            parts[i] = randomFloats(rnd, n * widths[i]);
            tensors[i] = SparseTensor.onMap(m, key, parts[i], widths[i]);
        }
        float[] expected = Merge.concatenate(tensors).features();
        float[] actual = new float[expected.length];
        gpu.concatenate(parts, widths, n, actual);
        assertArrayEquals(expected, actual, "concatenation");
    }

    /** Maps whose outputs have no pairs at all: bias-only convolution, zero pooling, an empty device map. */
    static void emptyMaps(CudaBackend gpu, CpuBackend cpu) {
        int[] in = {0, 0, 0, 0, 0, 2};
        int[] far = {0, 100, 100, 0, 50, 50};
        CoordinateMap inMap = CoordinateMap.of(in, 2, ones(2));
        CoordinateMap outMap = CoordinateMap.of(far, 2, ones(2));
        KernelRegion region = KernelRegion.hyperCube(2, 3);
        KernelMap expected = cpu.kernelMapBuilder().build(inMap, outMap, region.offsets(ones(2)), region.volume(), 1);
        KernelMap built = gpu.buildKernelMap(inMap, outMap, region.offsets(ones(2)), region.volume(), 1);
        assertSameKernelMap("kernel map without pairs", expected, built);
        float[] feats = {1, 2, 3, 4};
        float[] w = new float[region.volume() * 2 * 3];
        float[] bias = {0.5f, -1, 2};
        float[] ref = new float[6];
        float[] out = new float[6];
        cpu.convolution(feats, 2, w, 3, bias, built, ref);
        gpu.convolution(feats, 2, w, 3, bias, built, out);
        assertArrayEquals(ref, out, "convolution without pairs");
        float[] pooled = {9, 9, 9, 9};
        gpu.pooling(PoolMode.MAX, feats, 2, built, pooled);
        assertArrayEquals(new float[4], pooled, "pooling without pairs");
    }

    // ---- data ----

    /** {@code n} distinct random rows {@code [b, x_1..x_dim]} with b in [0, batches), x in [-range, range). */
    static int[] randomCoords(Random rnd, int n, int dim, int range, int batches) {
        Set<List<Integer>> seen = new HashSet<>();
        List<int[]> rows = new ArrayList<>();
        int attempts = 0;
        while (rows.size() < n && attempts++ < n * 50) {
            int[] r = new int[dim + 1];
            r[0] = rnd.nextInt(batches);
            for (int a = 1; a <= dim; a++) r[a] = rnd.nextInt(2 * range) - range;
            if (seen.add(Arrays.stream(r).boxed().toList())) rows.add(r);
        }
        int[] out = new int[rows.size() * (dim + 1)];
        for (int i = 0; i < rows.size(); i++) System.arraycopy(rows.get(i), 0, out, i * (dim + 1), dim + 1);
        return out;
    }

    static float[] randomFloats(Random rnd, int n) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) f[i] = (float) (rnd.nextGaussian() * 0.5);
        return f;
    }

    static int[] ones(int d) {
        int[] a = new int[d];
        Arrays.fill(a, 1);
        return a;
    }

    private static int[] concat(int[] a, int[] b) {
        int[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
