package io.minkstream.engine.coords;

import static org.assertj.core.api.Assertions.assertThat;

import io.minkstream.engine.backend.CpuBackend;
import io.minkstream.engine.backend.PoolMode;
import io.minkstream.engine.nn.ConvolutionLayer;
import io.minkstream.engine.nn.Layer;
import io.minkstream.engine.nn.PoolingLayer;
import io.minkstream.engine.ops.SparseGrids;
import io.minkstream.engine.tensor.SparseTensor;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Repeated layers on the same coordinates reuse the manager's kernel maps instead of rebuilding them. */
class CoordinateManagerCacheTest {
    private static final CpuBackend BACKEND = new CpuBackend(2);

    @AfterAll
    static void close() {
        BACKEND.close();
    }

    private static ConvolutionLayer conv(ConvolutionLayer.Kind kind, KernelRegion region, int[] stride, int cIn, int cOut, Random rnd) {
        return new ConvolutionLayer(kind, region, stride, cIn, cOut, SparseGrids.values(rnd, region.volume() * cIn * cOut), null);
    }

    /** Runs the layer twice; the second run must be exactly one hit and no miss, with the same result. */
    private static SparseTensor repeatIsACacheHit(String what, Layer layer, SparseTensor x) {
        CoordinateManager m = x.manager();
        SparseTensor first = layer.forward(x, BACKEND);
        long hits = m.kernelMapHits();
        long misses = m.kernelMapMisses();
        int cached = m.cachedKernelMaps();
        SparseTensor second = layer.forward(x, BACKEND);
        assertThat(m.kernelMapHits()).as(what + ": hits").isEqualTo(hits + 1);
        assertThat(m.kernelMapMisses()).as(what + ": misses").isEqualTo(misses);
        assertThat(m.cachedKernelMaps()).as(what + ": cached maps").isEqualTo(cached);
        assertThat(second.key()).as(what + ": output coordinates").isEqualTo(first.key());
        assertThat(second.features()).as(what + ": output").isEqualTo(first.features());
        return first;
    }

    @Test
    void repeatedLayersHitTheKernelMapCache() {
        Random rnd = new Random(1);
        CoordinateManager m = new CoordinateManager(3, BACKEND.kernelMapBuilder());
        SparseTensor x = SparseGrids.tensor(m, rnd, new int[] {0, 1}, -4, 4, 0.3, SparseGrids.fill(3, 1), 4);
        assertThat(m.kernelMapHits()).isZero();
        assertThat(m.kernelMapMisses()).isZero();

        ConvolutionLayer k3 = conv(ConvolutionLayer.Kind.CONVOLUTION, KernelRegion.hyperCube(3, 3), new int[] {1, 1, 1}, 4, 4, rnd);
        repeatIsACacheHit("conv k=3", k3, x);
        assertThat(m.kernelMapMisses()).isEqualTo(1);
        // Another layer with the same region and coordinates but other weights shares the map too.
        repeatIsACacheHit("second conv k=3", conv(ConvolutionLayer.Kind.CONVOLUTION, KernelRegion.hyperCube(3, 3), new int[] {1, 1, 1}, 4, 2, rnd), x);
        assertThat(m.kernelMapMisses()).as("no new map for the same region").isEqualTo(1);

        repeatIsACacheHit("cross", conv(ConvolutionLayer.Kind.CONVOLUTION, KernelRegion.hyperCross(new int[] {3, 3, 3}, new int[] {1, 1, 1}),
                new int[] {1, 1, 1}, 4, 4, rnd), x);
        assertThat(m.kernelMapMisses()).as("a different region is a different map").isEqualTo(2);

        SparseTensor coarse = repeatIsACacheHit("strided conv", conv(ConvolutionLayer.Kind.CONVOLUTION, KernelRegion.hyperCube(3, 2),
                new int[] {2, 2, 2}, 4, 6, rnd), x);
        repeatIsACacheHit("transposed conv", conv(ConvolutionLayer.Kind.TRANSPOSED, KernelRegion.hyperCube(3, 2), new int[] {2, 2, 2}, 6, 4, rnd), coarse);
        repeatIsACacheHit("max pool k=2 s=2", PoolingLayer.local(PoolMode.MAX, new int[] {2, 2, 2}, new int[] {2, 2, 2}, new int[] {1, 1, 1}), x);
        repeatIsACacheHit("avg pool k=3 s=2", PoolingLayer.local(PoolMode.AVG, new int[] {3, 3, 3}, new int[] {2, 2, 2}, new int[] {1, 1, 1}), x);
    }

    @Test
    void stridedLayersLandOnTheExistingMapOfTheirStride() {
        Random rnd = new Random(2);
        CoordinateManager m = new CoordinateManager(2, BACKEND.kernelMapBuilder());
        SparseTensor x = SparseGrids.tensor(m, rnd, new int[] {0}, -5, 5, 0.4, SparseGrids.fill(2, 1), 2);
        CoordinateKey a = m.stride(x.key(), new int[] {2, 2});
        CoordinateKey b = m.stride(x.key(), new int[] {2, 2});
        assertThat(b).isEqualTo(a);
        assertThat(m.stride(x.key(), new int[] {1, 1})).isEqualTo(x.key());
        assertThat(m.transposed(a, new int[] {2, 2}, KernelRegion.hyperCube(2, 2), false)).isEqualTo(x.key());
        assertThat(m.transposed(a, new int[] {2, 2}, KernelRegion.hyperCube(2, 2), true)).isNotEqualTo(x.key());
    }
}
