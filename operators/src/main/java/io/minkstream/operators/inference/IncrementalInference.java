package io.minkstream.operators.inference;

import io.minkstream.engine.backend.Backend;
import io.minkstream.engine.nn.Network;
import io.minkstream.engine.nn.NetworkSpec;
import io.minkstream.engine.tensor.SparseTensor;
import io.minkstream.operators.voxel.VoxelFrame;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Computes only the new frame's rows at every layer, reusing earlier frames' coordinate maps and
 * activations: the per-frame cost does not grow with the window length. Valid when every layer
 * with a kernel strides by 1 in time and no layer pools over the whole window; a layer may look
 * ahead r frames in time, and then frame f's result is final, and emitted, R frames later (R the
 * largest sum of look-aheads along a path). Gives the same numbers as {@link RecomputeInference}
 * when the window covers the network's temporal reach.
 *
 * <p>Per-sensor caches are derived data, bounded by {@code budgetBytes}: the least recently used
 * sensors' frames go first, then the current sensor's oldest; whatever is evicted is recomputed
 * from the window's frames on the next miss.
 */
public final class IncrementalInference implements WindowInference {
    private static final int TIME = 3;

    private final InferenceModel model;
    private final Backend backend;
    private final long budgetBytes;
    private final Map<String, TemporalStep> steps;
    private final int lookAhead;
    private final CacheStats stats = new CacheStats();
    private final LinkedHashMap<String, FrameCache> sensors = new LinkedHashMap<>(16, 0.75f, true);

    public IncrementalInference(InferenceModel model, Backend backend, long budgetBytes) {
        this.model = model;
        this.backend = backend;
        this.budgetBytes = budgetBytes;
        this.steps = plan(model.network());
        this.lookAhead = lookAhead(model.network());
    }

    /**
     * Why this network can't run frame by frame, or null when it can: time strides, window-wide
     * pooling or normalisation, transposed layers reaching across frames.
     */
    public static String unsupportedReason(Network network) {
        try {
            plan(network);
            return null;
        } catch (UnsupportedOperationException e) {
            return e.getMessage();
        }
    }

    private static Map<String, TemporalStep> plan(Network network) {
        int[] reach = network.cumulativeTemporalReach(TIME);
        if (reach[0] == Integer.MIN_VALUE || reach[1] == Integer.MAX_VALUE) {
            throw new UnsupportedOperationException("network '" + network.name() + "' aggregates over the whole window (global pooling, broadcast or instance norm)");
        }
        Map<String, TemporalStep> steps = new HashMap<>();
        for (Network.Node node : network.layers()) {
            TemporalStep s = TemporalStep.of(node);
            if (s != null) steps.put(node.name(), s);
        }
        return steps;
    }

    /** Frames a result waits for the future: 0 for a causal network. */
    static int lookAhead(Network network) {
        return Math.max(0, network.cumulativeTemporalReach(TIME)[1]);
    }

    @Override
    public int lookAhead() {
        return lookAhead;
    }

    public CacheStats stats() {
        return stats;
    }

    @Override
    public WindowResult run(String sensorId, List<VoxelFrame> frames, long baseSequence, boolean wholeWindow) {
        FrameCache cache = sensors.computeIfAbsent(sensorId, s -> new FrameCache(model.network(), steps, model.input(), backend, stats));
        cache.slide(frames, baseSequence);
        int target = WindowTensor.timeOf(frames.get(frames.size() - 1), baseSequence) - lookAhead;
        VoxelFrame targetFrame = cache.voxelFrame(target);
        if (targetFrame == null) return null;
        long start = System.nanoTime();
        long mapsBefore = stats.kernelMapNanos();
        WindowResult result = wholeWindow ? wholeWindow(cache, frames, baseSequence, target, start) : frame(cache, target, start);
        result = result.withTimes(System.nanoTime() - start, stats.kernelMapNanos() - mapsBefore);
        enforceBudget(sensorId, cache, target);
        return result;
    }

    private WindowResult frame(FrameCache cache, int t, long start) {
        VoxelFrame vf = cache.voxelFrame(t);
        String output = model.network().outputs().get(0);
        SparseTensor y = cache.tensor(output, t);
        SparseTensor x = cache.tensor(NetworkSpec.INPUT, t);
        if (y == null || x == null) return WindowResults.empty(vf.sequence(), model.network().outChannels(), model.labelRule() != null, vf.truth() != null);
        return WindowResults.select(y, Integer.MIN_VALUE, Integer.MAX_VALUE, model.labelRule(), x.coordinateMap(), vf.truth(), System.nanoTime() - start)
                .forSequence(vf.sequence());
    }

    private WindowResult wholeWindow(FrameCache cache, List<VoxelFrame> frames, long base, int target, long start) {
        WindowResult all = null;
        for (VoxelFrame f : frames) {
            int t = WindowTensor.timeOf(f, base);
            if (t > target) break;
            WindowResult r = frame(cache, t, start);
            all = all == null ? r : all.append(r);
        }
        return all.forSequence(cache.voxelFrame(target).sequence());
    }

    private void enforceBudget(String current, FrameCache cache, int keep) {
        long total = 0;
        for (FrameCache c : sensors.values()) total += c.bytes();
        Iterator<Map.Entry<String, FrameCache>> lru = sensors.entrySet().iterator();
        while (total > budgetBytes && lru.hasNext()) {
            Map.Entry<String, FrameCache> e = lru.next();
            if (e.getKey().equals(current)) continue;
            total -= e.getValue().bytes();
            e.getValue().clear();
            lru.remove();
            stats.evictions.incrementAndGet();
        }
        while (total > budgetBytes && cache.evictOldest(keep)) {
            stats.evictions.incrementAndGet();
            total = cache.bytes();
        }
    }

    @Override
    public void forget(String sensorId) {
        FrameCache c = sensors.remove(sensorId);
        if (c != null) c.clear();
    }

    @Override
    public void close() {
        sensors.values().forEach(FrameCache::clear);
        sensors.clear();
        backend.close();
    }
}
