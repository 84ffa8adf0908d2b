package io.minkstream.engine.coords;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minkstream.engine.concurrent.WorkerPool;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Coordinate maps: the wide-key fallback agrees with the packed path, shifted neighbours never
 * wrap around int32 into a false hit, and bad rows are rejected with the row named.
 */
class CoordinateMapTest {
    private static final WorkerPool POOL = new WorkerPool(2);
    private static final int BIG = 1 << 30;

    @AfterAll
    static void close() {
        POOL.close();
    }

    private static CoordinateManager manager(int d) {
        return new CoordinateManager(d, POOL);
    }

    /** A random cluster of D=4 points in {@code [-3,3]^4} for batches 0 and 1. */
    private static int[] cluster(Random rnd) {
        int[] rows = new int[0];
        int n = 0;
        for (int b = 0; b < 2; b++) {
            for (int cell = 0; cell < 7 * 7 * 7 * 7; cell++) {
                if (rnd.nextDouble() > 0.25) continue;
                rows = Arrays.copyOf(rows, (n + 1) * 5);
                rows[n * 5] = b;
                for (int a = 0, rest = cell; a < 4; a++, rest /= 7) rows[n * 5 + a + 1] = rest % 7 - 3;
                n++;
            }
        }
        return rows;
    }

    /** Copies of the cluster moved to each centre, cluster after cluster. */
    private static int[] copies(int[] cluster, int[][] centres) {
        int n = cluster.length / 5;
        int[] out = new int[centres.length * cluster.length];
        for (int j = 0; j < centres.length; j++) {
            for (int r = 0; r < n; r++) {
                int p = (j * n + r) * 5;
                out[p] = cluster[r * 5];
                for (int a = 0; a < 4; a++) out[p + a + 1] = cluster[r * 5 + a + 1] + centres[j][a];
            }
        }
        return out;
    }

    private static void assertSameMap(String what, KernelMap wide, KernelMap packed) {
        assertThat(wide.pairCount()).as(what + ": pair count").isEqualTo(packed.pairCount()).isPositive();
        assertThat(wide.outStart()).as(what + ": output row starts").isEqualTo(packed.outStart());
        assertThat(wide.kernelIndex()).as(what + ": kernel indices").isEqualTo(packed.kernelIndex());
        assertThat(wide.inRow()).as(what + ": input rows").isEqualTo(packed.inRow());
    }

    @Test
    void wideKeysGiveTheSameKernelMapsAsPackedKeysOnShiftedCopies() {
        int[] cluster = cluster(new Random(11));
        // Even multiples of 4 so that flooring to stride 2 commutes with the shift.
        int[][] far = {{BIG, -BIG, BIG - 4, -BIG + 8}, {-BIG, BIG - 4, -BIG, BIG - 8}, {0, 0, 0, 0}, {BIG - 4, BIG - 4, -BIG, -BIG}};
        int[][] near = {{0, 0, 0, 0}, {100, 0, 0, 0}, {0, 100, 0, 0}, {100, 100, 0, 0}};
        int[] wideCoords = copies(cluster, far);
        int[] packedCoords = copies(cluster, near);
        int n = wideCoords.length / 5;
        assertThat(PackedCoordinateIndex.tryCreate(wideCoords, n, 5)).as("±2^30 on 4 axes needs the wide key").isNull();
        assertThat(PackedCoordinateIndex.tryCreate(packedCoords, n, 5)).as("small coordinates pack").isNotNull();

        CoordinateManager wm = manager(4);
        CoordinateManager pm = manager(4);
        CoordinateKey wk = wm.insert(wideCoords, new int[] {1, 1, 1, 1});
        CoordinateKey pk = pm.insert(packedCoords, new int[] {1, 1, 1, 1});
        CoordinateMap wide = wm.map(wk);
        for (int r = 0; r < n; r++) assertThat(wide.find(wideCoords, r * 5)).isEqualTo(r);
        assertThat(wide.find(0, BIG + 3, -BIG, BIG, -BIG)).isEqualTo(-1);

        KernelRegion[] regions = {
            KernelRegion.hyperCube(4, 3),
            KernelRegion.hyperCross(new int[] {5, 5, 5, 3}, new int[] {2, 1, 1, 1}),
            KernelRegion.hybrid(new AxisShape[] {AxisShape.cube(3), AxisShape.cube(3), AxisShape.cube(2), AxisShape.causal(3)}, new int[] {1, 1, 1, 1}),
        };
        for (KernelRegion region : regions) {
            assertSameMap(region + " forward", wm.kernelMap(wk, wk, region, false), pm.kernelMap(pk, pk, region, false));
        }
        int[] two = {2, 2, 2, 2};
        CoordinateKey wCoarse = wm.stride(wk, two);
        CoordinateKey pCoarse = pm.stride(pk, two);
        int[] wc = wm.map(wCoarse).coordinates();
        int[] pc = pm.map(pCoarse).coordinates();
        assertThat(wc).hasSameSizeAs(pc);
        int perCopy = pc.length / 5 / 4;
        for (int r = 0; r < pc.length / 5; r++) {
            int j = r / perCopy;
            for (int a = 0; a < 4; a++) assertThat(wc[r * 5 + a + 1] - pc[r * 5 + a + 1]).isEqualTo(far[j][a] - near[j][a]);
        }
        assertSameMap("stride 2", wm.kernelMap(wk, wCoarse, KernelRegion.hyperCube(4, 3), false), pm.kernelMap(pk, pCoarse, KernelRegion.hyperCube(4, 3), false));
        assertSameMap("transposed", wm.kernelMap(wCoarse, wk, KernelRegion.hyperCube(4, 2), true), pm.kernelMap(pCoarse, pk, KernelRegion.hyperCube(4, 2), true));
        assertSameMap("stride pool", wm.stridePoolMap(wk, wCoarse, two), pm.stridePoolMap(pk, pCoarse, two));
    }

    @Test
    void packedNeighbourBeyondIntRangeIsAMiss() {
        // Rows at both ends of int32 in separate maps (each packs); +1 from MAX and -1 from MIN leave int range.
        int[] top = {0, Integer.MAX_VALUE, 0, Integer.MAX_VALUE - 1};
        int[] bottom = {0, Integer.MIN_VALUE, 0, Integer.MIN_VALUE + 1};
        assertThat(PackedCoordinateIndex.tryCreate(top, 2, 2)).isNotNull();
        CoordinateManager m = manager(1);
        CoordinateKey kt = m.insert(top, new int[] {1});
        CoordinateKey kb = m.insert(bottom, new int[] {1});
        int[] rows = new int[3];
        m.map(kt).findNeighbours(top, 0, new int[] {1, 0, -1}, 3, 1, rows);
        assertThat(rows).as("neighbours of MAX at +1, 0, -1").containsExactly(-1, 0, 1);
        m.map(kb).findNeighbours(bottom, 0, new int[] {1, 0, -1}, 3, -1, rows);
        assertThat(rows).as("neighbours of MIN at -1, 0, +1").containsExactly(-1, 0, 1);
        KernelMap km = m.kernelMap(kt, kt, KernelRegion.hyperCube(1, 3), false);
        assertThat(km.pairCount()).isEqualTo(4);
        assertThat(km.kernelIndex()).containsExactly(0, 1, 1, 2);
    }

    @Test
    void wideNeighbourBeyondIntRangeIsAMissNotAWrappedHit() {
        int[] coords = {0, Integer.MAX_VALUE, Integer.MAX_VALUE, 0, Integer.MIN_VALUE, Integer.MIN_VALUE, 0, 0, 0};
        assertThat(PackedCoordinateIndex.tryCreate(coords, 3, 3)).as("two 32-bit axes need the wide key").isNull();
        CoordinateManager m = manager(2);
        CoordinateKey k = m.insert(coords, new int[] {1, 1});
        KernelMap km = m.kernelMap(k, k, KernelRegion.hyperCube(2, 3), false);
        assertThat(km.pairCount()).as("only the centre pairs, no (MAX,MAX)+(1,1) -> (MIN,MIN)").isEqualTo(3);
        assertThat(km.kernelIndex()).containsOnly(4);
        KernelMap transposed = m.kernelMap(k, k, KernelRegion.hyperCube(2, 3), true);
        assertThat(transposed.pairCount()).isEqualTo(3);
        int[] rows = new int[1];
        m.map(k).findNeighbours(coords, 0, new int[] {1, 1}, 1, 1, rows);
        assertThat(rows[0]).isEqualTo(-1);
    }

    @Test
    void duplicatesAreRejectedNamingBothRows() {
        int[] packed = {0, 1, -2, 0, 5, 5, 1, 1, -2, 0, 1, -2};
        assertThatThrownBy(() -> CoordinateMap.of(packed, 2, new int[] {1, 1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duplicate coordinate [0, 1, -2] at rows 0 and 3");
        int[] wide = {0, BIG, -BIG, 0, -BIG, BIG, 0, 7, 7, 0, -BIG, BIG};
        assertThatThrownBy(() -> CoordinateMap.of(wide, 2, new int[] {1, 1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duplicate coordinate [0, " + -BIG + ", " + BIG + "] at rows 1 and 3");
    }

    @Test
    void coordinatesOffTheTensorStrideAreRejectedNamingRowAndAxis() {
        int[] coords = {0, 2, 4, 1, -4, 0, 0, 2, 3};
        assertThatThrownBy(() -> CoordinateMap.of(coords, 2, new int[] {2, 2}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("coordinate [0, 2, 3] (row 2) is not a multiple of the tensor stride [2, 2] on axis 1");
        int[] negative = {0, -4, 0, 0, -3, 0};
        assertThatThrownBy(() -> CoordinateMap.of(negative, 2, new int[] {2, 2}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(row 1)").hasMessageContaining("on axis 0");
        assertThat(CoordinateMap.of(new int[] {0, -4, 6, 1, -2, -6}, 2, new int[] {2, 3}).size()).isEqualTo(2);
    }

    @Test
    void uniqueKeepsFirstAppearanceOrderAndFillsTheInverse() {
        int[] coords = {0, 1, 1, 0, -1, 2, 0, 1, 1, 1, 1, 1, 0, -1, 2};
        int[] inverse = new int[5];
        CoordinateMap m = CoordinateMap.unique(coords, 2, new int[] {1, 1}, inverse);
        assertThat(m.size()).isEqualTo(3);
        assertThat(m.coordinates()).containsExactly(0, 1, 1, 0, -1, 2, 1, 1, 1);
        assertThat(inverse).containsExactly(0, 1, 0, 2, 1);
    }
}
