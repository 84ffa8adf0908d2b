package io.minkstream.jobs.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.minkstream.engine.backend.CpuBackend;
import io.minkstream.jobs.publish.SensorFrames;
import io.minkstream.jobs.sensor.SimulatorOptions;
import io.minkstream.jobs.sensor.StreetSceneSimulator;
import io.minkstream.operators.inference.IncrementalInference;
import io.minkstream.operators.inference.InferenceModel;
import io.minkstream.operators.inference.MotionModel;
import io.minkstream.operators.inference.WindowResult;
import io.minkstream.operators.voxel.VoxelFrame;
import io.minkstream.operators.voxel.Voxelizer;
import io.minkstream.operators.voxel.VoxelizerOptions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The built-in motion model on the simulator's default street scene: per-voxel moving/static
 * predictions of frames with full history, scored against the simulator's ground truth.
 */
class MotionModelAccuracyTest {

    @Test
    void precisionAndRecallOfMovingVoxelsAreAtLeast080() {
        StreetSceneSimulator sim = new StreetSceneSimulator(SimulatorOptions.defaults());
        float v = MotionModel.VOXEL_SIZE;
        Voxelizer voxelizer = new Voxelizer(new VoxelizerOptions(new float[] {v, v, v}, new float[] {-80, -80, -5}, new float[] {80, 80, 15}, true));
        InferenceModel model = MotionModel.source().load();
        int w = MotionModel.WINDOW_FRAMES;
        long tp = 0, fp = 0, fn = 0;
        List<VoxelFrame> frames = new ArrayList<>();
        try (IncrementalInference inference = new IncrementalInference(model, new CpuBackend(2), Long.MAX_VALUE)) {
            for (int q = 0; q < w + 12; q++) {
                frames.add(voxelizer.voxelize(SensorFrames.toAvro(sim.frame("lidar-0", q)), 0));
                List<VoxelFrame> window = frames.subList(Math.max(0, frames.size() - w), frames.size());
                WindowResult r = inference.run("lidar-0", window, 0, false);
                if (q < w - 1) continue; // no full history yet
                for (int i = 0; i < r.rows(); i++) {
                    if (r.labels()[i] == 1 && r.truth()[i] == 1) tp++;
                    else if (r.labels()[i] == 1) fp++;
                    else if (r.truth()[i] == 1) fn++;
                }
            }
        }
        double precision = tp / (double) (tp + fp);
        double recall = tp / (double) (tp + fn);
        assertThat(tp).as("moving voxels found").isGreaterThan(1000);
        assertThat(precision).as("moving precision (tp %d, fp %d)", tp, fp).isGreaterThanOrEqualTo(0.8);
        assertThat(recall).as("moving recall (tp %d, fn %d)", tp, fn).isGreaterThanOrEqualTo(0.8);
    }
}
