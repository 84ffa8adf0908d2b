package io.minkstream.engine.coords;

import java.util.Arrays;

/**
 * A set of unique coordinates with a row number each: rows of {@code 1 + D} int32 values (batch
 * index first, then D spatial/temporal axes, negatives allowed), all multiples of the map's tensor
 * stride. Immutable once built; lookups are thread-safe.
 */
public final class CoordinateMap {
    private final int dimension;
    private final int size;
    private final int[] coords;
    private final int[] tensorStride;
    private final CoordinateIndex index;

    private CoordinateMap(int dimension, int size, int[] coords, int[] tensorStride, CoordinateIndex index) {
        this.dimension = dimension;
        this.size = size;
        this.coords = coords;
        this.tensorStride = tensorStride;
        this.index = index;
    }

    /**
     * The map of these coordinates, which must be unique and multiples of {@code tensorStride}.
     *
     * @throws IllegalArgumentException naming the first offending row
     */
    public static CoordinateMap of(int[] coords, int dimension, int[] tensorStride) {
        Builder b = new Builder(coords, dimension, tensorStride);
        for (int r = 0; r < b.n; r++) {
            int previous = b.insert(r);
            if (previous >= 0) {
                throw new IllegalArgumentException("duplicate coordinate " + b.describe(r)
                        + " at rows " + previous + " and " + r + "; quantize points with SparseTensor.quantize to merge them");
            }
        }
        return b.finish(coords, b.n);
    }

    /**
     * The map of the distinct coordinates among these rows, in order of first appearance, with
     * {@code inverse[r]} set to the map row of input row r.
     */
    public static CoordinateMap unique(int[] coords, int dimension, int[] tensorStride, int[] inverse) {
        Builder b = new Builder(coords, dimension, tensorStride);
        int[] kept = new int[coords.length];
        int count = 0;
        for (int r = 0; r < b.n; r++) {
            int previous = b.insertAs(r, count, kept, count);
            if (previous >= 0) {
                inverse[r] = previous;
            } else {
                inverse[r] = count++;
            }
        }
        return b.finish(Arrays.copyOf(kept, count * b.width), count);
    }

    public int dimension() {
        return dimension;
    }

    public int size() {
        return size;
    }

    /** Width of a coordinate row: {@code 1 + dimension()}. */
    public int width() {
        return dimension + 1;
    }

    /** The rows, row-major, {@code size() x width()}. Shared, do not modify. */
    public int[] coordinates() {
        return coords;
    }

    public int[] tensorStride() {
        return tensorStride.clone();
    }

    public int coordinate(int row, int axis) {
        return coords[row * (dimension + 1) + axis];
    }

    /** Row of this coordinate ({@code 1 + D} values from {@code from}), or -1. */
    public int find(int[] coordinate, int from) {
        return index.find(coordinate, from);
    }

    public int find(int... coordinate) {
        checkWidth(coordinate.length);
        return index.find(coordinate, 0);
    }

    /**
     * Rows of {@code query + sign * offset_k} for all K offsets ({@code K x D}, row-major), -1 where
     * absent. {@code query} is a {@code 1 + D} row at {@code from}.
     */
    public void findNeighbours(int[] query, int from, int[] offsets, int kernelVolume, int sign, int[] rows) {
        index.findNeighbours(query, from, offsets, kernelVolume, sign, rows);
    }

    /** A neighbour search prepared once for K offsets and run for many query rows. Not thread-safe. */
    public interface Neighbours {
        /** Rows of {@code query + sign * offset_k} for the prepared offsets, -1 where absent. */
        void find(int[] query, int from, int[] rows);
    }

    /**
     * {@link #findNeighbours} with the offsets fixed and their key deltas computed once: use it when
     * the same offsets are looked up for many rows (each thread prepares its own).
     */
    public Neighbours neighbours(int[] offsets, int kernelVolume, int sign) {
        CoordinateIndex.NeighbourSearch search = index.prepare(offsets, kernelVolume, sign);
        return search::find;
    }

    /** The hash index itself, for the kernel map builder's prepared neighbour searches. */
    CoordinateIndex index() {
        return index;
    }

    private void checkWidth(int length) {
        if (length != dimension + 1) {
            throw new IllegalArgumentException("coordinate has " + length + " values, expected 1 + D = " + (dimension + 1));
        }
    }

    /** Builds the index while validating rows; packs keys when the coordinate ranges allow it. */
    private static final class Builder {
        final int dimension;
        final int width;
        final int n;
        final int[] coords;
        final int[] tensorStride;
        final PackedCoordinateIndex packed;
        final int[] wideRows;
        final WideCoordinateIndex wide;

        Builder(int[] coords, int dimension, int[] tensorStride) {
            if (dimension < 1) throw new IllegalArgumentException("dimension must be >= 1, got " + dimension);
            if (tensorStride.length != dimension) {
                throw new IllegalArgumentException("tensor stride has " + tensorStride.length + " axes, expected D = " + dimension);
            }
            for (int s : tensorStride) {
                // 0 marks an axis collapsed by global pooling: every coordinate on it is 0.
                if (s < 0) throw new IllegalArgumentException("tensor stride must be >= 0 on every axis, got " + Arrays.toString(tensorStride));
            }
            this.dimension = dimension;
            this.width = dimension + 1;
            if (coords.length % width != 0) {
                throw new IllegalArgumentException("coordinate array length " + coords.length + " is not a multiple of 1 + D = " + width);
            }
            this.n = coords.length / width;
            this.coords = coords;
            this.tensorStride = tensorStride.clone();
            checkStride();
            this.packed = PackedCoordinateIndex.tryCreate(coords, n, width);
            this.wideRows = packed == null ? coords.clone() : null;
            this.wide = packed == null ? new WideCoordinateIndex(wideRows, n, width) : null;
        }

        private void checkStride() {
            for (int r = 0, p = 0; r < n; r++, p += width) {
                for (int a = 1; a < width; a++) {
                    int s = tensorStride[a - 1];
                    if (s == 0 ? coords[p + a] != 0 : Math.floorMod(coords[p + a], s) != 0) {
                        throw new IllegalArgumentException("coordinate " + describe(r) + " (row " + r + ") is not a multiple of the tensor stride "
                                + Arrays.toString(tensorStride) + " on axis " + (a - 1));
                    }
                }
            }
        }

        int insert(int row) {
            return packed != null ? packed.insert(coords, row * width, row) : wide.insert(row);
        }

        /** Inserts input row r under map row {@code as}, copying it into {@code kept} if new. */
        int insertAs(int r, int as, int[] kept, int count) {
            int previous;
            if (packed != null) {
                previous = packed.insert(coords, r * width, as);
            } else {
                System.arraycopy(coords, r * width, wideRows, as * width, width);
                previous = wide.insert(as);
            }
            if (previous < 0) System.arraycopy(coords, r * width, kept, count * width, width);
            return previous;
        }

        String describe(int r) {
            return Arrays.toString(Arrays.copyOfRange(coords, r * width, r * width + width));
        }

        CoordinateMap finish(int[] rows, int count) {
            CoordinateIndex index = packed != null ? packed : wide;
            return new CoordinateMap(dimension, count, rows, tensorStride, index);
        }
    }
}
