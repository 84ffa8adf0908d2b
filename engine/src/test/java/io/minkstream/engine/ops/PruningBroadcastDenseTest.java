package io.minkstream.engine.ops;

import static io.minkstream.engine.ops.SparseGrids.fill;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.minkstream.engine.backend.CpuBackend;
import io.minkstream.engine.backend.PoolMode;
import io.minkstream.engine.coords.CoordinateManager;
import io.minkstream.engine.tensor.SparseTensor;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Pruning by a mask, broadcast with a global feature, and the dense export. */
class PruningBroadcastDenseTest {
    private static final CpuBackend BACKEND = new CpuBackend(2);

    @AfterAll
    static void close() {
        BACKEND.close();
    }

    @Test
    void pruningKeepsMaskedRowsInOrder() {
        Random rnd = new Random(1);
        SparseTensor x = SparseGrids.tensor(new CoordinateManager(2, BACKEND.kernelMapBuilder()), rnd, new int[] {0, 3}, -5, 5, 0.4, fill(2, 1), 3);
        boolean[] keep = new boolean[x.size()];
        for (int r = 0; r < keep.length; r++) keep[r] = rnd.nextBoolean();
        SparseTensor y = Pruning.prune(x, keep);
        int j = 0;
        for (int r = 0; r < x.size(); r++) {
            if (!keep[r]) {
                assertThat(y.coordinateMap().find(Arrays.copyOfRange(x.coordinates(), r * 3, r * 3 + 3))).as("pruned row %d is gone", r).isEqualTo(-1);
                continue;
            }
            assertThat(Arrays.copyOfRange(y.coordinates(), j * 3, j * 3 + 3)).containsExactly(Arrays.copyOfRange(x.coordinates(), r * 3, r * 3 + 3));
            assertThat(Arrays.copyOfRange(y.features(), j * 3, j * 3 + 3)).containsExactly(Arrays.copyOfRange(x.features(), r * 3, r * 3 + 3));
            j++;
        }
        assertThat(y.size()).isEqualTo(j);
        assertThat(y.tensorStride()).containsExactly(x.tensorStride());
        assertThatThrownBy(() -> Pruning.prune(x, new boolean[x.size() + 1])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pruning mask has " + (x.size() + 1) + " entries, tensor has " + x.size() + " rows");
    }

    @Test
    void broadcastAddsOrMultipliesTheGlobalFeatureOfEachRowsBatch() {
        Random rnd = new Random(2);
        int c = 4;
        SparseTensor x = SparseGrids.tensor(new CoordinateManager(3, BACKEND.kernelMapBuilder()), rnd, new int[] {0, 1, 4}, -3, 3, 0.3, fill(3, 1), c);
        SparseTensor g = Pooling.global(PoolMode.SUM, x, BACKEND);
        Map<Integer, double[]> sums = new HashMap<>();
        for (int r = 0; r < x.size(); r++) {
            double[] s = sums.computeIfAbsent(x.coordinateMap().coordinate(r, 0), b -> new double[c]);
            for (int ch = 0; ch < c; ch++) s[ch] += x.features()[r * c + ch];
        }
        SparseTensor added = Broadcast.add(x, g);
        SparseTensor multiplied = Broadcast.multiply(x, g);
        assertThat(added.key()).isEqualTo(x.key());
        for (int r = 0; r < x.size(); r++) {
            double[] s = sums.get(x.coordinateMap().coordinate(r, 0));
            for (int ch = 0; ch < c; ch++) {
                double v = x.features()[r * c + ch];
                assertThat((double) added.features()[r * c + ch]).isCloseTo(v + s[ch], within(1e-4 + 1e-4 * Math.abs(v + s[ch])));
                assertThat((double) multiplied.features()[r * c + ch]).isCloseTo(v * s[ch], within(1e-4 + 1e-4 * Math.abs(v * s[ch])));
            }
        }
        assertThatThrownBy(() -> Broadcast.add(x, g.withFeatures(new float[g.size() * 2], 2))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("4 channels");
    }

    @Test
    void denseExportPlacesEveryRowAtItsGridCellAndZerosElsewhere() {
        Random rnd = new Random(3);
        int[] ts = {2, 1, 3};
        int c = 2;
        SparseTensor x = SparseGrids.tensor(new CoordinateManager(3, BACKEND.kernelMapBuilder()), rnd, new int[] {0, 2}, -3, 2, 0.3, ts, c);
        for (int i = 0; i < x.features().length; i++) assertThat(x.features()[i]).isNotZero();
        DenseTensor dense = Dense.dense(x);
        int[] min = new int[3], max = new int[3];
        Arrays.fill(min, Integer.MAX_VALUE);
        Arrays.fill(max, Integer.MIN_VALUE);
        for (int r = 0; r < x.size(); r++) {
            for (int a = 0; a < 3; a++) {
                min[a] = Math.min(min[a], x.coordinateMap().coordinate(r, a + 1));
                max[a] = Math.max(max[a], x.coordinateMap().coordinate(r, a + 1));
            }
        }
        assertThat(min).as("negative coordinates are exercised").satisfies(m -> assertThat(m[0]).isNegative());
        assertThat(dense.origin()).containsExactly(min);
        assertThat(dense.shape()).containsExactly((max[0] - min[0]) / 2 + 1, max[1] - min[1] + 1, (max[2] - min[2]) / 3 + 1);
        assertThat(dense.batches()).isEqualTo(3);
        assertThat(dense.channels()).isEqualTo(c);
        assertThat(dense.data()).hasSize(3 * c * dense.shape()[0] * dense.shape()[1] * dense.shape()[2]);
        for (int r = 0; r < x.size(); r++) {
            int b = x.coordinateMap().coordinate(r, 0);
            int[] idx = new int[3];
            for (int a = 0; a < 3; a++) idx[a] = (x.coordinateMap().coordinate(r, a + 1) - min[a]) / ts[a];
            for (int ch = 0; ch < c; ch++) assertThat(dense.get(b, ch, idx)).isEqualTo(x.features()[r * c + ch]);
        }
        int nonZero = 0;
        for (float v : dense.data()) if (v != 0f) nonZero++;
        assertThat(nonZero).as("only the sparse rows are filled (batch 1 is absent)").isEqualTo(x.size() * c);
    }
}
