package io.minkstream.engine.ops;

/**
 * A dense export: {@code data[b][c][i_1]...[i_D]} in C order, where grid index {@code i_a} is
 * {@code (coordinate_a - origin_a) / tensorStride_a}; empty cells are 0.
 */
public record DenseTensor(float[] data, int batches, int channels, int[] shape, int[] origin, int[] tensorStride) {

    public float get(int batch, int channel, int... index) {
        int at = batch * channels + channel;
        for (int a = 0; a < shape.length; a++) at = at * shape[a] + index[a];
        return data[at];
    }
}
