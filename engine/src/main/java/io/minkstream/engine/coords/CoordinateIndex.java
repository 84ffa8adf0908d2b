package io.minkstream.engine.coords;

/**
 * Hash index from a coordinate row (batch index first, then D axes) to its row number in a
 * {@link CoordinateMap}. Two implementations: {@link PackedCoordinateIndex} when every coordinate
 * fits into one 63-bit key, {@link WideCoordinateIndex} otherwise; callers never see the difference.
 */
interface CoordinateIndex {

    /** Row of the coordinate stored at {@code query[from .. from+width)}, or -1. */
    int find(int[] query, int from);

    /**
     * For one query coordinate, the rows of {@code query + sign * offset_k} for every offset k,
     * written to {@code rows[k]} (-1 where absent). Offsets are K rows of D (spatial) values; the
     * batch index is never offset.
     */
    void findNeighbours(int[] query, int from, int[] offsets, int kernelVolume, int sign, int[] rows);

    /**
     * A search for these K offsets, prepared once and then run for many query rows: the kernel
     * map's inner loop. The search keeps scratch state, so each thread prepares its own.
     */
    default NeighbourSearch prepare(int[] offsets, int kernelVolume, int sign) {
        return (query, from, rows) -> findNeighbours(query, from, offsets, kernelVolume, sign, rows);
    }

    /** {@link #findNeighbours} with the offsets fixed. */
    @FunctionalInterface
    interface NeighbourSearch {
        void find(int[] query, int from, int[] rows);
    }
}
