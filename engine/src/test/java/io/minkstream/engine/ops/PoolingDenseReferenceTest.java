package io.minkstream.engine.ops;

import static io.minkstream.engine.ops.DenseReference.assertMatches;
import static io.minkstream.engine.ops.DenseReference.coordinateSet;
import static io.minkstream.engine.ops.DenseReference.cube;
import static io.minkstream.engine.ops.DenseReference.floorSet;
import static io.minkstream.engine.ops.DenseReference.product;
import static io.minkstream.engine.ops.DenseReference.scale;
import static io.minkstream.engine.ops.SparseGrids.fill;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.minkstream.engine.backend.CpuBackend;
import io.minkstream.engine.backend.PoolMode;
import io.minkstream.engine.coords.CoordinateManager;
import io.minkstream.engine.ops.DenseReference.Grid;
import io.minkstream.engine.ops.DenseReference.Pool;
import io.minkstream.engine.tensor.SparseTensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Local, global and transposed pooling against dense references. The README's two window rules
 * are both checked: kernel size == stride uses the non-overlapping "stride map" window
 * {@code o + {0..s-1}^D} (for odd k too), any other combination the centred cube.
 */
class PoolingDenseReferenceTest {
    private static final CpuBackend BACKEND = new CpuBackend(2);

    @AfterAll
    static void close() {
        BACKEND.close();
    }

    static Stream<Arguments> dimensionsAndModes() {
        List<Arguments> a = new ArrayList<>();
        for (int d = 2; d <= 4; d++) for (PoolMode m : PoolMode.values()) a.add(arguments(d, m));
        return a.stream();
    }

    private static SparseTensor randomInput(CoordinateManager m, Random rnd, int d, int channels) {
        return switch (d) {
            case 2 -> SparseGrids.tensor(m, rnd, new int[] {0, 1, 4}, -7, 6, 0.35, fill(d, 1), channels);
            case 3 -> SparseGrids.tensor(m, rnd, new int[] {0, 2}, -5, 4, 0.3, fill(d, 1), channels);
            default -> SparseGrids.tensor(m, rnd, new int[] {0, 1}, -3, 3, 0.2, fill(d, 1), channels);
        };
    }

    private static Pool ref(PoolMode mode) {
        return Pool.valueOf(mode.name());
    }

    private static int[] range(int n) {
        int[] s = new int[n];
        for (int i = 0; i < n; i++) s[i] = i;
        return s;
    }

    private static void checkLocal(String what, SparseTensor x, PoolMode mode, int[] kernel, int[] stride, List<int[]> window) {
        int d = x.dimension();
        SparseTensor y = Pooling.pool(mode, x, kernel, stride, fill(d, 1), BACKEND);
        boolean unstrided = Arrays.stream(stride).allMatch(s -> s == 1);
        Set<List<Integer>> outSet = unstrided ? coordinateSet(x.coordinates(), d) : floorSet(x.coordinates(), d, stride);
        assertThat(y.tensorStride()).containsExactly(stride);
        assertMatches(what + " " + mode, y, DenseReference.pool(Grid.of(x), outSet, window, 1, ref(mode)));
    }

    @ParameterizedTest(name = "D={0} {1}")
    @MethodSource("dimensionsAndModes")
    void kernelEqualToStrideUsesTheNonOverlappingStrideMap(int d, PoolMode mode) {
        Random rnd = new Random(100L * d + mode.ordinal());
        SparseTensor x = randomInput(new CoordinateManager(d, BACKEND.kernelMapBuilder()), rnd, d, d == 3 ? 33 : 6);
        checkLocal("k=2 s=2", x, mode, fill(d, 2), fill(d, 2), cube(fill(d, 2)));
        int[][] from0to2 = new int[d][];
        Arrays.fill(from0to2, range(3));
        // k=3 s=3 is a stride map too: the window of o is o..o+2, not o-1..o+1.
        SparseTensor x3 = randomInput(new CoordinateManager(d, BACKEND.kernelMapBuilder()), rnd, d, 4);
        checkLocal("k=3 s=3", x3, mode, fill(d, 3), fill(d, 3), product(from0to2));
    }

    @ParameterizedTest(name = "D={0} {1}")
    @MethodSource("dimensionsAndModes")
    void kernelThreeStrideTwoUsesOverlappingCentredWindows(int d, PoolMode mode) {
        Random rnd = new Random(200L * d + mode.ordinal());
        SparseTensor x = randomInput(new CoordinateManager(d, BACKEND.kernelMapBuilder()), rnd, d, 5);
        checkLocal("k=3 s=2", x, mode, fill(d, 3), fill(d, 2), cube(fill(d, 3)));
        checkLocal("k=3 s=1", x, mode, fill(d, 3), fill(d, 1), cube(fill(d, 3)));
    }

    @Test
    void perAxisPoolingKeepsTheUnstridedAxis() {
        Random rnd = new Random(300);
        SparseTensor x = randomInput(new CoordinateManager(3, BACKEND.kernelMapBuilder()), rnd, 3, 3);
        checkLocal("k=[2,2,1] s=[2,2,1]", x, PoolMode.MAX, new int[] {2, 2, 1}, new int[] {2, 2, 1}, cube(2, 2, 1));
        checkLocal("k=[3,3,1] s=[2,2,1]", x, PoolMode.AVG, new int[] {3, 3, 1}, new int[] {2, 2, 1}, cube(3, 3, 1));
    }

    @Test
    void averageDividesByTheInputsThatExistNotByTheKernelVolume() {
        CoordinateManager m = new CoordinateManager(2, BACKEND.kernelMapBuilder());
        SparseTensor x = SparseTensor.of(m, new int[] {0, 0, 0, 0, 1, 1, 0, -1, 0}, new float[] {1f, 3f, 8f}, 1);
        SparseTensor avg = Pooling.pool(PoolMode.AVG, x, fill(2, 2), fill(2, 2), fill(2, 1), BACKEND);
        SparseTensor max = Pooling.pool(PoolMode.MAX, x, fill(2, 2), fill(2, 2), fill(2, 1), BACKEND);
        SparseTensor sum = Pooling.pool(PoolMode.SUM, x, fill(2, 2), fill(2, 2), fill(2, 1), BACKEND);
        assertThat(coordinateSet(avg.coordinates(), 2)).containsExactlyInAnyOrder(List.of(0, 0, 0), List.of(0, -2, 0));
        int o = avg.coordinateMap().find(0, 0, 0);
        int neg = avg.coordinateMap().find(0, -2, 0);
        assertThat(avg.features()[o]).isEqualTo(2f);
        assertThat(avg.features()[neg]).isEqualTo(8f);
        assertThat(max.features()[max.coordinateMap().find(0, 0, 0)]).isEqualTo(3f);
        assertThat(sum.features()[sum.coordinateMap().find(0, 0, 0)]).isEqualTo(4f);
    }

    @ParameterizedTest(name = "D={0} {1}")
    @MethodSource("dimensionsAndModes")
    void globalPoolingGivesOneRowPerBatchAtTheOrigin(int d, PoolMode mode) {
        Random rnd = new Random(400L * d + mode.ordinal());
        SparseTensor x = randomInput(new CoordinateManager(d, BACKEND.kernelMapBuilder()), rnd, d, 7);
        SparseTensor g = Pooling.global(mode, x, BACKEND);
        assertThat(g.tensorStride()).containsExactly(new int[d]);
        Map<Integer, double[]> acc = new LinkedHashMap<>();
        Map<Integer, Integer> count = new LinkedHashMap<>();
        int c = x.channels();
        for (int r = 0; r < x.size(); r++) {
            int b = x.coordinateMap().coordinate(r, 0);
            double[] a = acc.computeIfAbsent(b, k -> {
                double[] init = new double[c];
                if (mode == PoolMode.MAX) Arrays.fill(init, Double.NEGATIVE_INFINITY);
                return init;
            });
            count.merge(b, 1, Integer::sum);
            for (int ch = 0; ch < c; ch++) {
                double v = x.features()[r * c + ch];
                a[ch] = mode == PoolMode.MAX ? Math.max(a[ch], v) : a[ch] + v;
            }
        }
        Map<List<Integer>, double[]> expected = new LinkedHashMap<>();
        acc.forEach((b, a) -> {
            if (mode == PoolMode.AVG) for (int ch = 0; ch < c; ch++) a[ch] /= count.get(b);
            List<Integer> key = new ArrayList<>();
            key.add(b);
            for (int i = 0; i < d; i++) key.add(0);
            expected.put(key, a);
        });
        assertThat(expected).hasSizeGreaterThan(1);
        assertMatches("global " + mode, g, expected);
    }

    @ParameterizedTest(name = "D={0}")
    @MethodSource("dimensions")
    void unpoolingReturnsToTheFinerMapSummingTheCoveringCoarseRows(int d) {
        Random rnd = new Random(500L + d);
        CoordinateManager m = new CoordinateManager(d, BACKEND.kernelMapBuilder());
        SparseTensor x = randomInput(m, rnd, d, 4);
        SparseTensor pooled = Pooling.pool(PoolMode.AVG, x, fill(d, 2), fill(d, 2), fill(d, 1), BACKEND);
        SparseTensor up = Pooling.unpool(pooled, fill(d, 2), fill(d, 2), BACKEND);
        assertThat(up.key()).isEqualTo(x.key());
        // k = s = 2: every fine row gets exactly its parent's features
        Set<List<Integer>> fine = coordinateSet(x.coordinates(), d);
        Map<List<Integer>, double[]> copies = DenseReference.pool(Grid.of(pooled), fine, cube(fill(d, 2)), -1, Pool.SUM);
        assertMatches("unpool k=2 s=2", up, copies);
        Grid coarse = Grid.of(pooled);
        for (List<Integer> f : fine) {
            int[] parent = DenseReference.row(f);
            for (int a = 1; a <= d; a++) parent[a] = Math.floorDiv(parent[a], 2) * 2;
            for (int ch = 0; ch < 4; ch++) assertThat(copies.get(f)[ch]).isEqualTo(coarse.feature(parent, ch));
        }
        SparseTensor up3 = Pooling.unpool(pooled, fill(d, 3), fill(d, 2), BACKEND);
        assertMatches("unpool k=3 s=2", up3, DenseReference.pool(Grid.of(pooled), fine, scale(cube(fill(d, 3)), fill(d, 1), fill(d, 1)), -1, Pool.SUM));
    }

    static Stream<Arguments> dimensions() {
        return Stream.of(arguments(2), arguments(3), arguments(4));
    }
}
