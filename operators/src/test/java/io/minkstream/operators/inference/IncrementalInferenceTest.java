package io.minkstream.operators.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.minkstream.engine.backend.CpuBackend;
import io.minkstream.operators.voxel.VoxelFrame;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Incremental windows against whole-window recomputation: for every frame of a stream, the same
 * rows and the same features (|err| <= 1e-4 + 1e-4 |ref|), for causal hybrid kernels, look-ahead,
 * and a 2-level U-Net, at several window lengths; with a cold cache (as after a restore) and with a
 * memory budget smaller than the working set.
 */
class IncrementalInferenceTest {
    private static final int FRAMES = 24;

    static Stream<Arguments> cases() {
        List<Arguments> all = new ArrayList<>();
        for (int w : new int[] {2, 5, 16}) {
            all.add(Arguments.of("causal hybrid span " + Math.min(w, 4), TestModels.causal(Math.min(w, 4)), w));
            all.add(Arguments.of("look-ahead 1", TestModels.lookAheadOne(), w));
            all.add(Arguments.of("2-level U-Net", TestModels.unet(), w));
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0}, W={2}")
    @MethodSource("cases")
    void incrementalEqualsRecompute(String name, InferenceModel model, int window) {
        List<VoxelFrame> stream = stream(11, FRAMES);
        Map<Long, WindowResult> incremental = run(new IncrementalInference(model, new CpuBackend(1), Long.MAX_VALUE), stream, window);
        Map<Long, WindowResult> recompute = run(new RecomputeInference(model, new CpuBackend(1)), stream, window);
        assertThat(incremental.keySet()).isEqualTo(recompute.keySet()).hasSize(FRAMES - IncrementalInference.lookAhead(model.network()));
        for (long seq : recompute.keySet()) assertSame(name + " frame " + seq, incremental.get(seq), recompute.get(seq));
    }

    @Test
    void aColdCacheMidStreamGivesTheSameOutputs() {
        InferenceModel model = TestModels.unet();
        List<VoxelFrame> stream = stream(5, FRAMES);
        Map<Long, WindowResult> uninterrupted = run(new IncrementalInference(model, new CpuBackend(1), Long.MAX_VALUE), stream, 5);
        // As after a restore from a checkpoint: a new instance (empty caches) takes over at frame 12.
        Map<Long, WindowResult> restored = new HashMap<>(run(new IncrementalInference(model, new CpuBackend(1), Long.MAX_VALUE), stream.subList(0, 12), 5));
        IncrementalInference fresh = new IncrementalInference(model, new CpuBackend(1), Long.MAX_VALUE);
        for (int i = 12; i < FRAMES; i++) {
            WindowResult r = fresh.run("s", window(stream, i, 5), 0, false);
            restored.put(r.sequence(), r);
        }
        assertThat(fresh.stats().rebuildNanos()).as("the cold cache rebuilt earlier frames").isPositive();
        for (long seq : uninterrupted.keySet()) assertSame("frame " + seq, restored.get(seq), uninterrupted.get(seq));
    }

    @Test
    void aBudgetSmallerThanTheWorkingSetEvictsAndStaysCorrect() {
        InferenceModel model = TestModels.causal(4);
        IncrementalInference small = new IncrementalInference(model, new CpuBackend(1), 20_000);
        Map<Long, WindowResult> reference = new HashMap<>();
        Map<Long, WindowResult> budgeted = new HashMap<>();
        RecomputeInference recompute = new RecomputeInference(model, new CpuBackend(1));
        for (String sensor : new String[] {"a", "b"}) {
            List<VoxelFrame> stream = stream(sensor.hashCode(), 12);
            for (int i = 0; i < stream.size(); i++) {
                List<VoxelFrame> w = window(stream, i, 6);
                reference.put(sensor.hashCode() * 1000L + i, recompute.run(sensor, w, 0, false));
                budgeted.put(sensor.hashCode() * 1000L + i, small.run(sensor, w, 0, false));
            }
        }
        assertThat(small.stats().evictions()).as("evictions under a 20 kB budget").isPositive();
        assertThat(small.stats().bytes()).isLessThanOrEqualTo(60_000);
        for (long k : reference.keySet()) assertSame("frame " + k, budgeted.get(k), reference.get(k));
    }

    @Test
    void wholeWindowNetworksAreRefusedWithAReason() {
        InferenceModel global = TestModels.model("global", """
                {"name": "global", "dimension": 4, "in_channels": 2, "layers": [
                  {"name": "c1", "type": "conv", "out_channels": 2, "kernel": 3},
                  {"name": "g", "type": "global_avg_pool"}]}""");
        assertThat(IncrementalInference.unsupportedReason(global.network())).contains("whole window");
        InferenceModel timeStride = TestModels.model("tstride", """
                {"name": "tstride", "dimension": 4, "in_channels": 2, "layers": [
                  {"name": "c1", "type": "conv", "out_channels": 2, "kernel": 2, "stride": 2}]}""");
        assertThat(IncrementalInference.unsupportedReason(timeStride.network())).isNotNull();
    }

    private static Map<Long, WindowResult> run(WindowInference inference, List<VoxelFrame> stream, int w) {
        Map<Long, WindowResult> out = new HashMap<>();
        try (inference) {
            for (int i = 0; i < stream.size(); i++) {
                WindowResult r = inference.run("s", window(stream, i, w), 0, false);
                if (r != null) assertThat(out.put(r.sequence(), r)).isNull();
            }
        }
        return out;
    }

    private static List<VoxelFrame> window(List<VoxelFrame> stream, int newest, int w) {
        return stream.subList(Math.max(0, newest - w + 1), newest + 1);
    }

    /** Frames of random voxels in a small box (so frames overlap), with a block moving by one voxel per frame. */
    static List<VoxelFrame> stream(long seed, int frames) {
        SplittableRandom r = new SplittableRandom(seed);
        List<VoxelFrame> out = new ArrayList<>();
        for (int q = 0; q < frames; q++) {
            Set<List<Integer>> voxels = new HashSet<>();
            while (voxels.size() < 60) voxels.add(List.of(r.nextInt(-6, 6), r.nextInt(-6, 6), r.nextInt(0, 3)));
            for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) voxels.add(List.of(-6 + q % 12 + i, j, 3));
            int n = voxels.size();
            int[] coords = new int[n * 3];
            float[] feats = new float[n];
            int[] truth = new int[n];
            int v = 0;
            for (List<Integer> c : voxels) {
                coords[v * 3] = c.get(0);
                coords[v * 3 + 1] = c.get(1);
                coords[v * 3 + 2] = c.get(2);
                feats[v] = (float) r.nextDouble();
                truth[v] = c.get(2) == 3 ? 1 : 0;
                v++;
            }
            out.add(new VoxelFrame(q, q * 100_000L, 0, 1, coords, feats, truth));
        }
        return out;
    }

    private static void assertSame(String what, WindowResult got, WindowResult ref) {
        assertThat(got).as(what).isNotNull();
        assertThat(got.sequence()).as(what + " sequence").isEqualTo(ref.sequence());
        Map<List<Integer>, Integer> rows = new HashMap<>();
        for (int i = 0; i < ref.rows(); i++) rows.put(List.of(ref.coords()[i * 4], ref.coords()[i * 4 + 1], ref.coords()[i * 4 + 2], ref.coords()[i * 4 + 3]), i);
        assertThat(got.rows()).as(what + " rows").isEqualTo(ref.rows());
        int c = ref.channels();
        for (int i = 0; i < got.rows(); i++) {
            Integer j = rows.get(List.of(got.coords()[i * 4], got.coords()[i * 4 + 1], got.coords()[i * 4 + 2], got.coords()[i * 4 + 3]));
            assertThat(j).as(what + " row " + i + " exists in the recomputed output").isNotNull();
            for (int ch = 0; ch < c; ch++) {
                double e = ref.features()[j * c + ch];
                assertThat((double) got.features()[i * c + ch]).as(what + " row " + i + " channel " + ch)
                        .isCloseTo(e, org.assertj.core.data.Offset.offset(1e-4 + 1e-4 * Math.abs(e)));
            }
            assertThat(got.truth()[i]).isEqualTo(ref.truth()[j]);
        }
    }
}
