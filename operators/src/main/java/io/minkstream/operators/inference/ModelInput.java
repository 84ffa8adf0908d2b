package io.minkstream.operators.inference;

/** Which per-voxel values feed the network's input channels. */
public enum ModelInput {
    /** One channel, 1.0 for every occupied voxel. */
    OCCUPANCY,
    /** The voxel's averaged point features (e.g. intensity). */
    FEATURES,
    /** Occupancy first, then the point features. */
    OCCUPANCY_AND_FEATURES;

    public int channels(int featureChannels) {
        return switch (this) {
            case OCCUPANCY -> 1;
            case FEATURES -> featureChannels;
            case OCCUPANCY_AND_FEATURES -> 1 + featureChannels;
        };
    }
}
