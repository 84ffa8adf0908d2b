package io.minkstream.jobs.pipeline;

import io.minkstream.engine.io.SafeTensors;
import io.minkstream.jobs.publish.SensorFrames;
import io.minkstream.jobs.sensor.ScanFrame;
import io.minkstream.operators.inference.LabelRule;
import io.minkstream.operators.inference.ModelInput;
import io.minkstream.operators.inference.ModelSource;
import io.minkstream.schemas.SensorFrame;
import java.util.SplittableRandom;

/** Small deterministic frames and a small causal test network for pipeline tests. */
final class SyntheticFrames {
    static final long START_MICROS = 1_700_000_000_000_000L;
    static final long PERIOD_MICROS = 100_000L;

    private SyntheticFrames() {
    }

    /** A static 2 m x 2 m floor patch plus a box moving +0.2 m per frame in x; intensity per point. */
    static ScanFrame scan(String sensorId, long sequence) {
        SplittableRandom r = new SplittableRandom(sensorId.hashCode() * 31L + sequence);
        int floor = 100;
        int box = 40;
        int n = floor + box;
        float[] pos = new float[n * 3];
        float[] feats = new float[n];
        int[] labels = new int[n];
        for (int i = 0; i < floor; i++) {
            pos[i * 3] = (float) (i % 10) * 0.2f + 0.05f;
            pos[i * 3 + 1] = (float) (i / 10) * 0.2f + 0.05f;
            pos[i * 3 + 2] = 0.05f;
            feats[i] = (float) r.nextDouble();
        }
        for (int i = 0; i < box; i++) {
            int p = floor + i;
            pos[p * 3] = 0.05f + 0.2f * (i % 4) + 0.2f * (sequence % 8);
            pos[p * 3 + 1] = 0.45f + 0.2f * (i / 4 % 2);
            pos[p * 3 + 2] = 0.25f + 0.2f * (i / 8);
            feats[p] = 0.5f + (float) r.nextDouble();
            labels[p] = 1;
        }
        return new ScanFrame(sensorId, sequence, START_MICROS + sequence * PERIOD_MICROS, pos, feats, 1, null, labels);
    }

    static SensorFrame frame(String sensorId, long sequence) {
        return SensorFrames.toAvro(scan(sensorId, sequence));
    }

    /** conv(2->4, 3x3x3 cube x causal 2 in time, bias) -> relu -> conv(4->2, cube 3 x causal 1), random weights. */
    static ModelSource causalTestModel() {
        String spec = """
                {"name": "causal-test", "dimension": 4, "in_channels": 2,
                 "layers": [
                   {"name": "c1", "type": "conv", "out_channels": 4, "bias": true,
                    "kernel": {"type": "hybrid", "axes": ["cube:3", "cube:3", "cube:3", "causal:2"]}},
                   {"name": "r1", "type": "relu"},
                   {"name": "c2", "type": "conv", "out_channels": 2,
                    "kernel": {"type": "hybrid", "axes": ["cube:3", "cube:3", "cube:3", "causal:1"]}}
                 ]}""";
        SplittableRandom r = new SplittableRandom(7);
        byte[] weights = SafeTensors.writer()
                .putFloats("c1.kernel", random(r, 54 * 2 * 4), 54, 2, 4)
                .putFloats("c1.bias", random(r, 4), 4)
                .putFloats("c2.kernel", random(r, 27 * 4 * 2), 27, 4, 2)
                .toBytes();
        return new ModelSource("causal-test", spec, weights, ModelInput.OCCUPANCY_AND_FEATURES, new LabelRule(0, 0f));
    }

    private static float[] random(SplittableRandom r, int n) {
        float[] w = new float[n];
        for (int i = 0; i < n; i++) w[i] = (float) (r.nextDouble() - 0.5);
        return w;
    }
}
