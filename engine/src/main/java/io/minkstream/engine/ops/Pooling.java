package io.minkstream.engine.ops;

import io.minkstream.engine.backend.Backend;
import io.minkstream.engine.backend.PoolMode;
import io.minkstream.engine.coords.CoordinateKey;
import io.minkstream.engine.coords.CoordinateManager;
import io.minkstream.engine.coords.KernelMap;
import io.minkstream.engine.coords.KernelRegion;
import io.minkstream.engine.tensor.SparseTensor;
import java.util.Arrays;

/**
 * Local pooling, global pooling and pooling transpose with MinkowskiEngine's semantics: output
 * coordinates follow convolution's rules; when kernel size equals stride every input goes to the
 * one output {@code floor(c / s) * s} (non-overlapping, not centred), otherwise windows are
 * hyper-cubes centred like convolution kernels. AVG divides by the inputs present.
 */
public final class Pooling {
    private Pooling() {
    }

    public static SparseTensor pool(PoolMode mode, SparseTensor x, int[] kernelSize, int[] stride, int[] dilation, Backend backend) {
        CoordinateManager m = x.manager();
        CoordinateKey out = m.stride(x.key(), stride);
        KernelMap map = Arrays.equals(kernelSize, stride)
                ? m.stridePoolMap(x.key(), out, stride)
                : m.kernelMap(x.key(), out, KernelRegion.hyperCube(kernelSize, dilation), false);
        float[] y = new float[map.outSize() * x.channels()];
        backend.pooling(mode, x.features(), x.channels(), map, y);
        return SparseTensor.onMap(m, out, y, x.channels());
    }

    /** One row {@code [b, 0, ..., 0]} per batch index, pooled over all of that batch's rows. */
    public static SparseTensor global(PoolMode mode, SparseTensor x, Backend backend) {
        CoordinateManager m = x.manager();
        CoordinateKey out = m.global(x.key());
        KernelMap map = m.globalMap(x.key(), out);
        float[] y = new float[map.outSize() * x.channels()];
        backend.pooling(mode, x.features(), x.channels(), map, y);
        return SparseTensor.onMap(m, out, y, x.channels());
    }

    /**
     * {@code MinkowskiPoolingTranspose} (unpooling): back to the finer map (as a transposed
     * convolution finds it), each output summing the coarse inputs whose window covers it; with
     * kernel size = stride that copies each coarse row to its children.
     */
    public static SparseTensor unpool(SparseTensor x, int[] kernelSize, int[] stride, Backend backend) {
        CoordinateManager m = x.manager();
        KernelRegion region = KernelRegion.hyperCube(kernelSize, Convolution.ones(x.dimension()));
        CoordinateKey out = m.transposed(x.key(), stride, region, false);
        KernelMap map = m.kernelMap(x.key(), out, region, true);
        float[] y = new float[map.outSize() * x.channels()];
        backend.pooling(PoolMode.SUM, x.features(), x.channels(), map, y);
        return SparseTensor.onMap(m, out, y, x.channels());
    }
}
