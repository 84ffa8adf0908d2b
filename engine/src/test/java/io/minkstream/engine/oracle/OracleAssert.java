package io.minkstream.engine.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.minkstream.engine.coords.CoordinateMap;
import io.minkstream.engine.coords.KernelMap;
import io.minkstream.engine.tensor.SparseTensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Comparisons against MinkowskiEngine outputs: by coordinate, never by row index. */
final class OracleAssert {
    /** The fixture README's tolerance: |ours - ME| <= ABS + REL * |ME|. */
    static final double ABS = 1e-4;
    static final double REL = 1e-4;

    private OracleAssert() {
    }

    static void sameCoordinates(String what, SparseTensor y, int[] refCoords) {
        int w = y.dimension() + 1;
        assertThat(y.size()).as(what + ": row count").isEqualTo(refCoords.length / w);
        CoordinateMap ours = y.coordinateMap();
        for (int r = 0; r < refCoords.length / w; r++) {
            if (ours.find(refCoords, r * w) < 0) {
                throw new AssertionError(what + ": MinkowskiEngine's coordinate " + Arrays.toString(Arrays.copyOfRange(refCoords, r * w, r * w + w)) + " is missing");
            }
        }
    }

    static void sameTensor(String what, SparseTensor y, int[] refCoords, float[] refFeats) {
        sameCoordinates(what, y, refCoords);
        int w = y.dimension() + 1;
        int c = y.channels();
        int rows = refCoords.length / w;
        assertThat(refFeats.length).as(what + ": reference feature count").isEqualTo(rows * c);
        CoordinateMap ours = y.coordinateMap();
        float[] f = y.features();
        int bad = 0;
        StringBuilder first = new StringBuilder();
        for (int r = 0; r < rows; r++) {
            int o = ours.find(refCoords, r * w);
            for (int ch = 0; ch < c; ch++) {
                double ref = refFeats[r * c + ch];
                double got = f[o * c + ch];
                if (!(Math.abs(got - ref) <= ABS + REL * Math.abs(ref))) {
                    if (bad++ < 5) first.append(String.format("%n  %s ch %d: ours %.7g, ME %.7g", Arrays.toString(Arrays.copyOfRange(refCoords, r * w, r * w + w)), ch, got, ref));
                }
            }
        }
        if (bad > 0) throw new AssertionError(what + ": " + bad + " feature values differ" + first);
    }

    /**
     * Compares pairs as (k, in row, ME out row): our output rows are translated to ME's through
     * the coordinates (new maps order rows differently); input rows are the same in both.
     */
    static void sameKernelMap(String what, KernelMap map, SparseTensor y, int[] refOutCoords, int[] refMap) {
        int w = y.dimension() + 1;
        int[] ourToRef = new int[y.size()];
        Arrays.fill(ourToRef, -1);
        for (int r = 0; r < refOutCoords.length / w; r++) ourToRef[y.coordinateMap().find(refOutCoords, r * w)] = r;
        List<long[]> ours = new ArrayList<>();
        for (int k = 0; k < map.kernelVolume(); k++) {
            int[] in = map.inRows(k);
            int[] out = map.outRows(k);
            for (int j = 0; j < in.length; j++) ours.add(new long[] {k, ourToRef[out[j]], in[j]});
        }
        List<long[]> ref = new ArrayList<>();
        for (int p = 0; p < refMap.length; p += 3) ref.add(new long[] {refMap[p], refMap[p + 2], refMap[p + 1]});
        java.util.Comparator<long[]> order = java.util.Comparator.<long[]>comparingLong(a -> a[0]).thenComparingLong(a -> a[1]).thenComparingLong(a -> a[2]);
        ours.sort(order);
        ref.sort(order);
        assertThat(ours.size()).as(what + ": pair count").isEqualTo(ref.size());
        for (int i = 0; i < ref.size(); i++) {
            if (!Arrays.equals(ours.get(i), ref.get(i))) {
                throw new AssertionError(what + ": pair " + i + " (k, out, in) is " + Arrays.toString(ours.get(i)) + ", ME has " + Arrays.toString(ref.get(i)));
            }
        }
    }

    /** Per-channel sums in float64 against the float64 reference, relative to the channel's abs sum. */
    static void channelSums(String what, SparseTensor y, JsonNode refSums, JsonNode absSums) {
        int c = y.channels();
        double[] sums = new double[c];
        float[] f = y.features();
        for (int i = 0; i < f.length; i++) sums[i % c] += f[i];
        for (int ch = 0; ch < c; ch++) {
            double ref = refSums.get(ch).asDouble();
            double scale = absSums.get(ch).asDouble();
            assertThat(Math.abs(sums[ch] - ref)).as(what + ": channel " + ch + " sum " + sums[ch] + " vs " + ref).isLessThanOrEqualTo(1e-5 * scale);
        }
    }

    static void sampledRow(String what, SparseTensor y, JsonNode row) {
        int[] coord = new int[row.get("coord").size()];
        for (int a = 0; a < coord.length; a++) coord[a] = row.get("coord").get(a).asInt();
        int o = y.coordinateMap().find(coord);
        assertThat(o).as(what + ": sampled coordinate " + Arrays.toString(coord)).isGreaterThanOrEqualTo(0);
        int c = y.channels();
        for (int ch = 0; ch < c; ch++) {
            double ref = row.get("feats").get(ch).asDouble();
            double got = y.features()[o * c + ch];
            assertThat(Math.abs(got - ref)).as(what + ": " + Arrays.toString(coord) + " channel " + ch + " ours " + got + " ME " + ref)
                    .isLessThanOrEqualTo(ABS + REL * Math.abs(ref));
        }
    }

    /** The first {@code keep} columns of a row-major matrix with {@code width} columns. */
    static float[] columns(float[] all, int width, int keep) {
        int rows = all.length / width;
        float[] out = new float[rows * keep];
        for (int r = 0; r < rows; r++) System.arraycopy(all, r * width, out, r * keep, keep);
        return out;
    }
}
