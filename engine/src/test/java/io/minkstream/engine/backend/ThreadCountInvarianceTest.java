package io.minkstream.engine.backend;

import static org.assertj.core.api.Assertions.assertThat;

import io.minkstream.engine.coords.CoordinateManager;
import io.minkstream.engine.coords.KernelMap;
import io.minkstream.engine.coords.KernelRegion;
import io.minkstream.engine.ops.Convolution;
import io.minkstream.engine.ops.Pooling;
import io.minkstream.engine.ops.SparseGrids;
import io.minkstream.engine.tensor.SparseTensor;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One and two worker threads give bitwise identical kernel maps and outputs: each output row is
 * owned by one thread and accumulated in the same k order. The tensor is large enough (about 19k
 * rows) that both the kernel map builder and the convolution really split the work.
 */
class ThreadCountInvarianceTest {
    private static CpuBackend one;
    private static CpuBackend two;
    private static int[] coords;
    private static float[] features;
    private static final int C_IN = 16;

    @BeforeAll
    static void setUp() {
        one = new CpuBackend(1);
        two = new CpuBackend(2);
        Random rnd = new Random(42);
        coords = SparseGrids.coordinates(rnd, 3, new int[] {0, 1}, -16, 16, 0.3, SparseGrids.fill(3, 1));
        features = SparseGrids.values(rnd, coords.length / 4 * C_IN);
    }

    @AfterAll
    static void close() {
        one.close();
        two.close();
    }

    private static SparseTensor input(CpuBackend backend) {
        return SparseTensor.of(new CoordinateManager(3, backend.kernelMapBuilder()), coords.clone(), features.clone(), C_IN);
    }

    private static void assertBitwiseEqual(String what, float[] a, float[] b) {
        assertThat(a).as(what + ": length").hasSameSizeAs(b);
        for (int i = 0; i < a.length; i++) {
            if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(b[i])) {
                throw new AssertionError(what + ": value " + i + " differs: 1 thread " + a[i] + ", 2 threads " + b[i]);
            }
        }
    }

    private static void assertSameMap(String what, KernelMap a, KernelMap b) {
        assertThat(a.pairCount()).as(what).isEqualTo(b.pairCount()).isGreaterThan(4 * 2048);
        assertThat(a.outStart()).as(what + ": outStart").isEqualTo(b.outStart());
        assertThat(a.kernelIndex()).as(what + ": kernelIndex").isEqualTo(b.kernelIndex());
        assertThat(a.inRow()).as(what + ": inRow").isEqualTo(b.inRow());
    }

    @Test
    void kernelMapsAreIdentical() {
        SparseTensor x1 = input(one);
        SparseTensor x2 = input(two);
        assertThat(x1.size()).isGreaterThan(8 * 2048);
        KernelRegion cube = KernelRegion.hyperCube(3, 3);
        assertSameMap("cube k=3", x1.manager().kernelMap(x1.key(), x1.key(), cube, false), x2.manager().kernelMap(x2.key(), x2.key(), cube, false));
        var s1 = x1.manager().stride(x1.key(), new int[] {2, 2, 2});
        var s2 = x2.manager().stride(x2.key(), new int[] {2, 2, 2});
        assertThat(x1.manager().map(s1).coordinates()).isEqualTo(x2.manager().map(s2).coordinates());
        assertSameMap("stride 2", x1.manager().kernelMap(x1.key(), s1, cube, false), x2.manager().kernelMap(x2.key(), s2, cube, false));
        assertSameMap("transposed", x1.manager().kernelMap(s1, x1.key(), cube, true), x2.manager().kernelMap(s2, x2.key(), cube, true));
    }

    @Test
    void convolutionPoolingAndNormOutputsAreBitwiseIdentical() {
        Random rnd = new Random(7);
        SparseTensor x1 = input(one);
        SparseTensor x2 = input(two);
        for (int cOut : new int[] {33, 8, 3}) {
            KernelRegion region = KernelRegion.hyperCube(3, 3);
            float[] w = SparseGrids.values(rnd, region.volume() * C_IN * cOut);
            float[] bias = SparseGrids.values(rnd, cOut);
            SparseTensor y1 = Convolution.convolution(x1, w, cOut, bias, region, new int[] {1, 1, 1}, one);
            SparseTensor y2 = Convolution.convolution(x2, w, cOut, bias, region, new int[] {1, 1, 1}, two);
            assertBitwiseEqual("conv C" + cOut, y1.features(), y2.features());
            SparseTensor z1 = Convolution.convolution(x1, w, cOut, bias, region, new int[] {2, 2, 2}, one);
            SparseTensor z2 = Convolution.convolution(x2, w, cOut, bias, region, new int[] {2, 2, 2}, two);
            assertBitwiseEqual("strided conv C" + cOut, z1.features(), z2.features());
        }
        float[] cw = SparseGrids.values(rnd, 27 * C_IN);
        assertBitwiseEqual("channelwise", Convolution.channelwise(x1, cw, null, KernelRegion.hyperCube(3, 3), new int[] {1, 1, 1}, one).features(),
                Convolution.channelwise(x2, cw, null, KernelRegion.hyperCube(3, 3), new int[] {1, 1, 1}, two).features());
        for (PoolMode mode : PoolMode.values()) {
            assertBitwiseEqual("pool " + mode, Pooling.pool(mode, x1, new int[] {3, 3, 3}, new int[] {2, 2, 2}, new int[] {1, 1, 1}, one).features(),
                    Pooling.pool(mode, x2, new int[] {3, 3, 3}, new int[] {2, 2, 2}, new int[] {1, 1, 1}, two).features());
        }
        assertBitwiseEqual("gelu", io.minkstream.engine.ops.Normalization.activate(x1, Activation.GELU, one).features(),
                io.minkstream.engine.ops.Normalization.activate(x2, Activation.GELU, two).features());
    }
}
