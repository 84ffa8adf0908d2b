package io.minkstream.engine.coords;

import java.util.Arrays;

/**
 * The steps a kernel takes along one axis, in units of that axis' tensor stride times dilation.
 * Hybrid regions are products of per-axis shapes, e.g. {@code cube(3)} on x, y, z times
 * {@code causal(3)} on t.
 */
public final class AxisShape {
    private final String name;
    private final int[] steps;

    private AxisShape(String name, int[] steps) {
        if (steps.length == 0) throw new IllegalArgumentException("axis shape " + name + " has no steps");
        this.name = name;
        this.steps = steps;
    }

    /**
     * MinkowskiEngine's cube steps along one axis: odd sizes centred ({@code -k/2..k/2}), even sizes
     * {@code 0..k-1} (not centred), in increasing order.
     */
    public static AxisShape cube(int size) {
        checkSize("cube", size);
        int[] s = new int[size];
        int first = size % 2 == 1 ? -(size / 2) : 0;
        for (int i = 0; i < size; i++) s[i] = first + i;
        return new AxisShape("cube(" + size + ")", s);
    }

    /** MinkowskiEngine's 1-D cross order: centre, then +1..+r, then -r..-1. */
    public static AxisShape cross(int size) {
        checkSize("cross", size);
        if (size % 2 == 0) throw new IllegalArgumentException("cross size must be odd, got " + size);
        int r = (size - 1) / 2;
        int[] s = new int[size];
        for (int ind = 0; ind < size - 1; ind++) s[ind + 1] = ind < r ? ind + 1 : ind - 2 * r;
        return new AxisShape("cross(" + size + ")", s);
    }

    /** Only the past and present: {@code -(span-1) .. 0}. */
    public static AxisShape causal(int span) {
        checkSize("causal", span);
        int[] s = new int[span];
        for (int i = 0; i < span; i++) s[i] = i - span + 1;
        return new AxisShape("causal(" + span + ")", s);
    }

    /** Past frames plus {@code lookAhead} future ones: {@code -past .. +lookAhead}. */
    public static AxisShape window(int past, int lookAhead) {
        if (past < 0 || lookAhead < 0) throw new IllegalArgumentException("window past/lookAhead must be >= 0, got " + past + "/" + lookAhead);
        int[] s = new int[past + lookAhead + 1];
        for (int i = 0; i < s.length; i++) s[i] = i - past;
        return new AxisShape("window(" + past + "," + lookAhead + ")", s);
    }

    /** Explicit, distinct steps in the given order. */
    public static AxisShape steps(int... steps) {
        if (Arrays.stream(steps).distinct().count() != steps.length) {
            throw new IllegalArgumentException("axis steps must be distinct, got " + Arrays.toString(steps));
        }
        return new AxisShape("steps" + Arrays.toString(steps), steps.clone());
    }

    private static void checkSize(String what, int size) {
        if (size < 1) throw new IllegalArgumentException(what + " size must be >= 1, got " + size);
    }

    public int size() {
        return steps.length;
    }

    public int step(int i) {
        return steps[i];
    }

    @Override
    public String toString() {
        return name;
    }
}
