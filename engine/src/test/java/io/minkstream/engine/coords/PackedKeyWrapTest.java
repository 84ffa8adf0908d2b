package io.minkstream.engine.coords;

import static org.assertj.core.api.Assertions.assertThat;

import io.minkstream.engine.concurrent.WorkerPool;
import org.junit.jupiter.api.Test;

/** Fails until PackedCoordinateIndex.pack subtracts the axis minimum in long arithmetic. */
class PackedKeyWrapTest {

    @Test
    void anAxisSpanningMoreThanHalfTheIntRangeStillPacksExactly() {
        int max = Integer.MAX_VALUE, min = Integer.MIN_VALUE;
        // 1 bit of batch + 32 bits of x: packed; x - min overflows int for x >= min + 2^31.
        int[] coords = {0, max - 1, 1, max - 1, 0, min, 0, max};
        assertThat(PackedCoordinateIndex.tryCreate(coords, 4, 2)).isNotNull();
        CoordinateMap map = CoordinateMap.of(coords, 1, new int[] {1});
        assertThat(map.find(0, max - 1)).isEqualTo(0);
        assertThat(map.find(1, max - 1)).isEqualTo(1);
        assertThat(map.find(0, min)).isEqualTo(2);
        assertThat(map.find(0, max)).isEqualTo(3);
    }

    @Test
    void noFalseHitAcrossBatches() {
        int max = Integer.MAX_VALUE, min = Integer.MIN_VALUE;
        CoordinateMap map = CoordinateMap.of(new int[] {0, max - 1, 0, min, 1, 0}, 1, new int[] {1});
        assertThat(map.find(1, max - 1)).isEqualTo(-1);
    }

    @Test
    void neighbourOfMaxIsAMissNotMin() {
        int[] coords = {0, Integer.MAX_VALUE, 0, Integer.MIN_VALUE};
        CoordinateManager m = new CoordinateManager(1, new WorkerPool(1));
        CoordinateKey k = m.insert(coords, new int[] {1});
        int[] rows = new int[3];
        m.map(k).findNeighbours(coords, 0, new int[] {1, 0, -1}, 3, 1, rows);
        assertThat(rows).containsExactly(-1, 0, -1);
    }
}
