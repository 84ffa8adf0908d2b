package io.minkstream.engine.tensor;

/**
 * The result of quantizing points into voxels: unique voxel coordinates ({@code voxels x (1+D)}),
 * merged features ({@code voxels x channels}) and, for every input point, the voxel it fell into.
 */
public record Quantization(int[] coordinates, float[] features, int channels, int[] pointToVoxel, int dimension) {

    public int voxels() {
        return coordinates.length / (dimension + 1);
    }
}
