package io.minkstream.operators.inference;

import io.minkstream.engine.io.SafeTensors;
import io.minkstream.engine.nn.Network;
import io.minkstream.engine.nn.NetworkSpec;
import java.util.SplittableRandom;

/** Small networks with random weights for window tests; every weight named by the spec is filled. */
public final class TestModels {
    private TestModels() {
    }

    /** conv(2->4, cube 3 x causal(span)) -> relu -> conv(4->3, cube 3 x dt 0). Temporal reach span-1. */
    public static InferenceModel causal(int span) {
        return model("causal", """
                {"name": "causal", "dimension": 4, "in_channels": 2, "layers": [
                  {"name": "c1", "type": "conv", "out_channels": 4, "bias": true,
                   "kernel": {"type": "hybrid", "axes": ["cube:3", "cube:3", "cube:3", "causal:%d"]}},
                  {"name": "r1", "type": "relu"},
                  {"name": "c2", "type": "conv", "out_channels": 3, "kernel": {"type": "hybrid", "axes": ["cube:3", "cube:3", "cube:3", "causal:1"]}}
                ]}""".formatted(span));
    }

    /** A layer that also reads the next frame: window(0, 1) in time, then batch norm + leaky relu. */
    public static InferenceModel lookAheadOne() {
        return model("lookahead", """
                {"name": "lookahead", "dimension": 4, "in_channels": 2, "layers": [
                  {"name": "c1", "type": "conv", "out_channels": 4,
                   "kernel": {"type": "hybrid", "axes": ["cube:3", "cube:3", "cube:3", "window:0:1"]}},
                  {"name": "bn", "type": "batch_norm"},
                  {"name": "act", "type": "leaky_relu"},
                  {"name": "c2", "type": "conv", "out_channels": 2, "kernel": {"type": "cross", "size": [3, 3, 3, 1]}}
                ]}""");
    }

    /**
     * A 2-level U-Net: causal encoder conv, spatial stride 2 (time stride 1), coarse conv, transposed
     * conv back, concatenation skip, head. Temporal reach 1.
     */
    public static InferenceModel unet() {
        return model("unet", """
                {"name": "unet", "dimension": 4, "in_channels": 2, "layers": [
                  {"name": "enc1", "type": "conv", "out_channels": 4, "bias": true,
                   "kernel": {"type": "hybrid", "axes": ["cube:3", "cube:3", "cube:3", "causal:2"]}},
                  {"name": "bn1", "type": "batch_norm"},
                  {"name": "relu1", "type": "relu"},
                  {"name": "down", "type": "conv", "out_channels": 8, "stride": [2, 2, 2, 1],
                   "kernel": {"type": "hybrid", "axes": ["cube:2", "cube:2", "cube:2", "causal:1"]}},
                  {"name": "coarse", "type": "conv", "out_channels": 8,
                   "kernel": {"type": "hybrid", "axes": ["cube:3", "cube:3", "cube:3", "causal:1"]}},
                  {"name": "pool", "type": "max_pool", "kernel_size": [3, 3, 3, 1], "stride": 1},
                  {"name": "up", "type": "conv_transpose", "out_channels": 4, "stride": [2, 2, 2, 1],
                   "kernel": {"type": "hybrid", "axes": ["cube:2", "cube:2", "cube:2", "causal:1"]}},
                  {"name": "skip", "type": "concat", "inputs": ["up", "relu1"]},
                  {"name": "head", "type": "conv", "out_channels": 2, "kernel": {"type": "hybrid", "axes": ["cube:3", "cube:3", "cube:3", "causal:1"]}}
                ]}""");
    }

    private static java.util.Map<String, int[]> weightShapes(io.minkstream.engine.nn.LayerSpec l) {
        java.util.Map<String, int[]> m = new java.util.LinkedHashMap<>();
        String n = l.name();
        switch (l.type()) {
            case CONV, CONV_TRANSPOSE, GENERATIVE_CONV_TRANSPOSE -> {
                m.put(n + ".kernel", new int[] {l.region().volume(), l.inChannels(), l.outChannels()});
                if (l.bias()) m.put(n + ".bias", new int[] {l.outChannels()});
            }
            case BATCH_NORM -> {
                for (String role : new String[] {"weight", "bias", "running_mean", "running_var"}) m.put(n + "." + role, new int[] {l.outChannels()});
            }
            default -> {
            }
        }
        return m;
    }

    /** Random weights for every tensor the spec needs (shapes from the validated spec). */
    public static InferenceModel model(String name, String json) {
        NetworkSpec spec = NetworkSpec.parse(json);
        SafeTensors.Writer w = SafeTensors.writer();
        SplittableRandom r = new SplittableRandom(name.hashCode());
        for (var layer : spec.layers()) {
            for (var t : weightShapes(layer).entrySet()) {
                int[] shape = t.getValue();
                int n = 1;
                for (int x : shape) n *= x;
                float[] v = new float[n];
                boolean positive = t.getKey().endsWith("running_var") || t.getKey().endsWith(".weight");
                for (int i = 0; i < n; i++) v[i] = positive ? (float) (0.5 + r.nextDouble()) : (float) (r.nextDouble() - 0.5);
                w.putFloats(t.getKey(), v, shape);
            }
        }
        try {
            Network net = Network.fromJson(json, SafeTensors.parse(w.toBytes(), name));
            return new InferenceModel(name, net, ModelInput.OCCUPANCY_AND_FEATURES, new LabelRule(0, 0f));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
