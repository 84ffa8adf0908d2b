package io.minkstream.engine.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code sparse_quantize} against values worked out by hand. Voxel sizes are powers of two so
 * every division is exact and the floor is unambiguous.
 */
class SparseQuantizerTest {
    private static final float[] VOXEL = {0.5f, 2.0f};
    // point -> expected voxel: floor(x / 0.5), floor(y / 2), toward -inf
    private static final float[] POINTS = {
        0.2f, 1.0f,     // (0, 0)
        -0.1f, 3.9f,    // (-1, 1)
        0.4f, 0.5f,     // (0, 0)
        -0.5f, -0.1f,   // (-1, -1): -0.5 / 0.5 is exactly -1
        -0.25f, 2.0f,   // (-1, 1)
        0.0f, 1.99f,    // (0, 0)
        -1.0f, -4.0f,   // (-2, -2)
    };
    private static final int[][] VOXEL_OF_POINT = {{0, 0}, {-1, 1}, {0, 0}, {-1, -1}, {-1, 1}, {0, 0}, {-2, -2}};
    private static final float[] FEATURES = {1, -2, 4, 0, 3, 5, -1, -1, 2, 8, -4, 0.5f, 7, 7};

    private static Quantization quantize(QuantizationMode mode, long seed) {
        return new SparseQuantizer(VOXEL, mode, seed).quantize(POINTS, 3, FEATURES, 2);
    }

    /** Features of the voxel at (x, y) in batch 3. */
    private static float[] voxel(Quantization q, int x, int y) {
        int[] c = q.coordinates();
        for (int v = 0; v < q.voxels(); v++) {
            if (c[v * 3] == 3 && c[v * 3 + 1] == x && c[v * 3 + 2] == y) return Arrays.copyOfRange(q.features(), v * 2, v * 2 + 2);
        }
        throw new AssertionError("no voxel [3, " + x + ", " + y + "] in " + Arrays.toString(c));
    }

    @Test
    void pointsFloorTowardMinusInfinityAndMapToTheirVoxel() {
        Quantization q = quantize(QuantizationMode.UNWEIGHTED_SUM, 0);
        assertThat(q.voxels()).isEqualTo(4);
        assertThat(q.dimension()).isEqualTo(2);
        assertThat(q.channels()).isEqualTo(2);
        assertThat(q.pointToVoxel()).hasSize(7);
        for (int i = 0; i < 7; i++) {
            int v = q.pointToVoxel()[i];
            assertThat(Arrays.copyOfRange(q.coordinates(), v * 3, v * 3 + 3)).as("voxel of point %d", i)
                    .containsExactly(3, VOXEL_OF_POINT[i][0], VOXEL_OF_POINT[i][1]);
        }
        assertThat(q.pointToVoxel()[0]).isEqualTo(q.pointToVoxel()[2]).isEqualTo(q.pointToVoxel()[5]);
        assertThat(q.pointToVoxel()[1]).isEqualTo(q.pointToVoxel()[4]);
    }

    @Test
    void unweightedSum() {
        Quantization q = quantize(QuantizationMode.UNWEIGHTED_SUM, 0);
        assertThat(voxel(q, 0, 0)).containsExactly(0f, 3.5f);
        assertThat(voxel(q, -1, 1)).containsExactly(6f, 8f);
        assertThat(voxel(q, -1, -1)).containsExactly(-1f, -1f);
        assertThat(voxel(q, -2, -2)).containsExactly(7f, 7f);
    }

    @Test
    void unweightedAverage() {
        Quantization q = quantize(QuantizationMode.UNWEIGHTED_AVERAGE, 0);
        assertThat(voxel(q, 0, 0)[0]).isEqualTo(0f);
        assertThat((double) voxel(q, 0, 0)[1]).isCloseTo(3.5 / 3, within(1e-6));
        assertThat(voxel(q, -1, 1)).containsExactly(3f, 4f);
        assertThat(voxel(q, -1, -1)).containsExactly(-1f, -1f);
        assertThat(voxel(q, -2, -2)).containsExactly(7f, 7f);
    }

    @Test
    void maxPool() {
        Quantization q = quantize(QuantizationMode.MAX_POOL, 0);
        assertThat(voxel(q, 0, 0)).containsExactly(3f, 5f);
        assertThat(voxel(q, -1, 1)).containsExactly(4f, 8f);
        assertThat(voxel(q, -1, -1)).containsExactly(-1f, -1f);
        assertThat(voxel(q, -2, -2)).containsExactly(7f, 7f);
    }

    @Test
    void randomSubsampleKeepsOneMembersFeaturesReproducibly() {
        Set<String> chosen = new HashSet<>();
        for (long seed = 0; seed < 60; seed++) {
            Quantization q = quantize(QuantizationMode.RANDOM_SUBSAMPLE, seed);
            Quantization again = quantize(QuantizationMode.RANDOM_SUBSAMPLE, seed);
            assertThat(again.features()).as("seed %d is reproducible", seed).containsExactly(q.features());
            float[] v = voxel(q, 0, 0);
            assertThat(Arrays.toString(v)).isIn("[1.0, -2.0]", "[3.0, 5.0]", "[-4.0, 0.5]");
            chosen.add(Arrays.toString(v));
            assertThat(Arrays.toString(voxel(q, -1, 1))).isIn("[4.0, 0.0]", "[2.0, 8.0]");
            assertThat(voxel(q, -2, -2)).containsExactly(7f, 7f);
        }
        assertThat(chosen).as("every member of a 3-point voxel gets picked for some seed").hasSize(3);
    }

    @Test
    void threeAxesWithTheirOwnVoxelSizes() {
        // voxel sizes 0.25, 0.5, 4: (1.0, -1.0, 7.9) -> (4, -2, 1); (1.2, -0.76, -0.1) -> (4, -2, -1); (1.24, -0.6, 7.0) -> (4, -2, 1)
        float[] pts = {1.0f, -1.0f, 7.9f, 1.2f, -0.76f, -0.1f, 1.24f, -0.6f, 7.0f};
        Quantization q = new SparseQuantizer(new float[] {0.25f, 0.5f, 4f}, QuantizationMode.UNWEIGHTED_AVERAGE).quantize(pts, 2, new float[] {2f, 4f, 6f}, 1);
        assertThat(q.voxels()).isEqualTo(2);
        assertThat(q.pointToVoxel()).containsExactly(0, 1, 0);
        assertThat(q.coordinates()).containsExactly(2, 4, -2, 1, 2, 4, -2, -1);
        assertThat(q.features()).containsExactly(4f, 4f);
    }

    @Test
    void badVoxelSizesAreRejected() {
        assertThatThrownBy(() -> new SparseQuantizer(new float[] {0.5f, 0f}, QuantizationMode.MAX_POOL))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("voxel size on axis 1 must be positive and finite, got 0.0");
        assertThatThrownBy(() -> new SparseQuantizer(new float[] {-1f}, QuantizationMode.MAX_POOL))
                .hasMessageContaining("voxel size on axis 0 must be positive and finite, got -1.0");
        assertThatThrownBy(() -> new SparseQuantizer(new float[] {Float.NaN}, QuantizationMode.MAX_POOL)).hasMessageContaining("got NaN");
        assertThatThrownBy(() -> new SparseQuantizer(new float[] {1f, Float.POSITIVE_INFINITY}, QuantizationMode.MAX_POOL)).hasMessageContaining("got Infinity");
    }

    @Test
    void badPointsAndLengthsAreRejected() {
        SparseQuantizer q = new SparseQuantizer(VOXEL, QuantizationMode.UNWEIGHTED_SUM);
        assertThatThrownBy(() -> q.quantize(new float[] {0, 0, 1, 1, Float.NaN, 2}, 0, new float[3], 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("point 2 axis 0 = NaN cannot be quantized");
        assertThatThrownBy(() -> q.quantize(new float[] {0, Float.NEGATIVE_INFINITY}, 0, new float[1], 1))
                .hasMessageContaining("point 0 axis 1 = -Infinity");
        assertThatThrownBy(() -> q.quantize(new float[] {1e30f, 0}, 0, new float[1], 1)).hasMessageContaining("point 0 axis 0 = 1.0E30");
        assertThatThrownBy(() -> q.quantize(new float[] {0, 0, 1}, 0, new float[1], 1))
                .hasMessageContaining("points length 3 is not a multiple of D = 2");
        assertThatThrownBy(() -> q.quantize(new float[] {0, 0, 1, 1, 2, 2}, 0, new float[5], 2))
                .hasMessageContaining("features have 5 values, expected points x channels = 3 x 2");
        assertThatThrownBy(() -> q.quantize(new float[] {0, 0, 1, 1}, 0, new float[] {0, Float.NaN}, 1))
                .hasMessageContaining("feature at row 1, channel 0 is NaN");
    }
}
