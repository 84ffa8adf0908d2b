package io.minkstream.engine.coords;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The offset orders MinkowskiEngine's weights depend on, as the oracle README states them. */
class KernelRegionOrderTest {

    private static int[] offset(KernelRegion r, int k) {
        int[] o = new int[r.dimension()];
        for (int a = 0; a < o.length; a++) o[a] = r.step(k, a);
        return o;
    }

    @Test
    void hyperCubeIsMixedRadixWithAxisZeroFastest() {
        KernelRegion cube = KernelRegion.hyperCube(4, 3);
        assertThat(cube.volume()).isEqualTo(81);
        assertThat(offset(cube, 0)).containsExactly(-1, -1, -1, -1);
        assertThat(offset(cube, 1)).containsExactly(0, -1, -1, -1);
        assertThat(offset(cube, 3)).containsExactly(-1, 0, -1, -1);
        assertThat(offset(cube, 40)).containsExactly(0, 0, 0, 0);
        assertThat(cube.centreIndex()).isEqualTo(40);
        KernelRegion even = KernelRegion.hyperCube(2, 2);
        assertThat(new int[][] {offset(even, 0), offset(even, 1), offset(even, 2), offset(even, 3)})
                .isDeepEqualTo(new int[][] {{0, 0}, {1, 0}, {0, 1}, {1, 1}});
    }

    @Test
    void hyperCrossIsCentreThenEachAxisPlusThenMinus() {
        KernelRegion cross = KernelRegion.hyperCross(new int[] {3, 5}, new int[] {1, 1});
        assertThat(cross.volume()).isEqualTo(7);
        int[][] expected = {{0, 0}, {1, 0}, {-1, 0}, {0, 1}, {0, 2}, {0, -2}, {0, -1}};
        for (int k = 0; k < expected.length; k++) assertThat(offset(cross, k)).as("offset %d", k).containsExactly(expected[k]);
    }

    @Test
    void offsetsScaleByDilationTimesTensorStride() {
        KernelRegion r = KernelRegion.hyperCube(new int[] {3, 2}, new int[] {3, 2});
        assertThat(r.offsets(new int[] {2, 1})).containsExactly(-6, 0, 0, 0, 6, 0, -6, 2, 0, 2, 6, 2);
    }

    @Test
    void causalAndWindowShapes() {
        assertThat(new int[] {AxisShape.causal(3).step(0), AxisShape.causal(3).step(1), AxisShape.causal(3).step(2)}).containsExactly(-2, -1, 0);
        AxisShape w = AxisShape.window(2, 1);
        assertThat(new int[] {w.step(0), w.step(1), w.step(2), w.step(3)}).containsExactly(-2, -1, 0, 1);
        assertThatThrownBy(() -> AxisShape.cross(4)).hasMessageContaining("cross size must be odd, got 4");
        assertThatThrownBy(() -> AxisShape.steps(1, 1)).hasMessageContaining("axis steps must be distinct");
        assertThatThrownBy(() -> KernelRegion.custom(new int[][] {{0, 1}, {0, 1}})).hasMessageContaining("repeats offset [0, 1]");
    }
}
