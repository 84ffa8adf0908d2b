package io.minkstream.engine.coords;

/**
 * Identity of a cached kernel map: input and output maps, the region (offsets and dilation) and
 * how the offsets are read (forward or transposed), plus the kind of map it is.
 */
record KernelMapKey(CoordinateKey in, CoordinateKey out, KernelRegion region, boolean transposed, Kind kind) {
    enum Kind { KERNEL, STRIDE_POOL, GLOBAL }
}
