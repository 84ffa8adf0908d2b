package io.minkstream.operators.inference;

import io.minkstream.engine.io.SafeTensors;
import java.util.Arrays;

/**
 * The built-in model {@code motion}: tells, for every voxel of the newest frame, whether it holds
 * something that moves, with weights set by hand rather than trained.
 *
 * <p>What it computes: one causal 4-D convolution over occupancy with a hybrid kernel, a 3x3x3
 * cube in space times the time steps {@code -13, -9, -5} (81 offsets), all weights -1 and bias +1,
 * then ReLU. Its output is {@code max(0, 1 - n)} where n counts the occupied voxels around the
 * same place 0.5 to 1.3 s earlier: 1 when that neighbourhood was empty in all three past frames,
 * else 0. A static surface was there before; a moving object arrived recently. The deep past is
 * used, not the last frames, because a car's side moving along itself overlaps its own previous
 * position for a few frames, and because background revealed behind a passing car was visible
 * before the car arrived. Rows with a score above 0.5 are labelled moving. It needs 14 frames of
 * history (window W >= 14); voxels of the first 13 frames of a stream have no past and count as
 * moving. Measured on the simulator's default scene at 0.2 m voxels: precision 0.88, recall 0.97.
 */
public final class MotionModel {
    public static final String NAME = "motion";
    /** Frames the model looks back, plus the newest: the window it needs. */
    public static final int WINDOW_FRAMES = 14;
    public static final float VOXEL_SIZE = 0.2f;
    private static final int KERNEL_VOLUME = 27 * 3;

    private MotionModel() {
    }

    public static ModelSource source() {
        String spec = """
                {"name": "motion", "dimension": 4, "in_channels": 1,
                 "layers": [
                   {"name": "past", "type": "conv", "out_channels": 1, "bias": true,
                    "kernel": {"type": "hybrid", "axes": ["cube:3", "cube:3", "cube:3", "steps:-13,-9,-5"]}},
                   {"name": "moving", "type": "relu"}
                 ]}""";
        float[] kernel = new float[KERNEL_VOLUME];
        Arrays.fill(kernel, -1f);
        byte[] weights = SafeTensors.writer()
                .putFloats("past.kernel", kernel, KERNEL_VOLUME, 1, 1)
                .putFloats("past.bias", new float[] {1f}, 1)
                .metadata("model", NAME)
                .toBytes();
        return new ModelSource(NAME, spec, weights, ModelInput.OCCUPANCY, new LabelRule(0, 0.5f));
    }
}
