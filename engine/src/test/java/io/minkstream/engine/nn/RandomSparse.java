package io.minkstream.engine.nn;

import static org.assertj.core.api.Assertions.assertThat;

import io.minkstream.engine.coords.CoordinateMap;
import io.minkstream.engine.io.SafeTensors;
import io.minkstream.engine.tensor.SparseTensor;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/** Seeded random coordinates, features and weights for network tests, and a by-coordinate comparison. */
final class RandomSparse {
    private final Random rng;

    RandomSparse(long seed) {
        this.rng = new Random(seed);
    }

    /** {@code n} distinct rows {@code [batch, x_1..x_D]}, batch in {@code 0..batches-1}, x_a in {@code 0..extent-1}. */
    int[] coordinates(int n, int batches, int dimension, int extent) {
        Set<List<Integer>> rows = new LinkedHashSet<>();
        while (rows.size() < n) {
            Integer[] r = new Integer[dimension + 1];
            r[0] = rng.nextInt(batches);
            for (int a = 1; a <= dimension; a++) r[a] = rng.nextInt(extent);
            rows.add(List.of(r));
        }
        return rows.stream().flatMap(List::stream).mapToInt(Integer::intValue).toArray();
    }

    float[] floats(int n, float scale) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) out[i] = (float) (rng.nextGaussian() * scale);
        return out;
    }

    /** Positive values in {@code [lo, hi)}, e.g. running variances. */
    float[] uniform(int n, float lo, float hi) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) out[i] = lo + rng.nextFloat() * (hi - lo);
        return out;
    }

    /** A convolution kernel {@code [k][cin][cout]} with unit-ish output variance. */
    float[] kernel(int k, int cin, int cout) {
        return floats(k * cin * cout, (float) (1.0 / Math.sqrt(k * cin)));
    }

    /** Puts a batch norm's four tensors into {@code w} and returns them (weight, bias, mean, var). */
    float[][] batchNorm(SafeTensors.Writer w, String layer, int c) {
        float[][] t = {uniform(c, 0.5f, 1.5f), floats(c, 0.2f), floats(c, 0.3f), uniform(c, 0.5f, 2f)};
        w.putFloats(layer + ".weight", t[0], c).putFloats(layer + ".bias", t[1], c)
                .putFloats(layer + ".running_mean", t[2], c).putFloats(layer + ".running_var", t[3], c);
        return t;
    }

    /**
     * Asserts that two tensors have the same coordinate set and, matched by coordinate, features
     * within {@code abs + rel * |expected|}.
     */
    static void assertSameTensor(String what, SparseTensor actual, SparseTensor expected, double abs, double rel) {
        assertThat(actual.size()).as(what + ": rows").isEqualTo(expected.size());
        assertThat(actual.channels()).as(what + ": channels").isEqualTo(expected.channels());
        assertThat(actual.tensorStride()).as(what + ": tensor stride").containsExactly(expected.tensorStride());
        int w = expected.dimension() + 1;
        int c = expected.channels();
        CoordinateMap ours = actual.coordinateMap();
        int[] coords = expected.coordinates();
        for (int r = 0; r < expected.size(); r++) {
            int o = ours.find(coords, r * w);
            if (o < 0) throw new AssertionError(what + ": coordinate " + Arrays.toString(Arrays.copyOfRange(coords, r * w, r * w + w)) + " missing");
            for (int ch = 0; ch < c; ch++) {
                double e = expected.features()[r * c + ch];
                double a = actual.features()[o * c + ch];
                if (!(Math.abs(a - e) <= abs + rel * Math.abs(e))) {
                    throw new AssertionError(what + ": at " + Arrays.toString(Arrays.copyOfRange(coords, r * w, r * w + w)) + " channel " + ch
                            + " got " + a + ", expected " + e);
                }
            }
        }
    }
}
