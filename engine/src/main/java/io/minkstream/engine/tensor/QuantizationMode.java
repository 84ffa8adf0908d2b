package io.minkstream.engine.tensor;

/** How points that fall into one voxel are merged (MinkowskiEngine's {@code SparseTensorQuantizationMode}). */
public enum QuantizationMode {
    /** Mean of the points' features. */
    UNWEIGHTED_AVERAGE,
    /** Sum of the points' features. */
    UNWEIGHTED_SUM,
    /** Per-channel maximum. */
    MAX_POOL,
    /** The features of one point chosen at random (seeded, so reproducible). */
    RANDOM_SUBSAMPLE
}
