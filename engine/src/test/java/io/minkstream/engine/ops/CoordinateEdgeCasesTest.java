package io.minkstream.engine.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minkstream.engine.backend.CpuBackend;
import io.minkstream.engine.backend.PoolMode;
import io.minkstream.engine.coords.CoordinateKey;
import io.minkstream.engine.coords.CoordinateManager;
import io.minkstream.engine.tensor.QuantizationMode;
import io.minkstream.engine.tensor.SparseQuantizer;
import io.minkstream.engine.tensor.SparseTensor;
import org.junit.jupiter.api.Test;

/** Edge cases of coordinate handling: caching of global maps, missing batches, int32 range, empty voxel sizes. */
class CoordinateEdgeCasesTest {
    private final CpuBackend backend = new CpuBackend(1);

    @Test
    void repeatedGlobalPoolingReusesItsMapAndKernelMap() {
        CoordinateManager m = new CoordinateManager(1, backend.kernelMapBuilder());
        SparseTensor x = SparseTensor.of(m, new int[] {0, 0, 1, 0, 1, 5}, new float[] {1, 2, 3}, 1);
        SparseTensor first = Pooling.global(PoolMode.SUM, x, backend);
        long hits = m.kernelMapHits(), misses = m.kernelMapMisses();
        int cached = m.cachedKernelMaps();
        SparseTensor second = Pooling.global(PoolMode.SUM, x, backend);
        assertThat(second.key()).isEqualTo(first.key());            
        assertThat(m.kernelMapHits()).isEqualTo(hits + 1);           
        assertThat(m.kernelMapMisses()).isEqualTo(misses);           
        assertThat(m.cachedKernelMaps()).isEqualTo(cached);          
    }

    @Test
    void broadcastWithAGlobalTensorMissingABatchFailsClearly() {
        CoordinateManager m = new CoordinateManager(1, backend.kernelMapBuilder());
        SparseTensor x = SparseTensor.of(m, new int[] {0, 0, 1, 0, 1, 5}, new float[] {1, 2, 3}, 1);
        SparseTensor g = Pooling.global(PoolMode.SUM, Pruning.prune(x, new boolean[] {true, false, false}), backend);
        assertThatThrownBy(() -> Broadcast.add(x, g))                 
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batch 1");
    }

    @Test
    void emptyVoxelSizeIsRejectedAtConstruction() {
        assertThatThrownBy(() -> new SparseQuantizer(new float[0], QuantizationMode.MAX_POOL)) 
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("voxel size");
    }

    @Test
    void stridingPastTheIntRangeNamesTheRealInputCoordinate() {
        CoordinateManager m = new CoordinateManager(1, backend.kernelMapBuilder());
        CoordinateKey k = m.insert(new int[] {0, Integer.MIN_VALUE, 0, 0}, new int[] {1});
        // floorDiv(MIN, 3) * 3 = -2147483649 would wrap to 2147483647, a coordinate nobody supplied.
        assertThatThrownBy(() -> m.stride(k, new int[] {3})).hasMessageContaining("-2147483648");
    }
}
