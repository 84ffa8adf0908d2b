package io.minkstream.engine.ops;

import io.minkstream.engine.tensor.SparseTensor;

/** {@code SparseTensor.dense()}: a dense grid over the tensor's bounding box, for small tensors. */
public final class Dense {
    /** Refuse grids above 2^28 floats (1 GiB): dense() is for inspection, not for scenes. */
    public static final long MAX_CELLS = 1L << 28;

    private Dense() {
    }

    public static DenseTensor dense(SparseTensor x) {
        int d = x.dimension();
        int w = d + 1;
        int[] ts = x.tensorStride();
        int[] coords = x.coordinates();
        int n = x.size();
        int[] min = new int[d];
        int[] max = new int[d];
        java.util.Arrays.fill(min, Integer.MAX_VALUE);
        java.util.Arrays.fill(max, Integer.MIN_VALUE);
        int batches = 0;
        for (int r = 0; r < n; r++) {
            int b = coords[r * w];
            if (b < 0) throw new IllegalArgumentException("dense export needs batch indices >= 0, row " + r + " has " + b);
            batches = Math.max(batches, b + 1);
            for (int a = 0; a < d; a++) {
                min[a] = Math.min(min[a], coords[r * w + a + 1]);
                max[a] = Math.max(max[a], coords[r * w + a + 1]);
            }
        }
        int c = x.channels();
        int[] shape = new int[d];
        long cells = (long) batches * c;
        for (int a = 0; a < d; a++) {
            int step = Math.max(1, ts[a]);
            shape[a] = n == 0 ? 0 : (max[a] - min[a]) / step + 1;
            cells *= shape[a];
            if (cells > MAX_CELLS) throw new IllegalArgumentException("dense export would need more than " + MAX_CELLS + " cells; crop the tensor first");
        }
        float[] data = new float[(int) cells];
        float[] f = x.features();
        for (int r = 0; r < n; r++) {
            for (int ch = 0; ch < c; ch++) {
                int at = coords[r * w] * c + ch;
                for (int a = 0; a < d; a++) at = at * shape[a] + (coords[r * w + a + 1] - min[a]) / Math.max(1, ts[a]);
                data[at] = f[r * c + ch];
            }
        }
        return new DenseTensor(data, batches, c, shape, n == 0 ? new int[d] : min, ts);
    }
}
