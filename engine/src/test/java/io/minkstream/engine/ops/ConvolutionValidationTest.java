package io.minkstream.engine.ops;

import static io.minkstream.engine.ops.SparseGrids.fill;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minkstream.engine.backend.CpuBackend;
import io.minkstream.engine.coords.CoordinateManager;
import io.minkstream.engine.coords.KernelRegion;
import io.minkstream.engine.nn.ConvolutionLayer;
import io.minkstream.engine.nn.LinearLayer;
import io.minkstream.engine.tensor.SparseTensor;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Weights, biases, regions and strides that do not fit the layer fail before any work, naming expected vs found. */
class ConvolutionValidationTest {
    private static final CpuBackend BACKEND = new CpuBackend(1);

    @AfterAll
    static void close() {
        BACKEND.close();
    }

    private static SparseTensor input(int channels) {
        return SparseGrids.tensor(new CoordinateManager(3, BACKEND.kernelMapBuilder()), new Random(1), new int[] {0}, -2, 2, 0.5, fill(3, 1), channels);
    }

    @Test
    void kernelOfTheWrongShapeNamesExpectedAndFound() {
        SparseTensor x = input(3);
        KernelRegion cube = KernelRegion.hyperCube(3, 3);
        assertThatThrownBy(() -> Convolution.convolution(x, new float[100], 4, null, cube, fill(3, 1), BACKEND))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("kernel has 100 values, expected [27][3][4] = 324");
        assertThatThrownBy(() -> Convolution.transposed(x, new float[27 * 3 * 4], 4, null, KernelRegion.hyperCube(3, 2), fill(3, 1), false, BACKEND))
                .hasMessageContaining("kernel has 324 values, expected [8][3][4] = 96");
        assertThatThrownBy(() -> Convolution.channelwise(x, new float[27 * 4], null, cube, fill(3, 1), BACKEND))
                .hasMessageContaining("kernel has 108 values, expected [27][3] = 81");
        assertThatThrownBy(() -> Convolution.linear(x, new float[5], 4, null, BACKEND))
                .hasMessageContaining("linear weights have 5 values, expected [3][4]");
    }

    @Test
    void layersCheckShapesAtConstructionAndChannelsAtForward() {
        KernelRegion cube = KernelRegion.hyperCube(3, 3);
        assertThatThrownBy(() -> new ConvolutionLayer(ConvolutionLayer.Kind.CONVOLUTION, cube, fill(3, 1), 3, 4, new float[10], null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kernel has 10 values, expected 324 ([27][3][4])");
        assertThatThrownBy(() -> new ConvolutionLayer(ConvolutionLayer.Kind.CHANNELWISE, cube, fill(3, 1), 3, 3, new float[27 * 9], null))
                .hasMessageContaining("expected 81 ([27][3])");
        assertThatThrownBy(() -> new ConvolutionLayer(ConvolutionLayer.Kind.CONVOLUTION, cube, fill(3, 1), 3, 4, new float[324], new float[3]))
                .hasMessageContaining("bias has 3 values, expected 4");
        assertThatThrownBy(() -> new ConvolutionLayer(ConvolutionLayer.Kind.CONVOLUTION, cube, fill(2, 1), 3, 4, new float[324], null))
                .hasMessageContaining("stride [1, 1] has 2 axes, region has 3");
        ConvolutionLayer layer = new ConvolutionLayer(ConvolutionLayer.Kind.CONVOLUTION, cube, fill(3, 1), 3, 4, new float[324], null);
        assertThatThrownBy(() -> layer.forward(input(2), BACKEND)).hasMessageContaining("convolution expects 3 input channels, tensor has 2");
        LinearLayer linear = new LinearLayer(3, 2, new float[6], null);
        assertThatThrownBy(() -> linear.forward(input(5), BACKEND)).hasMessageContaining("linear expects 3 input channels, tensor has 5");
        assertThatThrownBy(() -> new LinearLayer(3, 2, new float[6], new float[1])).hasMessageContaining("bias has 1 values, expected 2");
    }

    @Test
    void regionOfTheWrongDimensionIsRejected() {
        SparseTensor x = input(2);
        assertThatThrownBy(() -> Convolution.convolution(x, new float[9 * 2 * 2], 2, null, KernelRegion.hyperCube(2, 3), fill(3, 1), BACKEND))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has dimension 2, tensor has 3");
        assertThatThrownBy(() -> Convolution.channelwise(x, new float[9 * 2], null, KernelRegion.hyperCube(2, 3), fill(3, 1), BACKEND))
                .hasMessageContaining("has dimension 2, tensor has 3");
        assertThatThrownBy(() -> KernelRegion.hyperCube(new int[] {3, 3, 3}, new int[] {1, 1}))
                .hasMessageContaining("dilation has 2 axes, expected 3");
        assertThatThrownBy(() -> KernelRegion.hyperCube(new int[] {3, 3}, new int[] {1, 0})).hasMessageContaining("dilation must be >= 1");
    }

    @Test
    void biasOfTheWrongLengthIsRejected() {
        SparseTensor x = input(2);
        KernelRegion cube = KernelRegion.hyperCube(3, 3);
        assertThatThrownBy(() -> Convolution.convolution(x, new float[27 * 2 * 4], 4, new float[3], cube, fill(3, 1), BACKEND))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bias has 3 values, expected 4");
        assertThatThrownBy(() -> Convolution.channelwise(x, new float[27 * 2], new float[4], cube, fill(3, 1), BACKEND))
                .hasMessageContaining("bias has 4 values, expected 2");
        assertThatThrownBy(() -> Convolution.linear(x, new float[2 * 4], 4, new float[5], BACKEND)).hasMessageContaining("bias has 5 values, expected 4");
    }

    @Test
    void badStridesAreRejected() {
        SparseTensor x = input(2);
        KernelRegion cube = KernelRegion.hyperCube(3, 3);
        float[] w = new float[27 * 2 * 2];
        assertThatThrownBy(() -> Convolution.convolution(x, w, 2, null, cube, new int[] {2, 2}, BACKEND))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stride has 2 axes, expected 3");
        assertThatThrownBy(() -> Convolution.convolution(x, w, 2, null, cube, new int[] {2, 0, 2}, BACKEND))
                .hasMessageContaining("stride must be >= 1 on every axis, got [2, 0, 2]");
        assertThatThrownBy(() -> Convolution.transposed(x, w, 2, null, cube, new int[] {2, 2, 2}, false, BACKEND))
                .hasMessageContaining("transposed stride [2, 2, 2] does not divide tensor stride [1, 1, 1]");
    }
}
