package io.minkstream.operators.voxel;

import io.minkstream.engine.tensor.Quantization;
import io.minkstream.engine.tensor.QuantizationMode;
import io.minkstream.engine.tensor.SparseQuantizer;
import io.minkstream.schemas.PackedFloats;
import io.minkstream.schemas.PackedInts;
import io.minkstream.schemas.SensorFrame;
import io.minkstream.schemas.Timestamps;
import java.io.Serializable;

/**
 * Points of a frame to voxels: optional pose transform to world coordinates, crop box, then the
 * engine's quantization at the voxel size with features averaged per voxel. A voxel is labelled
 * moving when more than half of its points are.
 */
public final class Voxelizer implements Serializable {
    private static final long serialVersionUID = 1L;

    private final VoxelizerOptions options;

    public Voxelizer(VoxelizerOptions options) {
        this.options = options;
    }

    public VoxelizerOptions options() {
        return options;
    }

    public VoxelFrame voxelize(SensorFrame frame, long ingestMicros) {
        int n = frame.getPointCount();
        int c = frame.getFeatureChannels();
        float[] pos = PackedFloats.decode(frame.getPositions(), "positions", 3L * n);
        float[] feats = PackedFloats.decode(frame.getFeatures(), "features", (long) n * c);
        int[] labels = frame.getLabels() == null ? null : PackedInts.decode(frame.getLabels(), "labels", n);
        if (options.applyPose() && frame.getPose() != null) transform(pos, PackedFloats.decode(frame.getPose(), "pose", 16));
        int kept = crop(pos, feats, labels, c);
        float[] keptPos = java.util.Arrays.copyOf(pos, kept * 3);
        // A frame without feature channels still needs one per point for the quantizer; it is dropped after.
        int qc = Math.max(1, c);
        float[] qFeats = c == 0 ? new float[kept] : java.util.Arrays.copyOf(feats, kept * c);
        Quantization q = new SparseQuantizer(options.voxelSize(), QuantizationMode.UNWEIGHTED_AVERAGE).quantize(keptPos, 0, qFeats, qc);
        int v = q.voxels();
        int[] coords = new int[v * 3];
        int[] qc4 = q.coordinates();
        for (int i = 0; i < v; i++) System.arraycopy(qc4, i * 4 + 1, coords, i * 3, 3);
        int[] truth = labels == null ? null : majority(labels, q.pointToVoxel(), v);
        return new VoxelFrame(frame.getSequence(), Timestamps.toMicros(frame.getTimestamp()), ingestMicros, c,
                coords, c == 0 ? new float[0] : q.features(), truth);
    }

    private static void transform(float[] p, float[] m) {
        for (int i = 0; i < p.length; i += 3) {
            float x = p[i], y = p[i + 1], z = p[i + 2];
            p[i] = m[0] * x + m[1] * y + m[2] * z + m[3];
            p[i + 1] = m[4] * x + m[5] * y + m[6] * z + m[7];
            p[i + 2] = m[8] * x + m[9] * y + m[10] * z + m[11];
        }
    }

    /** Compacts the points inside the crop box to the front of the arrays; returns how many. */
    private int crop(float[] pos, float[] feats, int[] labels, int c) {
        float[] lo = options.cropMin();
        float[] hi = options.cropMax();
        int kept = 0;
        int n = pos.length / 3;
        for (int i = 0; i < n; i++) {
            float x = pos[i * 3], y = pos[i * 3 + 1], z = pos[i * 3 + 2];
            if (x < lo[0] || x >= hi[0] || y < lo[1] || y >= hi[1] || z < lo[2] || z >= hi[2]) continue;
            if (kept != i) {
                System.arraycopy(pos, i * 3, pos, kept * 3, 3);
                if (c > 0) System.arraycopy(feats, i * c, feats, kept * c, c);
                if (labels != null) labels[kept] = labels[i];
            }
            kept++;
        }
        if (labels != null && kept < labels.length) java.util.Arrays.fill(labels, kept, labels.length, 0);
        return kept;
    }

    private static int[] majority(int[] labels, int[] pointToVoxel, int voxels) {
        int[] moving = new int[voxels];
        int[] total = new int[voxels];
        for (int i = 0; i < pointToVoxel.length; i++) {
            total[pointToVoxel[i]]++;
            if (labels[i] == 1) moving[pointToVoxel[i]]++;
        }
        int[] truth = new int[voxels];
        for (int v = 0; v < voxels; v++) truth[v] = 2 * moving[v] > total[v] ? 1 : 0;
        return truth;
    }
}
