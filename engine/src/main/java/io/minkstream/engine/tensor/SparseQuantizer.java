package io.minkstream.engine.tensor;

import io.minkstream.engine.coords.CoordinateMap;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Turns continuous points into voxels, as MinkowskiEngine's {@code sparse_quantize}:
 * {@code voxel_i = floor(p_i / voxelSize_i)} per axis (rounding toward -inf), duplicates merged
 * by a {@link QuantizationMode}. Voxels come out in order of their first point.
 */
public final class SparseQuantizer {
    private final float[] voxelSize;
    private final QuantizationMode mode;
    private final long seed;

    public SparseQuantizer(float[] voxelSize, QuantizationMode mode, long seed) {
        if (voxelSize.length == 0) throw new IllegalArgumentException("voxel size needs at least one axis");
        for (int a = 0; a < voxelSize.length; a++) {
            if (!(voxelSize[a] > 0f) || !Float.isFinite(voxelSize[a])) {
                throw new IllegalArgumentException("voxel size on axis " + a + " must be positive and finite, got " + voxelSize[a]);
            }
        }
        this.voxelSize = voxelSize.clone();
        this.mode = mode;
        this.seed = seed;
    }

    public SparseQuantizer(float[] voxelSize, QuantizationMode mode) {
        this(voxelSize, mode, 0L);
    }

    /**
     * Quantizes {@code points} ({@code N x D} floats) with batch index {@code batch} and features
     * {@code N x channels}.
     */
    public Quantization quantize(float[] points, int batch, float[] features, int channels) {
        int d = voxelSize.length;
        if (points.length % d != 0) throw new IllegalArgumentException("points length " + points.length + " is not a multiple of D = " + d);
        int n = points.length / d;
        if (features.length != (long) n * channels) {
            throw new IllegalArgumentException("features have " + features.length + " values, expected points x channels = " + n + " x " + channels);
        }
        SparseTensor.checkFinite(features, channels);
        int w = d + 1;
        int[] coords = new int[n * w];
        for (int i = 0; i < n; i++) {
            coords[i * w] = batch;
            for (int a = 0; a < d; a++) {
                float p = points[i * d + a];
                double v = Math.floor(p / (double) voxelSize[a]);
                if (!Float.isFinite(p) || v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException("point " + i + " axis " + a + " = " + p + " cannot be quantized at voxel size " + voxelSize[a]);
                }
                coords[i * w + a + 1] = (int) v;
            }
        }
        int[] ones = new int[d];
        Arrays.fill(ones, 1);
        int[] pointToVoxel = new int[n];
        CoordinateMap voxels = CoordinateMap.unique(coords, d, ones, pointToVoxel);
        float[] merged = merge(features, channels, pointToVoxel, voxels.size());
        return new Quantization(voxels.coordinates(), merged, channels, pointToVoxel, d);
    }

    private float[] merge(float[] features, int channels, int[] pointToVoxel, int voxels) {
        int n = pointToVoxel.length;
        float[] out = new float[voxels * channels];
        int[] count = new int[voxels];
        if (mode == QuantizationMode.MAX_POOL) Arrays.fill(out, Float.NEGATIVE_INFINITY);
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            int v = pointToVoxel[i];
            int ob = v * channels;
            int ib = i * channels;
            count[v]++;
            switch (mode) {
                case UNWEIGHTED_AVERAGE, UNWEIGHTED_SUM -> {
                    for (int c = 0; c < channels; c++) out[ob + c] += features[ib + c];
                }
                case MAX_POOL -> {
                    for (int c = 0; c < channels; c++) out[ob + c] = Math.max(out[ob + c], features[ib + c]);
                }
                // Reservoir sampling: the i-th point of a voxel replaces the kept one with probability 1/i.
                case RANDOM_SUBSAMPLE -> {
                    if (random.nextInt(count[v]) == 0) System.arraycopy(features, ib, out, ob, channels);
                }
            }
        }
        if (mode == QuantizationMode.UNWEIGHTED_AVERAGE) {
            for (int v = 0; v < voxels; v++) {
                for (int c = 0; c < channels; c++) out[v * channels + c] /= count[v];
            }
        }
        return out;
    }
}
