package io.minkstream.bench;

import io.minkstream.engine.backend.Backend;
import io.minkstream.engine.coords.CoordinateKey;
import io.minkstream.engine.coords.CoordinateManager;
import io.minkstream.engine.coords.CoordinateMap;
import io.minkstream.engine.coords.KernelMap;
import io.minkstream.engine.coords.KernelRegion;
import io.minkstream.engine.ops.Convolution;
import io.minkstream.engine.tensor.SparseTensor;
import java.util.SplittableRandom;

/**
 * The engine benchmarks on the large LiDAR case, shared by the {@code engine} command and the JMH
 * benchmarks so that both time exactly the same calls:
 * <ul>
 *   <li>{@code kernel_map_cold}: the 81-offset cube kernel map on a fresh coordinate manager whose
 *       coordinate map is already built (MinkowskiEngine's "kernel map only" phase);</li>
 *   <li>{@code kernel_map_cold_incl_coords}: the same plus hashing the 100k coordinates;</li>
 *   <li>{@code conv_c32_cached}, {@code conv_c64_cached}: {@code Convolution.convolution} with the
 *       kernel map cached in the manager (MinkowskiEngine's "cached forward");</li>
 *   <li>{@code conv_hybrid_c32_cached}: a 29-offset space-time kernel (3x3x3 cube in space united
 *       with a 3-cross in time), seeded random weights, map cached.</li>
 * </ul>
 */
public final class EngineWorkloads {
    public static final long HYBRID_WEIGHT_SEED = 20261121L;

    private final LargeLidarCase data;
    private final Backend backend;
    private final int[] ones = {1, 1, 1, 1};
    private final KernelRegion cube = KernelRegion.hyperCube(LargeLidarCase.DIMENSION, 3);
    private final KernelRegion hybrid = KernelRegion.union(
            KernelRegion.hyperCube(new int[] {3, 3, 3, 1}, new int[] {1, 1, 1, 1}),
            KernelRegion.hyperCross(new int[] {1, 1, 1, 3}, new int[] {1, 1, 1, 1}));
    private final CoordinateMap coordinateMap;
    private final SparseTensor x32;
    private final SparseTensor x64;
    private final float[] hybridWeights;
    private final long cubePairs;
    private final long hybridPairs;

    public EngineWorkloads(LargeLidarCase data, Backend backend) {
        this.data = data;
        this.backend = backend;
        this.coordinateMap = CoordinateMap.of(data.coordinates(), LargeLidarCase.DIMENSION, ones);
        CoordinateManager manager = new CoordinateManager(LargeLidarCase.DIMENSION, backend.kernelMapBuilder());
        this.x32 = SparseTensor.of(manager, data.coordinates(), data.features(32), 32);
        this.x64 = SparseTensor.onMap(manager, x32.key(), data.features(64), 64);
        this.hybridWeights = randomWeights(hybrid.volume() * 32 * 32, HYBRID_WEIGHT_SEED);
        this.cubePairs = manager.kernelMap(x32.key(), x32.key(), cube, false).pairCount();
        this.hybridPairs = manager.kernelMap(x32.key(), x32.key(), hybrid, false).pairCount();
    }

    public LargeLidarCase data() {
        return data;
    }

    public KernelRegion hybridRegion() {
        return hybrid;
    }

    public long cubePairs() {
        return cubePairs;
    }

    public long hybridPairs() {
        return hybridPairs;
    }

    /** The cube's kernel map on a fresh manager that already holds the coordinate map. */
    public KernelMap kernelMapCold() {
        CoordinateManager fresh = new CoordinateManager(LargeLidarCase.DIMENSION, backend.kernelMapBuilder());
        CoordinateKey key = fresh.register(coordinateMap);
        return fresh.kernelMap(key, key, cube, false);
    }

    /** As {@link #kernelMapCold()}, plus hashing the coordinates into a new coordinate map. */
    public KernelMap kernelMapColdInclCoordinates() {
        CoordinateManager fresh = new CoordinateManager(LargeLidarCase.DIMENSION, backend.kernelMapBuilder());
        CoordinateKey key = fresh.insert(data.coordinates(), ones);
        return fresh.kernelMap(key, key, cube, false);
    }

    public SparseTensor convC32Cached() {
        return Convolution.convolution(x32, data.kernel(32), 32, null, cube, ones, backend);
    }

    public SparseTensor convC64Cached() {
        return Convolution.convolution(x64, data.kernel(64), 64, null, cube, ones, backend);
    }

    public SparseTensor convHybridC32Cached() {
        return Convolution.convolution(x32, hybridWeights, 32, null, hybrid, ones, backend);
    }

    /** Floating-point operations of one convolution: {@code 2 * pairs * Cin * Cout}. */
    public static double flops(long pairs, int cIn, int cOut) {
        return 2.0 * pairs * cIn * cOut;
    }

    private static float[] randomWeights(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float scale = (float) (1.0 / Math.sqrt(29 * 32));
        float[] w = new float[n];
        for (int i = 0; i < n; i++) w[i] = (float) (random.nextDouble(-1.0, 1.0) * scale);
        return w;
    }

    /** Sum of all output features in double, to compare with MinkowskiEngine's checksums. */
    public static double checksum(SparseTensor y) {
        double s = 0;
        for (float v : y.features()) s += v;
        return s;
    }
}
