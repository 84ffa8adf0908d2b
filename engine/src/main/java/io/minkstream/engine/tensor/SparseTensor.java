package io.minkstream.engine.tensor;

import io.minkstream.engine.coords.CoordinateKey;
import io.minkstream.engine.coords.CoordinateManager;
import io.minkstream.engine.coords.CoordinateMap;

/**
 * A sparse tensor in COO form: the coordinates named by {@code key} in {@code manager} (rows of
 * batch index + D axes) and one feature row of {@code channels} floats per coordinate, row-major.
 * Tensors produced from one another share their manager, so kernel maps are built once.
 */
public final class SparseTensor {
    private final CoordinateManager manager;
    private final CoordinateKey key;
    private final float[] features;
    private final int channels;

    private SparseTensor(CoordinateManager manager, CoordinateKey key, float[] features, int channels) {
        if (channels < 1) throw new IllegalArgumentException("channels must be >= 1, got " + channels);
        int rows = manager.map(key).size();
        if (features.length != (long) rows * channels) {
            throw new IllegalArgumentException("features have " + features.length + " values, expected rows x channels = " + rows + " x " + channels);
        }
        this.manager = manager;
        this.key = key;
        this.features = features;
        this.channels = channels;
    }

    /**
     * A tensor from user data: unique coordinates ({@code N x (1+D)}, multiples of the tensor
     * stride) and finite features ({@code N x channels}).
     *
     * @throws IllegalArgumentException naming the offending row and channel, or the mismatch
     */
    public static SparseTensor of(CoordinateManager manager, int[] coords, int[] tensorStride, float[] features, int channels) {
        checkFinite(features, channels);
        int width = manager.dimension() + 1;
        if (coords.length % width == 0 && features.length != (long) (coords.length / width) * channels) {
            throw new IllegalArgumentException("coordinates have " + coords.length / width + " rows but features have "
                    + features.length + " values = " + (features.length / (double) channels) + " rows of " + channels + " channels");
        }
        return new SparseTensor(manager, manager.insert(coords, tensorStride), features, channels);
    }

    /** As {@link #of(CoordinateManager, int[], int[], float[], int)} with tensor stride 1. */
    public static SparseTensor of(CoordinateManager manager, int[] coords, float[] features, int channels) {
        int[] ones = new int[manager.dimension()];
        java.util.Arrays.fill(ones, 1);
        return of(manager, coords, ones, features, channels);
    }

    /** A tensor on an existing map of the manager (an operation's result). */
    public static SparseTensor onMap(CoordinateManager manager, CoordinateKey key, float[] features, int channels) {
        return new SparseTensor(manager, key, features, channels);
    }

    /** The same coordinates with other features. */
    public SparseTensor withFeatures(float[] newFeatures, int newChannels) {
        return new SparseTensor(manager, key, newFeatures, newChannels);
    }

    public CoordinateManager manager() {
        return manager;
    }

    public CoordinateKey key() {
        return key;
    }

    public CoordinateMap coordinateMap() {
        return manager.map(key);
    }

    /** Coordinates, {@code size() x (1 + dimension())}, row-major. Shared, do not modify. */
    public int[] coordinates() {
        return coordinateMap().coordinates();
    }

    /** Features, {@code size() x channels()}, row-major. Shared, do not modify. */
    public float[] features() {
        return features;
    }

    public int channels() {
        return channels;
    }

    public int size() {
        return coordinateMap().size();
    }

    public int dimension() {
        return manager.dimension();
    }

    public int[] tensorStride() {
        return key.tensorStride();
    }

    /** Throws when a feature is NaN or infinite, naming its row and channel. */
    public static void checkFinite(float[] features, int channels) {
        for (int i = 0; i < features.length; i++) {
            if (!Float.isFinite(features[i])) {
                throw new IllegalArgumentException("feature at row " + i / channels + ", channel " + i % channels + " is " + features[i]
                        + "; features must be finite");
            }
        }
    }

    @Override
    public String toString() {
        return "SparseTensor[" + size() + " x " + channels + ", D=" + dimension() + ", stride " + java.util.Arrays.toString(tensorStride()) + "]";
    }
}
