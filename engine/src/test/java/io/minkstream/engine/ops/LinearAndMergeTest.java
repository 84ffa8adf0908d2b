package io.minkstream.engine.ops;

import static io.minkstream.engine.ops.DenseReference.assertMatches;
import static io.minkstream.engine.ops.DenseReference.key;
import static io.minkstream.engine.ops.SparseGrids.fill;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minkstream.engine.backend.CpuBackend;
import io.minkstream.engine.coords.CoordinateManager;
import io.minkstream.engine.tensor.SparseTensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Linear (1x1) layers, concatenation and union, against per-row references computed here. */
class LinearAndMergeTest {
    private static final CpuBackend BACKEND = new CpuBackend(2);

    @AfterAll
    static void close() {
        BACKEND.close();
    }

    private static CoordinateManager manager() {
        return new CoordinateManager(3, BACKEND.kernelMapBuilder());
    }

    @Test
    void linearIsAPerRowMatrixProductPlusBias() {
        Random rnd = new Random(1);
        for (int[] ch : new int[][] {{3, 5}, {16, 33}, {33, 8}}) {
            int cIn = ch[0], cOut = ch[1];
            SparseTensor x = SparseGrids.tensor(manager(), rnd, new int[] {0, 2}, -4, 4, 0.2, fill(3, 1), cIn);
            float[] w = SparseGrids.values(rnd, cIn * cOut);
            float[] b = SparseGrids.values(rnd, cOut);
            SparseTensor y = Convolution.linear(x, w, cOut, b, BACKEND);
            assertThat(y.key()).isEqualTo(x.key());
            Map<List<Integer>, double[]> ref = new LinkedHashMap<>();
            for (int r = 0; r < x.size(); r++) {
                double[] out = new double[cOut];
                for (int co = 0; co < cOut; co++) {
                    out[co] = b[co];
                    for (int ci = 0; ci < cIn; ci++) out[co] += x.features()[r * cIn + ci] * (double) w[ci * cOut + co];
                }
                ref.put(key(x.coordinates(), r * 4, 4), out);
            }
            assertMatches("linear " + cIn + "->" + cOut, y, ref);
        }
    }

    @Test
    void concatenationPutsChannelsSideBySide() {
        Random rnd = new Random(2);
        SparseTensor a = SparseGrids.tensor(manager(), rnd, new int[] {0, 1}, -3, 3, 0.3, fill(3, 1), 3);
        SparseTensor b = a.withFeatures(SparseGrids.values(rnd, a.size() * 2), 2);
        SparseTensor y = Merge.concatenate(a, b);
        assertThat(y.channels()).isEqualTo(5);
        assertThat(y.key()).isEqualTo(a.key());
        for (int r = 0; r < a.size(); r++) {
            for (int ch = 0; ch < 3; ch++) assertThat(y.features()[r * 5 + ch]).isEqualTo(a.features()[r * 3 + ch]);
            for (int ch = 0; ch < 2; ch++) assertThat(y.features()[r * 5 + 3 + ch]).isEqualTo(b.features()[r * 2 + ch]);
        }
        SparseTensor elsewhere = SparseGrids.tensor(a.manager(), rnd, new int[] {0}, -3, 3, 0.3, fill(3, 1), 3);
        assertThatThrownBy(() -> Merge.concatenate(a, elsewhere)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("same coordinates");
    }

    @Test
    void unionSumsFeaturesWhereCoordinatesCoincide() {
        Random rnd = new Random(3);
        CoordinateManager m = manager();
        SparseTensor a = SparseGrids.tensor(m, rnd, new int[] {0, 1}, -3, 3, 0.3, fill(3, 1), 4);
        SparseTensor b = SparseGrids.tensor(m, rnd, new int[] {1, 2}, -3, 3, 0.3, fill(3, 1), 4);
        Map<List<Integer>, double[]> ref = new LinkedHashMap<>();
        for (SparseTensor t : new SparseTensor[] {a, b}) {
            for (int r = 0; r < t.size(); r++) {
                double[] acc = ref.computeIfAbsent(key(t.coordinates(), r * 4, 4), k -> new double[4]);
                for (int ch = 0; ch < 4; ch++) acc[ch] += t.features()[r * 4 + ch];
            }
        }
        assertThat(ref.size()).as("the inputs overlap").isLessThan(a.size() + b.size());
        SparseTensor y = Merge.union(a, b);
        assertMatches("union", y, ref);
        assertThatThrownBy(() -> Merge.union(a, a.withFeatures(new float[a.size() * 2], 2))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("channel count");
    }
}
