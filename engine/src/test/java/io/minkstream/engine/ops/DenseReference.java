package io.minkstream.engine.ops;

import io.minkstream.engine.tensor.SparseTensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Brute-force references for the sparse operations, written without any engine code: a tensor's
 * features are copied onto a dense grid over its bounding box (empty cells read 0), kernel offsets
 * are enumerated here from the rules in the oracle README, and every output is computed by plain
 * loops over its offsets, in double precision. Results are keyed by coordinate, so the comparison
 * never depends on the engine's row order.
 */
public final class DenseReference {
    /** The tolerance of the task: |engine - reference| <= ABS + REL * |reference|. */
    public static final double ABS = 1e-4;
    public static final double REL = 1e-4;

    public enum Pool { MAX, AVG, SUM }

    private DenseReference() {
    }

    /** Features of a sparse tensor on a dense grid spanning its bounding box, batch axis included. */
    public static final class Grid {
        final int width;
        final int channels;
        final int[] lo;
        final int[] extent;
        final double[] values;
        final boolean[] present;

        public Grid(int[] coords, float[] features, int channels, int dimension) {
            this.width = dimension + 1;
            this.channels = channels;
            int n = coords.length / width;
            lo = new int[width];
            int[] hi = new int[width];
            Arrays.fill(lo, Integer.MAX_VALUE);
            Arrays.fill(hi, Integer.MIN_VALUE);
            for (int r = 0; r < n; r++) {
                for (int a = 0; a < width; a++) {
                    lo[a] = Math.min(lo[a], coords[r * width + a]);
                    hi[a] = Math.max(hi[a], coords[r * width + a]);
                }
            }
            extent = new int[width];
            long cells = 1;
            for (int a = 0; a < width; a++) {
                extent[a] = n == 0 ? 0 : hi[a] - lo[a] + 1;
                cells *= extent[a];
            }
            if (cells > 20_000_000L) throw new IllegalArgumentException("reference grid too large: " + cells + " cells");
            values = new double[(int) cells * channels];
            present = new boolean[(int) cells];
            int[] c = new int[width];
            for (int r = 0; r < n; r++) {
                System.arraycopy(coords, r * width, c, 0, width);
                int cell = cell(c);
                if (present[cell]) throw new IllegalArgumentException("reference grid got coordinate " + Arrays.toString(c) + " twice");
                present[cell] = true;
                for (int ch = 0; ch < channels; ch++) values[cell * channels + ch] = features[r * channels + ch];
            }
        }

        public static Grid of(SparseTensor x) {
            return new Grid(x.coordinates(), x.features(), x.channels(), x.dimension());
        }

        /** Cell of a coordinate row, or -1 outside the grid. */
        int cell(int[] c) {
            int cell = 0;
            for (int a = 0; a < width; a++) {
                int i = c[a] - lo[a];
                if (i < 0 || i >= extent[a]) return -1;
                cell = cell * extent[a] + i;
            }
            return cell;
        }

        public boolean contains(int[] c) {
            int cell = cell(c);
            return cell >= 0 && present[cell];
        }

        public double feature(int[] c, int channel) {
            int cell = cell(c);
            return cell < 0 ? 0.0 : values[cell * channels + channel];
        }

        public int channels() {
            return channels;
        }
    }

    // ---- kernel offsets, as unit steps (K rows of D) -------------------------------------------

    /** MinkowskiEngine's hyper-cube: axis 0 fastest; odd sizes centred, even sizes 0..k-1. */
    public static List<int[]> cube(int... ks) {
        int[][] axes = new int[ks.length][];
        for (int a = 0; a < ks.length; a++) {
            axes[a] = new int[ks[a]];
            int first = ks[a] % 2 == 1 ? -(ks[a] / 2) : 0;
            for (int i = 0; i < ks[a]; i++) axes[a][i] = first + i;
        }
        return product(axes);
    }

    /** MinkowskiEngine's hyper-cross: centre, then per axis +1..+r, -r..-1. */
    public static List<int[]> cross(int... ks) {
        List<int[]> out = new ArrayList<>();
        out.add(new int[ks.length]);
        for (int a = 0; a < ks.length; a++) {
            int r = (ks[a] - 1) / 2;
            for (int s = 1; s <= r; s++) out.add(unit(ks.length, a, s));
            for (int s = -r; s <= -1; s++) out.add(unit(ks.length, a, s));
        }
        return out;
    }

    /** All combinations of per-axis steps, axis 0 varying fastest. */
    public static List<int[]> product(int[]... perAxis) {
        List<int[]> out = new ArrayList<>();
        int d = perAxis.length;
        int[] idx = new int[d];
        while (true) {
            int[] o = new int[d];
            for (int a = 0; a < d; a++) o[a] = perAxis[a][idx[a]];
            out.add(o);
            int a = 0;
            while (a < d && ++idx[a] == perAxis[a].length) idx[a++] = 0;
            if (a == d) return out;
        }
    }

    public static int[] steps(int... s) {
        return s;
    }

    private static int[] unit(int d, int axis, int step) {
        int[] o = new int[d];
        o[axis] = step;
        return o;
    }

    /** Unit steps times dilation times tensor stride, per axis. */
    public static List<int[]> scale(List<int[]> steps, int[] dilation, int[] tensorStride) {
        List<int[]> out = new ArrayList<>();
        for (int[] s : steps) {
            int[] o = new int[s.length];
            for (int a = 0; a < s.length; a++) o[a] = s[a] * dilation[a] * tensorStride[a];
            out.add(o);
        }
        return out;
    }

    // ---- coordinate sets -----------------------------------------------------------------------

    public static List<Integer> key(int[] coords, int from, int width) {
        List<Integer> k = new ArrayList<>(width);
        for (int a = 0; a < width; a++) k.add(coords[from + a]);
        return k;
    }

    public static int[] row(List<Integer> key) {
        return key.stream().mapToInt(Integer::intValue).toArray();
    }

    public static Set<List<Integer>> coordinateSet(int[] coords, int d) {
        Set<List<Integer>> s = new LinkedHashSet<>();
        for (int p = 0; p < coords.length; p += d + 1) s.add(key(coords, p, d + 1));
        return s;
    }

    /** {@code unique([b, floor(x_i / s_i) * s_i])}, floor toward -inf. */
    public static Set<List<Integer>> floorSet(int[] coords, int d, int[] outStride) {
        Set<List<Integer>> s = new LinkedHashSet<>();
        for (int p = 0; p < coords.length; p += d + 1) {
            List<Integer> k = new ArrayList<>(d + 1);
            k.add(coords[p]);
            for (int a = 0; a < d; a++) {
                int x = coords[p + a + 1];
                int q = x / outStride[a];
                if (x % outStride[a] != 0 && x < 0) q--;
                k.add(q * outStride[a]);
            }
            s.add(k);
        }
        return s;
    }

    /** {@code { in + offset_k }} over all rows and offsets. */
    public static Set<List<Integer>> generatedSet(int[] coords, int d, List<int[]> offsets) {
        Set<List<Integer>> s = new LinkedHashSet<>();
        for (int p = 0; p < coords.length; p += d + 1) {
            for (int[] o : offsets) {
                List<Integer> k = new ArrayList<>(d + 1);
                k.add(coords[p]);
                for (int a = 0; a < d; a++) k.add(coords[p + a + 1] + o[a]);
                s.add(k);
            }
        }
        return s;
    }

    // ---- operations --------------------------------------------------------------------------

    /**
     * {@code out(o) = bias + sum_k sum_ci in(o + sign * offset_k)[ci] * w[k][ci][co]}: sign +1 is a
     * convolution (offsets at the input stride), -1 a transposed one (offsets at the output stride).
     */
    public static Map<List<Integer>, double[]> convolution(Grid in, Collection<List<Integer>> out, List<int[]> offsets, int sign,
                                                           float[] w, int cOut, float[] bias) {
        int cIn = in.channels;
        Map<List<Integer>, double[]> result = new LinkedHashMap<>();
        int[] q = new int[in.width];
        for (List<Integer> o : out) {
            double[] acc = new double[cOut];
            if (bias != null) for (int co = 0; co < cOut; co++) acc[co] = bias[co];
            for (int k = 0; k < offsets.size(); k++) {
                shifted(o, offsets.get(k), sign, q);
                if (!in.contains(q)) continue;
                for (int ci = 0; ci < cIn; ci++) {
                    double x = in.feature(q, ci);
                    for (int co = 0; co < cOut; co++) acc[co] += x * w[(k * cIn + ci) * cOut + co];
                }
            }
            result.put(o, acc);
        }
        return result;
    }

    /** {@code out(o)[c] = bias[c] + sum_k in(o + offset_k)[c] * w[k][c]}. */
    public static Map<List<Integer>, double[]> channelwise(Grid in, Collection<List<Integer>> out, List<int[]> offsets, float[] w, float[] bias) {
        int c = in.channels;
        Map<List<Integer>, double[]> result = new LinkedHashMap<>();
        int[] q = new int[in.width];
        for (List<Integer> o : out) {
            double[] acc = new double[c];
            if (bias != null) for (int ch = 0; ch < c; ch++) acc[ch] = bias[ch];
            for (int k = 0; k < offsets.size(); k++) {
                shifted(o, offsets.get(k), 1, q);
                if (!in.contains(q)) continue;
                for (int ch = 0; ch < c; ch++) acc[ch] += in.feature(q, ch) * w[k * c + ch];
            }
            result.put(o, acc);
        }
        return result;
    }

    /**
     * Pooling over the inputs present at {@code o + sign * window_k}; AVG divides by how many are
     * present, an output with none reads 0.
     */
    public static Map<List<Integer>, double[]> pool(Grid in, Collection<List<Integer>> out, List<int[]> window, int sign, Pool mode) {
        int c = in.channels;
        Map<List<Integer>, double[]> result = new LinkedHashMap<>();
        int[] q = new int[in.width];
        for (List<Integer> o : out) {
            double[] acc = new double[c];
            if (mode == Pool.MAX) Arrays.fill(acc, Double.NEGATIVE_INFINITY);
            int found = 0;
            for (int[] off : window) {
                shifted(o, off, sign, q);
                if (!in.contains(q)) continue;
                found++;
                for (int ch = 0; ch < c; ch++) {
                    double v = in.feature(q, ch);
                    acc[ch] = mode == Pool.MAX ? Math.max(acc[ch], v) : acc[ch] + v;
                }
            }
            for (int ch = 0; ch < c; ch++) {
                if (found == 0) acc[ch] = 0;
                else if (mode == Pool.AVG) acc[ch] /= found;
            }
            result.put(o, acc);
        }
        return result;
    }

    private static void shifted(List<Integer> o, int[] offset, int sign, int[] q) {
        q[0] = o.get(0);
        for (int a = 0; a < offset.length; a++) q[a + 1] = o.get(a + 1) + sign * offset[a];
    }

    // ---- comparison --------------------------------------------------------------------------

    /** Same coordinate set, and every feature within the tolerance of the reference at that coordinate. */
    public static void assertMatches(String what, SparseTensor got, Map<List<Integer>, double[]> expected) {
        int w = got.dimension() + 1;
        int c = got.channels();
        int[] coords = got.coordinates();
        float[] f = got.features();
        Set<List<Integer>> gotSet = coordinateSet(coords, got.dimension());
        if (gotSet.size() != got.size() || !gotSet.equals(expected.keySet())) {
            Set<List<Integer>> missing = new LinkedHashSet<>(expected.keySet());
            missing.removeAll(gotSet);
            Set<List<Integer>> extra = new LinkedHashSet<>(gotSet);
            extra.removeAll(expected.keySet());
            throw new AssertionError(what + ": coordinate sets differ (engine " + got.size() + " rows, reference " + expected.size()
                    + "); missing " + first(missing) + ", unexpected " + first(extra));
        }
        int bad = 0;
        StringBuilder msg = new StringBuilder();
        for (int r = 0; r < got.size(); r++) {
            List<Integer> k = key(coords, r * w, w);
            double[] ref = expected.get(k);
            if (ref.length != c) throw new AssertionError(what + ": engine has " + c + " channels, reference " + ref.length);
            for (int ch = 0; ch < c; ch++) {
                double g = f[r * c + ch];
                if (!(Math.abs(g - ref[ch]) <= ABS + REL * Math.abs(ref[ch]))) {
                    if (bad++ < 5) msg.append(String.format("%n  %s channel %d: engine %.8g, reference %.8g", k, ch, g, ref[ch]));
                }
            }
        }
        if (bad > 0) throw new AssertionError(what + ": " + bad + " feature values differ from the dense reference" + msg);
    }

    private static String first(Set<List<Integer>> s) {
        return s.stream().limit(5).toList() + (s.size() > 5 ? " (+" + (s.size() - 5) + " more)" : "");
    }
}
