package io.minkstream.operators.inference;

import io.minkstream.engine.coords.CoordinateManager;
import io.minkstream.engine.tensor.SparseTensor;
import io.minkstream.operators.voxel.VoxelFrame;
import java.util.List;

/**
 * Assembles a window's frames into one 4-D sparse tensor: rows {@code [0, x, y, z, t]} with
 * {@code t = sequence - baseSequence} (the frame's index on the sensor's time grid), frames in
 * ascending sequence, each frame's voxels in their own order.
 */
public final class WindowTensor {
    private WindowTensor() {
    }

    public static int timeOf(VoxelFrame f, long baseSequence) {
        long t = f.sequence() - baseSequence;
        if (t != (int) t) throw new IllegalArgumentException("frame " + f.sequence() + " is too far from the base sequence " + baseSequence);
        return (int) t;
    }

    public static SparseTensor build(List<VoxelFrame> frames, long baseSequence, ModelInput input, CoordinateManager manager) {
        int rows = 0;
        for (VoxelFrame f : frames) rows += f.voxels();
        int fc = frames.isEmpty() ? 0 : frames.get(0).channels();
        int c = input.channels(fc);
        int[] coords = new int[rows * 5];
        float[] feats = new float[rows * c];
        int r = 0;
        for (VoxelFrame f : frames) {
            if (f.channels() != fc) throw new IllegalArgumentException("frame " + f.sequence() + " has " + f.channels() + " feature channels, the window " + fc);
            int t = timeOf(f, baseSequence);
            int[] fcoords = f.coords();
            float[] ff = f.features();
            for (int v = 0; v < f.voxels(); v++, r++) {
                coords[r * 5 + 1] = fcoords[v * 3];
                coords[r * 5 + 2] = fcoords[v * 3 + 1];
                coords[r * 5 + 3] = fcoords[v * 3 + 2];
                coords[r * 5 + 4] = t;
                writeFeatures(input, ff, v, fc, feats, r * c);
            }
        }
        return SparseTensor.of(manager, coords, feats, Math.max(1, c));
    }

    static void writeFeatures(ModelInput input, float[] ff, int v, int fc, float[] out, int at) {
        switch (input) {
            case OCCUPANCY -> out[at] = 1f;
            case FEATURES -> System.arraycopy(ff, v * fc, out, at, fc);
            case OCCUPANCY_AND_FEATURES -> {
                out[at] = 1f;
                System.arraycopy(ff, v * fc, out, at + 1, fc);
            }
        }
    }
}
