package io.minkstream.operators.voxel;

import java.io.Serializable;
import java.util.Arrays;

/**
 * How points become voxels.
 *
 * @param voxelSize metres per voxel along x, y, z
 * @param cropMin   lower corner of the kept box (metres, after the pose transform)
 * @param cropMax   upper corner of the kept box
 * @param applyPose transform points to world coordinates with the frame's pose, when it has one
 */
public record VoxelizerOptions(float[] voxelSize, float[] cropMin, float[] cropMax, boolean applyPose) implements Serializable {

    public VoxelizerOptions {
        check("voxel size", voxelSize);
        check("crop min", cropMin);
        check("crop max", cropMax);
        for (int a = 0; a < 3; a++) {
            if (!(voxelSize[a] > 0f) || !Float.isFinite(voxelSize[a])) throw new IllegalArgumentException("voxel size must be positive and finite, got " + Arrays.toString(voxelSize));
            if (!(cropMin[a] < cropMax[a])) throw new IllegalArgumentException("crop box min " + Arrays.toString(cropMin) + " must be below max " + Arrays.toString(cropMax) + " on every axis");
        }
        voxelSize = voxelSize.clone();
        cropMin = cropMin.clone();
        cropMax = cropMax.clone();
    }

    private static void check(String what, float[] v) {
        if (v == null || v.length != 3) throw new IllegalArgumentException(what + " needs 3 values (x, y, z), got " + (v == null ? "none" : v.length));
    }
}
