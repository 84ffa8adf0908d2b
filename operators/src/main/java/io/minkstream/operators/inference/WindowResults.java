package io.minkstream.operators.inference;

import io.minkstream.engine.coords.CoordinateMap;
import io.minkstream.engine.tensor.SparseTensor;

/** Picks the emitted rows out of a network output and attaches labels and ground truth. */
final class WindowResults {
    private WindowResults() {
    }

    /** No rows (the frame had no voxels inside the crop box). */
    static WindowResult empty(long sequence, int channels, boolean labels, boolean truth) {
        return new WindowResult(sequence, new int[0], new float[0], channels, labels ? new int[0] : null, truth ? new int[0] : null, 1, 0, 0);
    }

    /**
     * @param fromTime   emit rows whose time coordinate is at least this
     * @param toTime     and at most this
     * @param inputMap   the window tensor's coordinates, to find each output row's input voxel
     * @param inputTruth ground truth per input row, or null
     */
    static WindowResult select(SparseTensor y, int fromTime, int toTime, LabelRule rule, CoordinateMap inputMap, int[] inputTruth, long nanos) {
        int[] yc = y.coordinates();
        float[] yf = y.features();
        int c = y.channels();
        int n = y.size();
        int rows = 0;
        for (int r = 0; r < n; r++) if (yc[r * 5 + 4] >= fromTime && yc[r * 5 + 4] <= toTime) rows++;
        int[] coords = new int[rows * 4];
        float[] feats = new float[rows * c];
        int[] labels = rule == null ? null : new int[rows];
        int[] truth = inputTruth == null ? null : new int[rows];
        for (int r = 0, j = 0; r < n; r++) {
            if (yc[r * 5 + 4] < fromTime || yc[r * 5 + 4] > toTime) continue;
            System.arraycopy(yc, r * 5 + 1, coords, j * 4, 4);
            System.arraycopy(yf, r * c, feats, j * c, c);
            if (labels != null) labels[j] = yf[r * c + rule.channel()] > rule.threshold() ? 1 : 0;
            if (truth != null) {
                int in = inputMap.find(yc, r * 5);
                truth[j] = in < 0 ? 0 : inputTruth[in];
            }
            j++;
        }
        return new WindowResult(-1, coords, feats, c, labels, truth, y.tensorStride()[0], nanos, 0);
    }
}
