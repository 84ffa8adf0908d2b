package io.minkstream.engine.ops;

import io.minkstream.engine.coords.CoordinateManager;
import io.minkstream.engine.tensor.SparseTensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Small random sparse tensors for the dense cross-checks: a few batch indices, coordinates spread
 * over negative and positive values, rows shuffled (so no test relies on sorted input).
 */
public final class SparseGrids {
    private SparseGrids() {
    }

    /**
     * Unique coordinates {@code [b, ts_1*u_1, ..., ts_D*u_D]} with every {@code u_a} in {@code [lo, hi)},
     * each cell kept with probability {@code density} (at least one row per batch), shuffled.
     */
    public static int[] coordinates(Random rnd, int d, int[] batches, int lo, int hi, double density, int[] ts) {
        int side = hi - lo;
        int cells = 1;
        for (int a = 0; a < d; a++) cells *= side;
        List<int[]> rows = new ArrayList<>();
        for (int b : batches) {
            int before = rows.size();
            for (int cell = 0; cell < cells; cell++) {
                if (rnd.nextDouble() >= density && !(cell == cells - 1 && rows.size() == before)) continue;
                int[] row = new int[d + 1];
                row[0] = b;
                for (int a = 0, rest = cell; a < d; a++, rest /= side) row[a + 1] = (lo + rest % side) * ts[a];
                rows.add(row);
            }
        }
        Collections.shuffle(rows, rnd);
        int[] out = new int[rows.size() * (d + 1)];
        for (int r = 0; r < rows.size(); r++) System.arraycopy(rows.get(r), 0, out, r * (d + 1), d + 1);
        return out;
    }

    public static float[] values(Random rnd, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = rnd.nextFloat() * 2f - 1f;
        return v;
    }

    public static SparseTensor tensor(CoordinateManager m, Random rnd, int[] batches, int lo, int hi, double density, int[] ts, int channels) {
        int[] coords = coordinates(rnd, m.dimension(), batches, lo, hi, density, ts);
        return SparseTensor.of(m, coords, ts, values(rnd, coords.length / (m.dimension() + 1) * channels), channels);
    }

    public static int[] fill(int d, int value) {
        int[] a = new int[d];
        java.util.Arrays.fill(a, value);
        return a;
    }
}
