package io.minkstream.operators.inference;

/** How a window's network output is computed for each new frame. */
public enum WindowMode {
    /** Rebuild the window's tensor and run the whole network on it (MinkowskiEngine's way). */
    RECOMPUTE,
    /** Compute only the new frame's rows at each layer, reusing earlier frames' kernel maps and activations. */
    INCREMENTAL
}
