package io.minkstream.engine.coords;

import java.util.Arrays;

/**
 * Names one coordinate map inside a {@link CoordinateManager}: its tensor stride plus an id that
 * tells apart maps of the same stride (e.g. generated ones). Two tensors with the same manager and
 * key share their coordinates.
 */
public final class CoordinateKey {
    private final int id;
    private final int[] tensorStride;

    CoordinateKey(int id, int[] tensorStride) {
        this.id = id;
        this.tensorStride = tensorStride.clone();
    }

    public int id() {
        return id;
    }

    public int[] tensorStride() {
        return tensorStride.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CoordinateKey k && id == k.id && Arrays.equals(tensorStride, k.tensorStride);
    }

    @Override
    public int hashCode() {
        return 31 * id + Arrays.hashCode(tensorStride);
    }

    @Override
    public String toString() {
        return "CoordinateKey#" + id + Arrays.toString(tensorStride);
    }
}
