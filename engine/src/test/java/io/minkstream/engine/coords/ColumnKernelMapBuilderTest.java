package io.minkstream.engine.coords;

import static org.assertj.core.api.Assertions.assertThat;

import io.minkstream.engine.concurrent.WorkerPool;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The column-wise kernel map (same map in and out) against a plain lookup per (row, offset):
 * product regions (cube, hybrid), regions that are not products (cross, union, custom), a last
 * axis short enough for the bit-set path and one long enough for the merge path, both signs,
 * dilation and tensor stride, one and two threads.
 */
class ColumnKernelMapBuilderTest {
    private static final WorkerPool ONE = new WorkerPool(1);
    private static final WorkerPool TWO = new WorkerPool(2);

    @AfterAll
    static void close() {
        ONE.close();
        TWO.close();
    }

    @Test
    void columnMapsEqualPlainLookupsForEveryRegionKind() {
        Random rnd = new Random(5);
        for (int d = 1; d <= 4; d++) {
            for (int lastSpan : new int[] {9, 200}) {
                int[] stride = KernelRegion.fill(d, 1);
                CoordinateMap map = CoordinateMap.of(randomRows(rnd, d, 6, lastSpan, 1, 0.3), d, stride);
                for (KernelRegion region : regions(d, rnd)) {
                    for (int sign : new int[] {1, -1}) {
                        int[] offsets = region.offsets(stride);
                        KernelMap want = plainLookup(map, offsets, region.volume(), sign);
                        for (WorkerPool pool : new WorkerPool[] {ONE, TWO}) {
                            KernelMap got = new ColumnKernelMapBuilder(pool).build(map, offsets, region.volume(), sign);
                            assertSame(region + " D=" + d + " last span " + lastSpan + " sign " + sign, want, got);
                        }
                    }
                }
            }
        }
    }

    @Test
    void tensorStrideAndDilationScaleTheColumnSteps() {
        Random rnd = new Random(8);
        int[] stride = {2, 2, 4};
        CoordinateMap map = CoordinateMap.of(randomRows(rnd, 3, 5, 12, 2, 0.4), 3, stride);
        KernelRegion region = KernelRegion.hyperCube(new int[] {3, 3, 3}, new int[] {1, 2, 1});
        int[] offsets = region.offsets(stride);
        assertSame("stride 2,2,4 dilation 1,2,1", plainLookup(map, offsets, region.volume(), 1),
                new ColumnKernelMapBuilder(TWO).build(map, offsets, region.volume(), 1));
    }

    @Test
    void aSingleRowAndAnEmptyMapWork() {
        CoordinateMap one = CoordinateMap.of(new int[] {3, -7, 9}, 2, new int[] {1, 1});
        KernelRegion cube = KernelRegion.hyperCube(2, 3);
        KernelMap m = new ColumnKernelMapBuilder(ONE).build(one, cube.offsets(new int[] {1, 1}), 9, 1);
        assertThat(m.pairCount()).isEqualTo(1);
        assertThat(m.kernelIndex()).containsExactly(4);
        CoordinateMap none = CoordinateMap.of(new int[0], 2, new int[] {1, 1});
        assertThat(new ColumnKernelMapBuilder(ONE).build(none, cube.offsets(new int[] {1, 1}), 9, 1).pairCount()).isZero();
    }

    private static KernelRegion[] regions(int d, Random rnd) {
        int[] ones = KernelRegion.fill(d, 1);
        AxisShape[] hybrid = new AxisShape[d];
        for (int a = 0; a < d; a++) hybrid[a] = a == d - 1 ? AxisShape.causal(3) : AxisShape.cube(3);
        int[][] custom = new int[7][d];
        for (int[] o : custom) {
            for (int a = 0; a < d; a++) o[a] = rnd.nextInt(5) - 2;
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        custom = Arrays.stream(custom).filter(o -> seen.add(Arrays.toString(o))).toArray(int[][]::new);
        return new KernelRegion[] {
            KernelRegion.hyperCube(d, 3),
            KernelRegion.hyperCube(d, 2),
            KernelRegion.hyperCross(KernelRegion.fill(d, 3), ones),
            KernelRegion.hybrid(hybrid, ones),
            KernelRegion.union(KernelRegion.hyperCube(d, 3), KernelRegion.hyperCross(KernelRegion.fill(d, 5), ones)),
            KernelRegion.custom(custom),
        };
    }

    /** Rows in {@code [-r, r]} on every axis but the last, {@code [-span/2, span/2)} on the last, batches 0 and 2. */
    private static int[] randomRows(Random rnd, int d, int r, int lastSpan, int scale, double density) {
        java.util.LinkedHashSet<String> seen = new java.util.LinkedHashSet<>();
        int[] rows = new int[0];
        int n = 0;
        int target = (int) Math.min(400, 2 * Math.pow(2 * r + 1, d - 1) * lastSpan / 3);
        while (n < target) {
            int[] row = new int[d + 1];
            row[0] = rnd.nextBoolean() ? 0 : 2;
            for (int a = 1; a <= d; a++) {
                int v = a == d ? rnd.nextInt(lastSpan) - lastSpan / 2 : rnd.nextInt(2 * r + 1) - r;
                row[a] = v * scale * (a == d && scale > 1 ? 2 : 1);
            }
            if (rnd.nextDouble() > density || !seen.add(Arrays.toString(row))) continue;
            rows = Arrays.copyOf(rows, (n + 1) * (d + 1));
            System.arraycopy(row, 0, rows, n * (d + 1), d + 1);
            n++;
        }
        return rows;
    }

    private static KernelMap plainLookup(CoordinateMap map, int[] offsets, int kernelVolume, int sign) {
        int d = map.dimension();
        int n = map.size();
        int[][] in = new int[kernelVolume][];
        int[][] out = new int[kernelVolume][];
        int[] q = new int[d + 1];
        for (int k = 0; k < kernelVolume; k++) {
            int[] ins = new int[n];
            int[] outs = new int[n];
            int count = 0;
            for (int o = 0; o < n; o++) {
                q[0] = map.coordinate(o, 0);
                for (int a = 1; a <= d; a++) q[a] = map.coordinate(o, a) + sign * offsets[k * d + a - 1];
                int i = map.find(q, 0);
                if (i >= 0) {
                    ins[count] = i;
                    outs[count++] = o;
                }
            }
            in[k] = Arrays.copyOf(ins, count);
            out[k] = Arrays.copyOf(outs, count);
        }
        return KernelMap.fromPerOffset(n, n, in, out);
    }

    private static void assertSame(String what, KernelMap want, KernelMap got) {
        assertThat(got.outStart()).as(what + ": row starts").isEqualTo(want.outStart());
        assertThat(got.kernelIndex()).as(what + ": kernel indices").isEqualTo(want.kernelIndex());
        assertThat(got.inRow()).as(what + ": input rows").isEqualTo(want.inRow());
    }
}
