package io.minkstream.engine.coords;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The offsets of a kernel, in MinkowskiEngine's order so that weights trained there
 * ({@code kernel[K][Cin][Cout]}) load unchanged.
 *
 * <p>Offsets are kept in unit steps; {@link #offsets(int[])} scales step {@code s} on axis i to
 * {@code s * dilation_i * tensorStride_i}. Orders:
 * <ul>
 *   <li>hyper-cube: mixed radix with axis 0 (x) varying fastest; odd sizes centred, even sizes
 *       {@code 0..k-1} (so k=3 in 4-D has its centre at index 40);</li>
 *   <li>hyper-cross: the centre first, then for each axis in turn its non-centre steps in the 1-D
 *       cross order {@code +1..+r, -r..-1};</li>
 *   <li>hybrid: the product of per-axis {@link AxisShape}s, axis 0 fastest;</li>
 *   <li>union: each part's offsets in order, dropping ones already present (a cube in space
 *       united with a cross in time gives the 29-offset space-time kernel of MinkowskiEngine's
 *       paper: 27 spatial offsets, then {@code dt=+1}, {@code dt=-1});</li>
 *   <li>custom: as given.</li>
 * </ul>
 */
public final class KernelRegion {

    public enum Type { HYPER_CUBE, HYPER_CROSS, HYBRID, UNION, CUSTOM }

    private final Type type;
    private final int dimension;
    private final int[] steps;      // K x D unit steps
    private final int[] dilation;   // D
    private final String description;

    private KernelRegion(Type type, int dimension, int[] steps, int[] dilation, String description) {
        this.type = type;
        this.dimension = dimension;
        this.steps = steps;
        this.dilation = dilation;
        this.description = description;
        for (int d : dilation) {
            if (d < 1) throw new IllegalArgumentException("dilation must be >= 1 on every axis, got " + Arrays.toString(dilation));
        }
        if (steps.length == 0) throw new IllegalArgumentException("kernel region " + description + " has no offsets");
    }

    public static KernelRegion hyperCube(int[] kernelSize, int[] dilation) {
        AxisShape[] shapes = new AxisShape[kernelSize.length];
        for (int a = 0; a < shapes.length; a++) shapes[a] = AxisShape.cube(kernelSize[a]);
        return new KernelRegion(Type.HYPER_CUBE, kernelSize.length, product(shapes), checkAxes(dilation, kernelSize.length, "dilation"),
                "HYPER_CUBE" + Arrays.toString(kernelSize));
    }

    public static KernelRegion hyperCube(int dimension, int kernelSize) {
        return hyperCube(fill(dimension, kernelSize), fill(dimension, 1));
    }

    public static KernelRegion hyperCross(int[] kernelSize, int[] dilation) {
        int d = kernelSize.length;
        List<int[]> offsets = new ArrayList<>();
        offsets.add(new int[d]);
        for (int a = 0; a < d; a++) {
            AxisShape axis = AxisShape.cross(kernelSize[a]);
            for (int i = 1; i < axis.size(); i++) {
                int[] o = new int[d];
                o[a] = axis.step(i);
                offsets.add(o);
            }
        }
        return new KernelRegion(Type.HYPER_CROSS, d, flatten(offsets, d), checkAxes(dilation, d, "dilation"),
                "HYPER_CROSS" + Arrays.toString(kernelSize));
    }

    /** The product of per-axis shapes, axis 0 varying fastest. */
    public static KernelRegion hybrid(AxisShape[] perAxis, int[] dilation) {
        return new KernelRegion(Type.HYBRID, perAxis.length, product(perAxis), checkAxes(dilation, perAxis.length, "dilation"),
                "HYBRID" + Arrays.toString(perAxis));
    }

    /**
     * The non-overlapping window {@code {0..s-1}} per axis from each output coordinate: where
     * MinkowskiEngine's pooling with kernel size = stride reads (every input in exactly one window).
     */
    public static KernelRegion strideWindow(int[] stride) {
        AxisShape[] shapes = new AxisShape[stride.length];
        for (int a = 0; a < stride.length; a++) {
            int[] steps = new int[stride[a]];
            for (int i = 0; i < steps.length; i++) steps[i] = i;
            shapes[a] = AxisShape.steps(steps);
        }
        return hybrid(shapes, fill(stride.length, 1));
    }

    /** The offsets of each part in order, without repeats; all parts must share one dilation. */
    public static KernelRegion union(KernelRegion... parts) {
        int d = parts[0].dimension;
        Set<List<Integer>> seen = new LinkedHashSet<>();
        for (KernelRegion part : parts) {
            if (part.dimension != d || !Arrays.equals(part.dilation, parts[0].dilation)) {
                throw new IllegalArgumentException("union parts must share dimension and dilation: " + parts[0] + " vs " + part);
            }
            for (int k = 0; k < part.volume(); k++) {
                List<Integer> o = new ArrayList<>(d);
                for (int a = 0; a < d; a++) o.add(part.steps[k * d + a]);
                seen.add(o);
            }
        }
        List<int[]> offsets = new ArrayList<>();
        for (List<Integer> o : seen) offsets.add(o.stream().mapToInt(Integer::intValue).toArray());
        StringBuilder name = new StringBuilder("UNION(");
        for (int i = 0; i < parts.length; i++) name.append(i == 0 ? "" : " + ").append(parts[i]);
        return new KernelRegion(Type.UNION, d, flatten(offsets, d), parts[0].dilation.clone(), name.append(')').toString());
    }

    /** Offsets given as K rows of D unit steps (scaled by the tensor stride, dilation 1). */
    public static KernelRegion custom(int[][] offsets) {
        if (offsets.length == 0) throw new IllegalArgumentException("custom kernel region needs at least one offset");
        int d = offsets[0].length;
        Set<List<Integer>> seen = new LinkedHashSet<>();
        for (int[] o : offsets) {
            if (o.length != d) throw new IllegalArgumentException("custom offset " + Arrays.toString(o) + " has " + o.length + " axes, expected " + d);
            if (!seen.add(Arrays.stream(o).boxed().toList())) {
                throw new IllegalArgumentException("custom kernel region repeats offset " + Arrays.toString(o));
            }
        }
        return new KernelRegion(Type.CUSTOM, d, flatten(Arrays.asList(offsets), d), fill(d, 1), "CUSTOM(" + offsets.length + " offsets)");
    }

    public Type type() {
        return type;
    }

    public int dimension() {
        return dimension;
    }

    /** Number of offsets K. */
    public int volume() {
        return steps.length / dimension;
    }

    public int[] dilation() {
        return dilation.clone();
    }

    /** Unit step of offset k on axis a (before dilation and tensor stride). */
    public int step(int k, int axis) {
        return steps[k * dimension + axis];
    }

    /** The offsets {@code K x D} (row-major) scaled by dilation and this tensor stride. */
    public int[] offsets(int[] tensorStride) {
        checkAxes(tensorStride, dimension, "tensor stride");
        int[] out = new int[steps.length];
        for (int k = 0, p = 0; k < volume(); k++) {
            for (int a = 0; a < dimension; a++, p++) {
                out[p] = Math.multiplyExact(steps[p], Math.multiplyExact(dilation[a], tensorStride[a]));
            }
        }
        return out;
    }

    /** Index of the all-zero offset, or -1. */
    public int centreIndex() {
        outer:
        for (int k = 0; k < volume(); k++) {
            for (int a = 0; a < dimension; a++) {
                if (steps[k * dimension + a] != 0) continue outer;
            }
            return k;
        }
        return -1;
    }

    /** Smallest and largest unit step on an axis: {@code [min, max]}. */
    public int[] stepRange(int axis) {
        int lo = Integer.MAX_VALUE, hi = Integer.MIN_VALUE;
        for (int k = 0; k < volume(); k++) {
            lo = Math.min(lo, step(k, axis));
            hi = Math.max(hi, step(k, axis));
        }
        return new int[] {lo, hi};
    }

    private static int[] product(AxisShape[] shapes) {
        int d = shapes.length;
        int volume = 1;
        for (AxisShape s : shapes) volume = Math.multiplyExact(volume, s.size());
        int[] out = new int[volume * d];
        for (int k = 0; k < volume; k++) {
            int rest = k;
            for (int a = 0; a < d; a++) {
                out[k * d + a] = shapes[a].step(rest % shapes[a].size());
                rest /= shapes[a].size();
            }
        }
        return out;
    }

    private static int[] flatten(List<int[]> offsets, int d) {
        int[] out = new int[offsets.size() * d];
        for (int k = 0; k < offsets.size(); k++) System.arraycopy(offsets.get(k), 0, out, k * d, d);
        return out;
    }

    private static int[] checkAxes(int[] values, int d, String what) {
        if (values.length != d) {
            throw new IllegalArgumentException(what + " has " + values.length + " axes, expected " + d + ": " + Arrays.toString(values));
        }
        return values.clone();
    }

    static int[] fill(int d, int value) {
        int[] a = new int[d];
        Arrays.fill(a, value);
        return a;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KernelRegion r && dimension == r.dimension && Arrays.equals(steps, r.steps) && Arrays.equals(dilation, r.dilation);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(steps) + Arrays.hashCode(dilation);
    }

    @Override
    public String toString() {
        return description + (Arrays.stream(dilation).allMatch(x -> x == 1) ? "" : " dilation " + Arrays.toString(dilation));
    }
}
