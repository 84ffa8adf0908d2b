package io.minkstream.engine.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minkstream.engine.concurrent.WorkerPool;
import io.minkstream.engine.coords.CoordinateManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** User data that cannot form a sparse tensor fails at construction, naming the row, channel or axis. */
class SparseTensorValidationTest {
    private static final WorkerPool POOL = new WorkerPool(1);
    private static final int[] COORDS = {0, 0, 0, 0, 2, -2, 1, -4, 6};

    @AfterAll
    static void close() {
        POOL.close();
    }

    private static CoordinateManager manager() {
        return new CoordinateManager(2, POOL);
    }

    @Test
    void validInputKeepsRowsFeaturesAndStride() {
        float[] f = {1, 2, 3, 4, 5, 6};
        SparseTensor x = SparseTensor.of(manager(), COORDS, new int[] {2, 2}, f, 2);
        assertThat(x.size()).isEqualTo(3);
        assertThat(x.channels()).isEqualTo(2);
        assertThat(x.tensorStride()).containsExactly(2, 2);
        assertThat(x.coordinates()).containsExactly(COORDS);
        assertThat(x.coordinateMap().find(1, -4, 6)).isEqualTo(2);
    }

    @Test
    void nonFiniteFeaturesNameRowAndChannel() {
        assertThatThrownBy(() -> SparseTensor.of(manager(), COORDS, new float[] {0, 0, 0, 0, 0, Float.NaN}, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("feature at row 2, channel 1 is NaN");
        assertThatThrownBy(() -> SparseTensor.of(manager(), COORDS, new float[] {0, 0, Float.POSITIVE_INFINITY}, 1))
                .hasMessageContaining("feature at row 2, channel 0 is Infinity");
        assertThatThrownBy(() -> SparseTensor.of(manager(), COORDS, new float[] {0, 0, Float.NEGATIVE_INFINITY, 0, 0, 0, 0, 0, 0}, 3))
                .hasMessageContaining("feature at row 0, channel 2 is -Infinity");
    }

    @Test
    void rowCountsMustAgree() {
        assertThatThrownBy(() -> SparseTensor.of(manager(), COORDS, new float[4], 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("coordinates have 3 rows but features have 4 values");
        assertThatThrownBy(() -> SparseTensor.of(manager(), new int[] {0, 1, 2, 0}, new float[2], 1))
                .hasMessageContaining("coordinate array length 4 is not a multiple of 1 + D = 3");
        assertThatThrownBy(() -> SparseTensor.of(manager(), COORDS, new float[0], 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("channels must be >= 1, got 0");
    }

    @Test
    void coordinatesMustBeMultiplesOfTheTensorStride() {
        int[] off = {0, 0, 0, 0, 2, -3, 1, -4, 6};
        assertThatThrownBy(() -> SparseTensor.of(manager(), off, new int[] {2, 2}, new float[3], 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("coordinate [0, 2, -3] (row 1) is not a multiple of the tensor stride [2, 2] on axis 1");
        assertThatThrownBy(() -> SparseTensor.of(manager(), COORDS, new int[] {2}, new float[3], 1))
                .hasMessageContaining("tensor stride has 1 axes, expected D = 2");
    }

    @Test
    void duplicateCoordinatesNameBothRows() {
        int[] dup = {0, 1, 1, 1, 1, 1, 0, 1, 1};
        assertThatThrownBy(() -> SparseTensor.of(manager(), dup, new float[3], 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duplicate coordinate [0, 1, 1] at rows 0 and 2");
    }
}
