package io.minkstream.operators.inference;

import io.minkstream.engine.backend.Backend;
import io.minkstream.engine.coords.CoordinateManager;
import io.minkstream.engine.nn.Network;
import io.minkstream.engine.nn.NetworkSpec;
import io.minkstream.engine.tensor.SparseTensor;
import io.minkstream.operators.voxel.VoxelFrame;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One sensor's per-frame results of every layer, keyed by time coordinate. Each frame has its own
 * coordinate manager holding that frame's maps at every tensor stride, so a frame's entries are
 * created and dropped together. Entries are computed on demand and memoised: a new frame costs one
 * frame per layer; after a restore or an eviction, missing frames are recomputed from the window's
 * voxel frames (the source of truth in Flink state).
 */
final class FrameCache {
    private final Network network;
    private final Map<String, TemporalStep> temporalSteps;
    private final ModelInput input;
    private final Backend backend;
    private final CacheStats stats;
    private final TreeMap<Integer, Frame> frames = new TreeMap<>();
    private Map<Integer, VoxelFrame> window = Map.of();
    private int newest;

    private static final class Frame {
        final CoordinateManager manager;
        final Map<String, SparseTensor> tensors = new HashMap<>();
        long bytes;

        Frame(CoordinateManager manager) {
            this.manager = manager;
        }
    }

    FrameCache(Network network, Map<String, TemporalStep> temporalSteps, ModelInput input, Backend backend, CacheStats stats) {
        this.network = network;
        this.temporalSteps = temporalSteps;
        this.input = input;
        this.backend = backend;
        this.stats = stats;
    }

    /** Sets the window (frames by time coordinate) and drops cached frames no longer in it. */
    void slide(List<VoxelFrame> frames, long baseSequence) {
        Map<Integer, VoxelFrame> byTime = new HashMap<>();
        for (VoxelFrame f : frames) byTime.put(WindowTensor.timeOf(f, baseSequence), f);
        window = byTime;
        newest = WindowTensor.timeOf(frames.get(frames.size() - 1), baseSequence);
        this.frames.entrySet().removeIf(e -> {
            boolean stale = !byTime.containsKey(e.getKey());
            if (stale) stats.bytes.addAndGet(-e.getValue().bytes);
            return stale;
        });
    }

    VoxelFrame voxelFrame(int t) {
        return window.get(t);
    }

    long bytes() {
        long b = 0;
        for (Frame f : frames.values()) b += f.bytes;
        return b;
    }

    /** Drops the oldest cached frame other than {@code keep}; false when there is none. */
    boolean evictOldest(int keep) {
        for (var e : frames.entrySet()) {
            if (e.getKey() != keep) {
                stats.bytes.addAndGet(-e.getValue().bytes);
                frames.remove(e.getKey());
                return true;
            }
        }
        return false;
    }

    void clear() {
        for (Frame f : frames.values()) stats.bytes.addAndGet(-f.bytes);
        frames.clear();
    }

    /** The rows of node {@code name} at frame t, or null when frame t has no rows (absent or out of the window). */
    SparseTensor tensor(String name, int t) {
        VoxelFrame vf = window.get(t);
        if (vf == null || t > newest) return null;
        Frame frame = frames.get(t);
        if (frame != null) {
            SparseTensor cached = frame.tensors.get(name);
            if (cached != null) {
                stats.hits.incrementAndGet();
                return cached;
            }
        }
        stats.misses.incrementAndGet();
        long start = System.nanoTime();
        SparseTensor computed = compute(name, t, vf);
        if (t != newest) stats.rebuildNanos.addAndGet(System.nanoTime() - start);
        if (computed != null) {
            Frame f = frames.computeIfAbsent(t, x -> new Frame(computed.manager()));
            f.tensors.put(name, computed);
            long b = 4L * computed.features().length + 4L * computed.coordinates().length;
            f.bytes += b;
            stats.bytes.addAndGet(b);
        }
        return computed;
    }

    private SparseTensor compute(String name, int t, VoxelFrame vf) {
        if (name.equals(NetworkSpec.INPUT)) return inputTensor(t, vf);
        TemporalStep step = temporalSteps.get(name);
        if (step != null) return step.compute(t, f -> tensor(step.input(), f), backend, stats.kernelMapNanos);
        Network.Node node = network.node(name);
        List<SparseTensor> inputs = new java.util.ArrayList<>();
        for (String in : node.inputs()) {
            SparseTensor x = tensor(in, t);
            if (x == null) return null;
            inputs.add(x);
        }
        return node.forward(inputs, backend);
    }

    private SparseTensor inputTensor(int t, VoxelFrame vf) {
        Frame frame = frames.get(t);
        CoordinateManager m = frame != null ? frame.manager : new CoordinateManager(4, backend.kernelMapBuilder());
        SparseTensor x = WindowTensor.build(List.of(vf), vf.sequence() - t, input, m);
        return x.size() == 0 ? null : x;
    }
}
