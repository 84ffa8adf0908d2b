package io.minkstream.engine.ops;

import static io.minkstream.engine.ops.DenseReference.assertMatches;
import static io.minkstream.engine.ops.DenseReference.coordinateSet;
import static io.minkstream.engine.ops.DenseReference.cross;
import static io.minkstream.engine.ops.DenseReference.cube;
import static io.minkstream.engine.ops.DenseReference.floorSet;
import static io.minkstream.engine.ops.DenseReference.generatedSet;
import static io.minkstream.engine.ops.DenseReference.product;
import static io.minkstream.engine.ops.DenseReference.scale;
import static io.minkstream.engine.ops.DenseReference.steps;
import static io.minkstream.engine.ops.SparseGrids.fill;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.minkstream.engine.backend.CpuBackend;
import io.minkstream.engine.coords.AxisShape;
import io.minkstream.engine.coords.CoordinateManager;
import io.minkstream.engine.coords.KernelRegion;
import io.minkstream.engine.ops.DenseReference.Grid;
import io.minkstream.engine.tensor.SparseTensor;
import java.util.ArrayList;
import java.util.Arrays;
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
 * Every convolution kind against a brute-force dense convolution on small random sparse grids
 * (D = 2, 3, 4; negative coordinates; several batch indices; channel counts that hit the vector
 * kernel's 32-wide blocks, single vectors and masked tails). The reference enumerates its own
 * offsets, so a wrong offset order, centre, dilation or stride in the engine fails here.
 */
class ConvolutionDenseReferenceTest {
    private static final CpuBackend BACKEND = new CpuBackend(2);
    private static final int[] BATCHES = {0, 1, 3};

    @AfterAll
    static void close() {
        BACKEND.close();
    }

    /** (D, Cin, Cout): random small counts per D, then the vector tails 8, 16, 33. */
    static Stream<Arguments> shapes() {
        Random r = new Random(7);
        List<Arguments> a = new ArrayList<>();
        for (int d = 2; d <= 4; d++) {
            a.add(arguments(d, 1 + r.nextInt(7), 1 + r.nextInt(7)));
            a.add(arguments(d, 1 + r.nextInt(7), 1 + r.nextInt(7)));
        }
        a.add(arguments(2, 8, 16));
        a.add(arguments(2, 33, 5));
        a.add(arguments(3, 16, 33));
        a.add(arguments(3, 3, 40));
        a.add(arguments(4, 7, 33));
        return a.stream();
    }

    static Stream<Arguments> dimensions() {
        return Stream.of(arguments(2), arguments(3), arguments(4));
    }

    private static SparseTensor randomInput(CoordinateManager m, Random rnd, int d, int channels, int[] ts) {
        return switch (d) {
            case 2 -> SparseGrids.tensor(m, rnd, BATCHES, -6, 6, 0.35, ts, channels);
            case 3 -> SparseGrids.tensor(m, rnd, BATCHES, -4, 4, 0.25, ts, channels);
            default -> SparseGrids.tensor(m, rnd, new int[] {0, 2}, -3, 3, 0.18, ts, channels);
        };
    }

    private static CoordinateManager manager(int d) {
        return new CoordinateManager(d, BACKEND.kernelMapBuilder());
    }

    /**
     * Runs a (strided) convolution and compares it with the dense reference. The output set is
     * the input set for stride 1, else the floored input set at {@code ts_in * stride}.
     */
    private static SparseTensor checkConvolution(String what, SparseTensor x, KernelRegion region, List<int[]> unitSteps, int[] dilation,
                                                 int[] stride, int cOut, boolean withBias, Random rnd) {
        int d = x.dimension();
        int[] tsIn = x.tensorStride();
        float[] w = SparseGrids.values(rnd, unitSteps.size() * x.channels() * cOut);
        float[] bias = withBias ? SparseGrids.values(rnd, cOut) : null;
        assertThat(region.volume()).as(what + ": kernel volume").isEqualTo(unitSteps.size());

        SparseTensor y = Convolution.convolution(x, w, cOut, bias, region, stride, BACKEND);

        int[] tsOut = new int[d];
        for (int a = 0; a < d; a++) tsOut[a] = tsIn[a] * stride[a];
        Set<List<Integer>> outSet = Arrays.equals(tsOut, tsIn) ? coordinateSet(x.coordinates(), d) : floorSet(x.coordinates(), d, tsOut);
        Map<List<Integer>, double[]> ref = DenseReference.convolution(Grid.of(x), outSet, scale(unitSteps, dilation, tsIn), 1, w, cOut, bias);
        assertThat(y.tensorStride()).as(what + ": output tensor stride").containsExactly(tsOut);
        assertMatches(what, y, ref);
        return y;
    }

    @ParameterizedTest(name = "D={0} Cin={1} Cout={2}")
    @MethodSource("shapes")
    void hyperCubeOfSizeThree(int d, int cIn, int cOut) {
        Random rnd = new Random(1000L * d + 10L * cIn + cOut);
        SparseTensor x = randomInput(manager(d), rnd, d, cIn, fill(d, 1));
        checkConvolution("cube k=3", x, KernelRegion.hyperCube(d, 3), cube(fill(d, 3)), fill(d, 1), fill(d, 1), cOut, true, rnd);
    }

    @ParameterizedTest(name = "D={0} Cin={1} Cout={2}")
    @MethodSource("shapes")
    void hyperCubeOfSizeTwoIsNotCentred(int d, int cIn, int cOut) {
        Random rnd = new Random(2000L * d + 10L * cIn + cOut);
        SparseTensor x = randomInput(manager(d), rnd, d, cIn, fill(d, 1));
        checkConvolution("cube k=2", x, KernelRegion.hyperCube(d, 2), cube(fill(d, 2)), fill(d, 1), fill(d, 1), cOut, false, rnd);
    }

    /** Thousands of rows (several 512-row output tiles) and output widths that reach every register tile and the masked tail. */
    @ParameterizedTest(name = "Cin={0} Cout={1}")
    @org.junit.jupiter.params.provider.CsvSource({"5,70", "3,100", "16,48", "7,17"})
    void largeTensorWithWideOutputs(int cIn, int cOut) {
        Random rnd = new Random(2500L + cOut);
        SparseTensor x = SparseGrids.tensor(manager(3), rnd, new int[] {0, 1}, -8, 8, 0.35, fill(3, 1), cIn);
        assertThat(x.size()).isGreaterThan(3 * 512);
        checkConvolution("large cube k=3", x, KernelRegion.hyperCube(3, 3), cube(3, 3, 3), fill(3, 1), fill(3, 1), cOut, true, rnd);
    }

    @ParameterizedTest(name = "D={0}")
    @MethodSource("dimensions")
    void hyperCrossOfSizeThreeAndFive(int d) {
        Random rnd = new Random(3000L + d);
        SparseTensor x = randomInput(manager(d), rnd, d, 5, fill(d, 1));
        checkConvolution("cross k=3", x, KernelRegion.hyperCross(fill(d, 3), fill(d, 1)), cross(fill(d, 3)), fill(d, 1), fill(d, 1), 6, true, rnd);
        checkConvolution("cross k=5", x, KernelRegion.hyperCross(fill(d, 5), fill(d, 1)), cross(fill(d, 5)), fill(d, 1), fill(d, 1), 3, false, rnd);
    }

    @ParameterizedTest(name = "D={0}")
    @MethodSource("dimensions")
    void uniformAndPerAxisDilation(int d) {
        Random rnd = new Random(4000L + d);
        SparseTensor x = randomInput(manager(d), rnd, d, 4, fill(d, 1));
        checkConvolution("cube k=3 dilation 2", x, KernelRegion.hyperCube(fill(d, 3), fill(d, 2)), cube(fill(d, 3)), fill(d, 2), fill(d, 1), 5, false, rnd);
        int[] perAxis = d == 2 ? new int[] {2, 1} : d == 3 ? new int[] {1, 2, 3} : new int[] {1, 2, 1, 3};
        checkConvolution("cube k=3 dilation " + Arrays.toString(perAxis), x, KernelRegion.hyperCube(fill(d, 3), perAxis), cube(fill(d, 3)),
                perAxis, fill(d, 1), 3, true, rnd);
        int[] ks = d == 2 ? new int[] {3, 2} : d == 3 ? new int[] {2, 3, 1} : new int[] {3, 1, 2, 3};
        checkConvolution("cube k=" + Arrays.toString(ks) + " dilation " + Arrays.toString(perAxis), x, KernelRegion.hyperCube(ks, perAxis),
                cube(ks), perAxis, fill(d, 1), 2, false, rnd);
    }

    @ParameterizedTest(name = "D={0}")
    @MethodSource("dimensions")
    void strideTwoFloorsCoordinatesAndThenConvolvesAtTheCoarserStride(int d) {
        Random rnd = new Random(5000L + d);
        CoordinateManager m = manager(d);
        SparseTensor x = randomInput(m, rnd, d, 3, fill(d, 1));
        SparseTensor y = checkConvolution("cube k=3 stride 2", x, KernelRegion.hyperCube(d, 3), cube(fill(d, 3)), fill(d, 1), fill(d, 2), 8, true, rnd);
        // Negative coordinates floor toward -inf: some input has an odd negative coordinate, so -1 -> -2 is exercised.
        boolean oddNegative = false;
        for (int r = 0; r < x.size(); r++) oddNegative |= x.coordinateMap().coordinate(r, 1) == -1;
        assertThat(oddNegative).as("an input at x = -1 (floors to -2)").isTrue();
        for (int r = 0; r < y.size(); r++) {
            for (int a = 1; a <= d; a++) assertThat(y.coordinateMap().coordinate(r, a) % 2).as("output coordinates are even").isZero();
        }
        // On the stride-2 map the kernel steps by 2 (dilation 1) and by 4 (dilation 2); k=2 stride 2 gathers the 2^D children.
        checkConvolution("cube k=3 on tensor stride 2", y, KernelRegion.hyperCube(d, 3), cube(fill(d, 3)), fill(d, 1), fill(d, 1), 4, false, rnd);
        checkConvolution("cube k=3 dilation 2 on tensor stride 2", y, KernelRegion.hyperCube(fill(d, 3), fill(d, 2)), cube(fill(d, 3)),
                fill(d, 2), fill(d, 1), 4, false, rnd);
        SparseTensor x2 = randomInput(manager(d), rnd, d, 6, fill(d, 1));
        checkConvolution("cube k=2 stride 2", x2, KernelRegion.hyperCube(d, 2), cube(fill(d, 2)), fill(d, 1), fill(d, 2), 7, true, rnd);
    }

    @Test
    void perAxisStrideKeepsTheUnstridedAxis() {
        Random rnd = new Random(5100);
        SparseTensor x = randomInput(manager(3), rnd, 3, 5, fill(3, 1));
        SparseTensor y = checkConvolution("cube k=3 stride [2,2,1]", x, KernelRegion.hyperCube(3, 3), cube(3, 3, 3), fill(3, 1),
                new int[] {2, 2, 1}, 6, true, rnd);
        assertThat(coordinateSet(y.coordinates(), 3)).isEqualTo(floorSet(x.coordinates(), 3, new int[] {2, 2, 1}));
        // the third axis keeps its odd values
        assertThat(coordinateSet(y.coordinates(), 3).stream().anyMatch(c -> c.get(3) % 2 != 0)).isTrue();
        checkConvolution("cube k=[2,2,1] stride [2,2,1] in 4-D", randomInput(manager(4), rnd, 4, 3, fill(4, 1)), KernelRegion.hyperCube(new int[] {2, 2, 2, 1}, fill(4, 1)),
                cube(2, 2, 2, 1), fill(4, 1), new int[] {2, 2, 2, 1}, 4, false, rnd);
    }

    @Test
    void strideThreeWithKernelThreeKeepsACentredWindowAndAnEmptyWindowGetsOnlyTheBias() {
        CoordinateManager m = manager(2);
        // [0,2,0] floors to [0,0,0] at stride 3, but lies outside that output's centred window {-1,0,1}^2.
        SparseTensor x = SparseTensor.of(m, new int[] {0, 2, 0, 0, 4, 1}, new float[] {1f, 2f}, 1);
        float[] w = new float[9];
        Arrays.fill(w, 1f);
        SparseTensor y = Convolution.convolution(x, w, 1, new float[] {0.5f}, KernelRegion.hyperCube(2, 3), new int[] {3, 3}, BACKEND);
        assertThat(coordinateSet(y.coordinates(), 2)).containsExactlyInAnyOrder(List.of(0, 0, 0), List.of(0, 3, 0));
        int origin = y.coordinateMap().find(0, 0, 0);
        int three = y.coordinateMap().find(0, 3, 0);
        assertThat(y.features()[origin]).isEqualTo(0.5f);
        // output [3,0] gathers [2,0] (offset -1,0) and [4,1] (offset +1,+1)
        assertThat(y.features()[three]).isEqualTo(3.5f);
    }

    @Test
    void hybridCubeInSpaceTimesCausalInTime() {
        Random rnd = new Random(6000);
        SparseTensor x = randomInput(manager(4), rnd, 4, 4, fill(4, 1));
        AxisShape c3 = AxisShape.cube(3);
        KernelRegion region = KernelRegion.hybrid(new AxisShape[] {c3, c3, c3, AxisShape.causal(3)}, fill(4, 1));
        List<int[]> ref = product(steps(-1, 0, 1), steps(-1, 0, 1), steps(-1, 0, 1), steps(-2, -1, 0));
        checkConvolution("hybrid cube(3)^3 x causal(3)", x, region, ref, fill(4, 1), fill(4, 1), 6, true, rnd);

        KernelRegion crossInTime = KernelRegion.hybrid(new AxisShape[] {c3, c3, c3, AxisShape.cross(3)}, new int[] {1, 1, 1, 2});
        List<int[]> crossRef = product(steps(-1, 0, 1), steps(-1, 0, 1), steps(-1, 0, 1), steps(0, 1, -1));
        checkConvolution("hybrid cube(3)^3 x cross(3) dilated in time", x, crossInTime, crossRef, new int[] {1, 1, 1, 2}, fill(4, 1), 3, false, rnd);
    }

    @Test
    void unionOfSpatialCubeAndTemporalCrossIsTheTwentyNineOffsetKernel() {
        Random rnd = new Random(6100);
        SparseTensor x = randomInput(manager(4), rnd, 4, 5, fill(4, 1));
        KernelRegion region = KernelRegion.union(KernelRegion.hyperCube(new int[] {3, 3, 3, 1}, fill(4, 1)),
                KernelRegion.hyperCross(new int[] {1, 1, 1, 3}, fill(4, 1)));
        List<int[]> ref = new ArrayList<>(cube(3, 3, 3, 1));
        ref.add(new int[] {0, 0, 0, 1});
        ref.add(new int[] {0, 0, 0, -1});
        assertThat(region.volume()).isEqualTo(29);
        checkConvolution("union cube[3,3,3,1] + cross[1,1,1,3]", x, region, ref, fill(4, 1), fill(4, 1), 8, true, rnd);
    }

    @ParameterizedTest(name = "D={0}")
    @MethodSource("dimensions")
    void causalKernelNeverReadsTheFuture(int d) {
        Random rnd = new Random(7000L + d);
        SparseTensor x = randomInput(manager(d), rnd, d, 3, fill(d, 1));
        AxisShape[] shapes = new AxisShape[d];
        for (int a = 0; a < d - 1; a++) shapes[a] = AxisShape.cube(3);
        shapes[d - 1] = AxisShape.causal(3);
        KernelRegion causal = KernelRegion.hybrid(shapes, fill(d, 1));
        int[][] perAxis = new int[d][];
        for (int a = 0; a < d - 1; a++) perAxis[a] = steps(-1, 0, 1);
        perAxis[d - 1] = steps(-2, -1, 0);
        checkConvolution("causal D=" + d, x, causal, product(perAxis), fill(d, 1), fill(d, 1), 4, true, rnd);

        float[] w = SparseGrids.values(rnd, causal.volume() * 3 * 4);
        int t0 = 0;
        float[] perturbed = perturbAfter(x, t0, rnd);
        SparseTensor before = Convolution.convolution(x, w, 4, null, causal, fill(d, 1), BACKEND);
        SparseTensor after = Convolution.convolution(x.withFeatures(perturbed, 3), w, 4, null, causal, fill(d, 1), BACKEND);
        int changedLater = 0;
        for (int r = 0; r < before.size(); r++) {
            int t = before.coordinateMap().coordinate(r, d);
            float[] b = Arrays.copyOfRange(before.features(), r * 4, r * 4 + 4);
            float[] a = Arrays.copyOfRange(after.features(), r * 4, r * 4 + 4);
            if (t <= t0) {
                assertThat(a).as("output at t=%d row %d after changing inputs at t > %d", t, r, t0).containsExactly(b);
            } else if (!Arrays.equals(a, b)) {
                changedLater++;
            }
        }
        assertThat(changedLater).as("outputs after t0 do see the perturbation").isPositive();

        // Negative control: the same check with a symmetric window in time does see the future.
        KernelRegion symmetric = KernelRegion.hyperCube(d, 3);
        float[] ws = SparseGrids.values(rnd, symmetric.volume() * 3 * 4);
        SparseTensor sb = Convolution.convolution(x, ws, 4, null, symmetric, fill(d, 1), BACKEND);
        SparseTensor sa = Convolution.convolution(x.withFeatures(perturbed, 3), ws, 4, null, symmetric, fill(d, 1), BACKEND);
        boolean leaked = false;
        for (int r = 0; r < sb.size(); r++) {
            if (sb.coordinateMap().coordinate(r, d) == t0
                    && !Arrays.equals(Arrays.copyOfRange(sb.features(), r * 4, r * 4 + 4), Arrays.copyOfRange(sa.features(), r * 4, r * 4 + 4))) {
                leaked = true;
            }
        }
        assertThat(leaked).as("a centred kernel at t0 reads t0+1 (so the causal check above is meaningful)").isTrue();
    }

    private static float[] perturbAfter(SparseTensor x, int t0, Random rnd) {
        float[] f = x.features().clone();
        int c = x.channels();
        int d = x.dimension();
        for (int r = 0; r < x.size(); r++) {
            if (x.coordinateMap().coordinate(r, d) > t0) {
                for (int ch = 0; ch < c; ch++) f[r * c + ch] += 1f + rnd.nextFloat();
            }
        }
        return f;
    }

    @ParameterizedTest(name = "D={0}")
    @MethodSource("dimensions")
    void transposedConvolutionLandsOnTheExistingFinerMap(int d) {
        Random rnd = new Random(8000L + d);
        CoordinateManager m = manager(d);
        SparseTensor x = randomInput(m, rnd, d, 3, fill(d, 1));
        for (int k : new int[] {2, 3}) {
            SparseTensor coarse = Convolution.convolution(x, SparseGrids.values(rnd, (int) Math.pow(k, d) * 3 * 5), 5, null,
                    KernelRegion.hyperCube(d, k), fill(d, 2), BACKEND);
            int cOut = k == 2 ? 4 : 9;
            float[] w = SparseGrids.values(rnd, (int) Math.pow(k, d) * 5 * cOut);
            float[] bias = SparseGrids.values(rnd, cOut);
            SparseTensor up = Convolution.transposed(coarse, w, cOut, bias, KernelRegion.hyperCube(d, k), fill(d, 2), false, BACKEND);
            assertThat(up.key()).as("lands on the input's map").isEqualTo(x.key());
            assertThat(up.tensorStride()).containsExactly(fill(d, 1));
            Map<List<Integer>, double[]> ref = DenseReference.convolution(Grid.of(coarse), coordinateSet(x.coordinates(), d),
                    scale(cube(fill(d, k)), fill(d, 1), fill(d, 1)), -1, w, cOut, bias);
            assertMatches("transposed k=" + k + " s=2 onto the finer map", up, ref);
        }
    }

    @Test
    void transposedWithPerAxisStrideLandsOnTheFinerMap() {
        Random rnd = new Random(8100);
        CoordinateManager m = manager(3);
        SparseTensor x = randomInput(m, rnd, 3, 4, fill(3, 1));
        int[] stride = {2, 2, 1};
        SparseTensor coarse = Convolution.convolution(x, SparseGrids.values(rnd, 27 * 4 * 4), 4, null, KernelRegion.hyperCube(3, 3), stride, BACKEND);
        KernelRegion region = KernelRegion.hyperCube(new int[] {2, 2, 1}, fill(3, 1));
        float[] w = SparseGrids.values(rnd, 4 * 4 * 6);
        SparseTensor up = Convolution.transposed(coarse, w, 6, null, region, stride, false, BACKEND);
        assertThat(up.key()).isEqualTo(x.key());
        assertMatches("transposed k=[2,2,1] s=[2,2,1]", up,
                DenseReference.convolution(Grid.of(coarse), coordinateSet(x.coordinates(), 3), cube(2, 2, 1), -1, w, 6, null));
    }

    @ParameterizedTest(name = "D={0}")
    @MethodSource("dimensions")
    void generativeTransposedConvolutionCreatesEveryInputPlusOffset(int d) {
        Random rnd = new Random(9000L + d);
        for (int k : new int[] {2, 3}) {
            CoordinateManager m = manager(d);
            SparseTensor coarse = randomInput(m, rnd, d, 4, fill(d, 2));
            int cOut = 3;
            float[] w = SparseGrids.values(rnd, (int) Math.pow(k, d) * 4 * cOut);
            float[] bias = SparseGrids.values(rnd, cOut);
            List<int[]> offsets = scale(cube(fill(d, k)), fill(d, 1), fill(d, 1));
            Set<List<Integer>> expected = generatedSet(coarse.coordinates(), d, offsets);
            SparseTensor up = Convolution.transposed(coarse, w, cOut, bias, KernelRegion.hyperCube(d, k), fill(d, 2), true, BACKEND);
            assertThat(up.tensorStride()).containsExactly(fill(d, 1));
            assertThat(coordinateSet(up.coordinates(), d)).as("generated coordinates, k=" + k).isEqualTo(expected);
            if (k == 2) assertThat(up.size()).as("2^D children per coarse voxel").isEqualTo(coarse.size() << d);
            assertMatches("generative transposed k=" + k, up, DenseReference.convolution(Grid.of(coarse), expected, offsets, -1, w, cOut, bias));

            // A plain transposed convolution on a manager without a finer map generates the same coordinates.
            SparseTensor plain = Convolution.transposed(SparseTensor.of(manager(d), coarse.coordinates().clone(), fill(d, 2), coarse.features(), 4),
                    w, cOut, bias, KernelRegion.hyperCube(d, k), fill(d, 2), false, BACKEND);
            assertMatches("transposed on a fresh manager k=" + k, plain, DenseReference.convolution(Grid.of(coarse), expected, offsets, -1, w, cOut, bias));
        }
    }

    @Test
    void generativeTransposedGeneratesEvenWhenTheFinerMapExists() {
        Random rnd = new Random(9100);
        CoordinateManager m = manager(3);
        SparseTensor x = randomInput(m, rnd, 3, 2, fill(3, 1));
        SparseTensor coarse = Convolution.convolution(x, SparseGrids.values(rnd, 8 * 2 * 3), 3, null, KernelRegion.hyperCube(3, 2), fill(3, 2), BACKEND);
        float[] w = SparseGrids.values(rnd, 8 * 3 * 2);
        SparseTensor up = Convolution.transposed(coarse, w, 2, null, KernelRegion.hyperCube(3, 2), fill(3, 2), true, BACKEND);
        Set<List<Integer>> expected = generatedSet(coarse.coordinates(), 3, cube(2, 2, 2));
        assertThat(up.key()).isNotEqualTo(x.key());
        assertThat(expected).hasSizeGreaterThan(x.size());
        assertMatches("generative transposed with an existing finer map", up,
                DenseReference.convolution(Grid.of(coarse), expected, cube(2, 2, 2), -1, w, 2, null));
    }

    @ParameterizedTest(name = "D={0}")
    @MethodSource("dimensions")
    void channelwiseConvolutionDoesNotMixChannels(int d) {
        Random rnd = new Random(10_000L + d);
        int c = d == 3 ? 33 : 5;
        SparseTensor x = randomInput(manager(d), rnd, d, c, fill(d, 1));
        for (int[] stride : new int[][] {fill(d, 1), fill(d, 2)}) {
            KernelRegion region = KernelRegion.hyperCube(d, 3);
            float[] w = SparseGrids.values(rnd, region.volume() * c);
            float[] bias = SparseGrids.values(rnd, c);
            SparseTensor y = Convolution.channelwise(x, w, bias, region, stride, BACKEND);
            int[] tsOut = stride;
            Set<List<Integer>> outSet = stride[0] == 1 ? coordinateSet(x.coordinates(), d) : floorSet(x.coordinates(), d, tsOut);
            assertMatches("channelwise stride " + Arrays.toString(stride), y,
                    DenseReference.channelwise(Grid.of(x), outSet, cube(fill(d, 3)), w, bias));
        }
        KernelRegion crossRegion = KernelRegion.hyperCross(fill(d, 3), fill(d, 2));
        float[] w = SparseGrids.values(rnd, crossRegion.volume() * c);
        assertMatches("channelwise cross dilation 2", Convolution.channelwise(x, w, null, crossRegion, fill(d, 1), BACKEND),
                DenseReference.channelwise(Grid.of(x), coordinateSet(x.coordinates(), d), scale(cross(fill(d, 3)), fill(d, 2), fill(d, 1)), w, null));
    }

    @Test
    void biasIsAddedToEveryOutputRowAfterTheKernelSum() {
        Random rnd = new Random(11_000);
        SparseTensor x = randomInput(manager(2), rnd, 2, 3, fill(2, 1));
        float[] w = SparseGrids.values(rnd, 9 * 3 * 4);
        float[] bias = {10f, -20f, 0.25f, 3f};
        SparseTensor with = Convolution.convolution(x, w, 4, bias, KernelRegion.hyperCube(2, 3), fill(2, 1), BACKEND);
        SparseTensor without = Convolution.convolution(x, w, 4, null, KernelRegion.hyperCube(2, 3), fill(2, 1), BACKEND);
        for (int i = 0; i < with.features().length; i++) {
            assertThat((double) with.features()[i]).isCloseTo(without.features()[i] + bias[i % 4], org.assertj.core.api.Assertions.within(1e-4));
        }
    }
}
