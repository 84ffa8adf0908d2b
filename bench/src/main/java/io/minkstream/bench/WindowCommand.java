package io.minkstream.bench;

import io.minkstream.engine.backend.Backend;
import io.minkstream.engine.io.SafeTensors;
import io.minkstream.engine.nn.Network;
import io.minkstream.jobs.publish.SensorFrames;
import io.minkstream.jobs.sensor.SimulatorOptions;
import io.minkstream.jobs.sensor.StreetSceneSimulator;
import io.minkstream.operators.inference.IncrementalInference;
import io.minkstream.operators.inference.InferenceModel;
import io.minkstream.operators.inference.LabelRule;
import io.minkstream.operators.inference.ModelInput;
import io.minkstream.operators.inference.RecomputeInference;
import io.minkstream.operators.inference.WindowInference;
import io.minkstream.operators.inference.WindowResult;
import io.minkstream.operators.voxel.VoxelFrame;
import io.minkstream.operators.voxel.Voxelizer;
import io.minkstream.operators.voxel.VoxelizerOptions;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code window}: per-frame network time of a sliding window over simulated 32 x 1024 scans, in
 * both window modes, one line per (mode, W): {@code window mode=<m> W=<w> median_ms=<x> kernel_map_ms=<x>}
 * (medians over the frames after the window filled; kernel_map_ms is the part spent building
 * kernel maps). The network: three causal hybrid layers with 16 channels.
 */
@Command(name = "window", mixinStandardHelpOptions = true,
        description = "Median per-frame network time of incremental vs recompute windows on simulated scans.")
public final class WindowCommand implements Callable<Integer> {
    static final String NETWORK = """
            {"name": "window-bench", "dimension": 4, "in_channels": 2, "layers": [
              {"name": "c1", "type": "conv", "out_channels": 16, "bias": true,
               "kernel": {"type": "hybrid", "axes": ["cube:3", "cube:3", "cube:3", "causal:2"]}},
              {"name": "r1", "type": "relu"},
              {"name": "c2", "type": "conv", "out_channels": 16, "bias": true,
               "kernel": {"type": "hybrid", "axes": ["cube:3", "cube:3", "cube:3", "causal:2"]}},
              {"name": "r2", "type": "relu"},
              {"name": "head", "type": "linear", "out_channels": 2}
            ]}""";

    @Option(names = "--windows", split = ",", description = "window lengths (default: ${DEFAULT-VALUE})", defaultValue = "2,4,8,16")
    List<Integer> windows;

    @Option(names = "--frames", description = "timed frames per run, after the window filled (default: ${DEFAULT-VALUE})", defaultValue = "12")
    int frames;

    @Option(names = "--threads", description = "worker threads (default: ${DEFAULT-VALUE})", defaultValue = "1")
    int threads;

    @Option(names = "--device", description = "cpu, cuda, cuda:N or auto (default: ${DEFAULT-VALUE})", defaultValue = "cpu")
    String device;

    @Override
    public Integer call() throws IOException {
        int longest = windows.stream().mapToInt(Integer::intValue).max().orElseThrow();
        List<VoxelFrame> scans = simulate(longest + frames);
        InferenceModel model = model();
        System.err.printf(Locale.ROOT, "# %d simulated frames, %.0f voxels per frame, network %s%n", scans.size(),
                scans.stream().mapToInt(VoxelFrame::voxels).average().orElse(0), model.network().name());
        for (int w : windows) {
            for (String mode : new String[] {"incremental", "recompute"}) {
                Backend backend = DeviceOption.open(device, threads);
                try (WindowInference inference = mode.equals("incremental") ? new IncrementalInference(model, backend, Long.MAX_VALUE)
                        : new RecomputeInference(model, backend)) {
                    double[] total = new double[frames];
                    double[] maps = new double[frames];
                    for (int i = 0; i < w + frames; i++) {
                        long start = System.nanoTime();
                        WindowResult r = inference.run("lidar-0", scans.subList(Math.max(0, i - w + 1), i + 1), 0, false);
                        long nanos = System.nanoTime() - start;
                        MedianTimer.sink = r;
                        if (i >= w) {
                            total[i - w] = nanos / 1e6;
                            maps[i - w] = r.kernelMapNanos() / 1e6;
                        }
                    }
                    System.out.printf(Locale.ROOT, "window mode=%s W=%d median_ms=%.2f kernel_map_ms=%.2f%n", mode, w,
                            MedianTimer.median(total), MedianTimer.median(maps));
                }
            }
        }
        return 0;
    }

    private static List<VoxelFrame> simulate(int n) {
        StreetSceneSimulator sim = new StreetSceneSimulator(SimulatorOptions.defaults());
        Voxelizer voxelizer = new Voxelizer(new VoxelizerOptions(new float[] {0.2f, 0.2f, 0.2f}, new float[] {-80, -80, -5}, new float[] {80, 80, 15}, true));
        List<VoxelFrame> out = new ArrayList<>();
        for (int q = 0; q < n; q++) out.add(voxelizer.voxelize(SensorFrames.toAvro(sim.frame("lidar-0", q)), 0));
        return out;
    }

    static InferenceModel model() throws IOException {
        SplittableRandom r = new SplittableRandom(5);
        SafeTensors.Writer w = SafeTensors.writer()
                .putFloats("c1.kernel", random(r, 54 * 2 * 16, 0.2), 54, 2, 16).putFloats("c1.bias", random(r, 16, 0.1), 16)
                .putFloats("c2.kernel", random(r, 54 * 16 * 16, 0.05), 54, 16, 16).putFloats("c2.bias", random(r, 16, 0.1), 16)
                .putFloats("head.kernel", random(r, 16 * 2, 0.5), 16, 2).putFloats("head.bias", random(r, 2, 0.1), 2);
        Network net = Network.fromJson(NETWORK, SafeTensors.parse(w.toBytes(), "window-bench"));
        return new InferenceModel("window-bench", net, ModelInput.OCCUPANCY_AND_FEATURES, new LabelRule(0, 0f));
    }

    private static float[] random(SplittableRandom r, int n, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) ((r.nextDouble() - 0.5) * 2 * scale);
        return v;
    }
}
