package io.minkstream.engine.nn;

import static io.minkstream.engine.nn.RandomSparse.assertSameTensor;
import static org.assertj.core.api.Assertions.assertThat;

import io.minkstream.engine.backend.Activation;
import io.minkstream.engine.backend.CpuBackend;
import io.minkstream.engine.backend.PoolMode;
import io.minkstream.engine.coords.AxisShape;
import io.minkstream.engine.coords.CoordinateManager;
import io.minkstream.engine.coords.KernelRegion;
import io.minkstream.engine.io.SafeTensors;
import io.minkstream.engine.ops.Broadcast;
import io.minkstream.engine.ops.Convolution;
import io.minkstream.engine.ops.Merge;
import io.minkstream.engine.ops.Normalization;
import io.minkstream.engine.ops.Pooling;
import io.minkstream.engine.ops.Pruning;
import io.minkstream.engine.tensor.SparseTensor;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Networks built from JSON + safetensors against the same layers and ops composed by hand. */
class NetworkTest {
    private static final CpuBackend BACKEND = new CpuBackend(2);
    private static final double ABS = 1e-5;
    private static final double REL = 1e-5;

    @AfterAll
    static void close() {
        BACKEND.close();
    }

    private static int[] fill(int d, int v) {
        int[] a = new int[d];
        java.util.Arrays.fill(a, v);
        return a;
    }

    static float maxAbs(float[] v) {
        float m = 0f;
        for (float x : v) m = Math.max(m, Math.abs(x));
        return m;
    }

    static final String UNET = """
            {
              "name": "unet2",
              "dimension": 4,
              "in_channels": 3,
              "layers": [
                {"name": "enc1", "type": "conv", "out_channels": 8, "bias": true,
                 "kernel": {"type": "hybrid", "axes": ["cube:3", "cube:3", "cube:3", "causal:2"]}},
                {"name": "bn1", "type": "batch_norm"},
                {"name": "relu1", "type": "relu"},
                {"name": "enc2", "type": "conv", "out_channels": 16, "kernel": 2, "stride": 2},
                {"name": "bn2", "type": "batch_norm", "eps": 1e-3},
                {"name": "act2", "type": "leaky_relu", "negative_slope": 0.1},
                {"name": "mid", "type": "conv", "out_channels": 16, "kernel": {"type": "cross", "size": [3, 3, 3, 1]}},
                {"name": "dec1", "type": "conv_transpose", "out_channels": 8, "kernel": 2, "stride": [2, 2, 2, 2], "bias": true},
                {"name": "skip", "type": "concat", "inputs": ["dec1", "relu1"]},
                {"name": "head", "type": "conv", "in_channels": 16, "out_channels": 4, "kernel": 3},
                {"name": "out", "type": "linear", "out_channels": 2}
              ]
            }""";

    @Test
    void twoLevelUNetWithFusedBatchNormsMatchesHandComposedUnfusedLayers() throws IOException {
        RandomSparse r = new RandomSparse(7);
        int[] coords = r.coordinates(600, 2, 4, 7);
        float[] feats = r.floats(600 * 3, 1f);
        KernelRegion hybrid = KernelRegion.hybrid(new AxisShape[] {AxisShape.cube(3), AxisShape.cube(3), AxisShape.cube(3), AxisShape.causal(2)}, fill(4, 1));
        KernelRegion cube2 = KernelRegion.hyperCube(4, 2);
        KernelRegion cross = KernelRegion.hyperCross(new int[] {3, 3, 3, 1}, fill(4, 1));
        KernelRegion cube3 = KernelRegion.hyperCube(4, 3);
        assertThat(hybrid.volume()).isEqualTo(54);
        assertThat(cross.volume()).isEqualTo(7);

        SafeTensors.Writer w = SafeTensors.writer();
        float[] k1 = r.kernel(54, 3, 8);
        float[] b1 = r.floats(8, 0.1f);
        w.putFloats("enc1.kernel", k1, 54, 3, 8).putFloats("enc1.bias", b1, 8);
        float[][] bn1 = r.batchNorm(w, "bn1", 8);
        float[] k2 = r.kernel(16, 8, 16);
        w.putFloats("enc2.kernel", k2, 16, 8, 16);
        float[][] bn2 = r.batchNorm(w, "bn2", 16);
        float[] km = r.kernel(7, 16, 16);
        w.putFloats("mid.kernel", km, 7, 16, 16);
        float[] kd = r.kernel(16, 16, 8);
        float[] bd = r.floats(8, 0.1f);
        w.putFloats("dec1.kernel", kd, 16, 16, 8).putFloats("dec1.bias", bd, 8);
        float[] kh = r.kernel(81, 16, 4);
        w.putFloats("head.kernel", kh, 81, 16, 4);
        float[] ko = r.kernel(1, 4, 2);
        float[] bo = r.floats(2, 0.1f);
        w.putFloats("out.kernel", ko, 4, 2).putFloats("out.bias", bo, 2);

        Network net = Network.fromJson(UNET, SafeTensors.parse(w.toBytes(), "unet2.safetensors"));
        SparseTensor got = net.forward(SparseTensor.of(new CoordinateManager(4, BACKEND.kernelMapBuilder()), coords, feats, 3), BACKEND);

        CoordinateManager m = new CoordinateManager(4, BACKEND.kernelMapBuilder());
        SparseTensor x = SparseTensor.of(m, coords, feats, 3);
        SparseTensor e1 = new ConvolutionLayer(ConvolutionLayer.Kind.CONVOLUTION, hybrid, fill(4, 1), 3, 8, k1, b1).forward(x, BACKEND);
        e1 = NormalizationLayer.batchNorm(bn1[0], bn1[1], bn1[2], bn1[3], 1e-5f, Activation.IDENTITY).forward(e1, BACKEND);
        e1 = new ActivationLayer(Activation.RELU).forward(e1, BACKEND);
        SparseTensor e2 = new ConvolutionLayer(ConvolutionLayer.Kind.CONVOLUTION, cube2, fill(4, 2), 8, 16, k2, null).forward(e1, BACKEND);
        e2 = NormalizationLayer.batchNorm(bn2[0], bn2[1], bn2[2], bn2[3], 1e-3f, Activation.IDENTITY).forward(e2, BACKEND);
        e2 = new ActivationLayer(Activation.leakyRelu(0.1f)).forward(e2, BACKEND);
        SparseTensor mid = new ConvolutionLayer(ConvolutionLayer.Kind.CONVOLUTION, cross, fill(4, 1), 16, 16, km, null).forward(e2, BACKEND);
        SparseTensor d1 = new ConvolutionLayer(ConvolutionLayer.Kind.TRANSPOSED, cube2, fill(4, 2), 16, 8, kd, bd).forward(mid, BACKEND);
        SparseTensor skip = Merge.concatenate(d1, e1);
        SparseTensor head = new ConvolutionLayer(ConvolutionLayer.Kind.CONVOLUTION, cube3, fill(4, 1), 16, 4, kh, null).forward(skip, BACKEND);
        SparseTensor want = new LinearLayer(4, 2, ko, bo).forward(head, BACKEND);

        assertThat(e2.tensorStride()).containsExactly(2, 2, 2, 2);
        assertThat(want.size()).as("the decoder returns to the input's coordinates").isEqualTo(600);
        assertThat(maxAbs(want.features())).as("a non-trivial result").isGreaterThan(0.1f);
        assertSameTensor("unet2", got, want, ABS, REL);

        assertThat(net.layers()).extracting(Network.Node::name)
                .containsExactly("enc1", "relu1", "enc2", "act2", "mid", "dec1", "skip", "head", "out");
        assertThat(net.node("bn1")).isSameAs(net.node("relu1"));
        assertThat(net.node("relu1").fused()).isTrue();
        assertThat(net.node("relu1").specs()).extracting(LayerSpec::name).containsExactly("bn1", "relu1");
        assertThat(net.node("relu1").layer()).isInstanceOf(NormalizationLayer.class);
        assertThat(net.node("act2").inputs()).containsExactly("enc2");
        assertThat(net.node("skip").merge()).isInstanceOf(ConcatenationLayer.class);
        assertThat(net.node("enc1").region()).isEqualTo(hybrid);
        assertThat(net.node("enc2").stride()).containsExactly(2, 2, 2, 2);
        assertThat(net.node("mid").spec().inTensorStride()).containsExactly(2, 2, 2, 2);
        assertThat(net.node("skip").outChannels()).isEqualTo(16);
        assertThat(net.dimension()).isEqualTo(4);
        assertThat(net.inChannels()).isEqualTo(3);
        assertThat(net.outChannels()).isEqualTo(2);
        assertThat(net.outputs()).containsExactly("out");
    }

    @Test
    void batchNormReadByTwoLayersIsNotFused() throws IOException {
        String json = """
                {"dimension": 2, "in_channels": 2, "layers": [
                  {"name": "bn", "type": "batch_norm"},
                  {"name": "a", "type": "relu"},
                  {"name": "b", "type": "sigmoid", "input": "bn"},
                  {"name": "sum", "type": "add", "inputs": ["a", "b"]}]}""";
        RandomSparse r = new RandomSparse(3);
        SafeTensors.Writer w = SafeTensors.writer();
        float[][] bn = r.batchNorm(w, "bn", 2);
        Network net = Network.fromJson(json, SafeTensors.parse(w.toBytes(), "mem"));
        assertThat(net.layers()).extracting(Network.Node::name).containsExactly("bn", "a", "b", "sum");
        assertThat(net.layers()).noneMatch(Network.Node::fused);

        int[] coords = r.coordinates(40, 1, 2, 10);
        float[] f = r.floats(80, 2f);
        SparseTensor got = net.forward(SparseTensor.of(new CoordinateManager(2, BACKEND.kernelMapBuilder()), coords, f, 2), BACKEND);
        CoordinateManager m = new CoordinateManager(2, BACKEND.kernelMapBuilder());
        SparseTensor n = Normalization.batchNorm(SparseTensor.of(m, coords, f, 2), bn[0], bn[1], bn[2], bn[3], 1e-5f, Activation.IDENTITY, BACKEND);
        SparseTensor want = Merge.union(Normalization.activate(n, Activation.RELU, BACKEND), Normalization.activate(n, Activation.SIGMOID, BACKEND));
        assertSameTensor("bn shared", got, want, ABS, REL);
    }

    static final String ZOO = """
            {"name": "zoo", "dimension": 3, "in_channels": 2, "layers": [
              {"name": "c1", "type": "conv", "out_channels": 4, "kernel": 3, "bias": true},
              {"name": "mp", "type": "max_pool", "kernel_size": 2, "stride": 2},
              {"name": "ap", "type": "avg_pool", "kernel_size": 3},
              {"name": "g", "type": "global_avg_pool", "input": "mp"},
              {"name": "ba", "type": "broadcast_add", "inputs": ["ap", "g"]},
              {"name": "gm", "type": "global_max_pool", "input": "mp"},
              {"name": "bm", "type": "broadcast_mul", "inputs": ["ba", "gm"]},
              {"name": "sp", "type": "sum_pool", "kernel_size": [2, 2, 1], "dilation": [1, 2, 1]},
              {"name": "up", "type": "unpool", "kernel_size": 2, "stride": 2},
              {"name": "sum", "type": "add", "inputs": ["up", "c1"]},
              {"name": "in", "type": "instance_norm", "eps": 1e-4},
              {"name": "cw", "type": "channelwise_conv", "kernel": {"type": "cross", "size": 3}, "bias": true},
              {"name": "e", "type": "elu", "alpha": 0.5},
              {"name": "lin", "type": "linear", "out_channels": 3},
              {"name": "ge", "type": "gelu"},
              {"name": "logit", "type": "linear", "out_channels": 1, "bias": false},
              {"name": "kept", "type": "prune", "input": "ge", "mask_from": "logit", "threshold": 0.0},
              {"name": "gen", "type": "generative_conv_transpose", "out_channels": 2, "kernel": 2},
              {"name": "gs", "type": "global_sum_pool", "input": "kept"},
              {"name": "sg", "type": "sigmoid"},
              {"name": "th", "type": "tanh", "input": "kept"}
            ], "outputs": ["th", "sg", "gen"]}""";

    @Test
    void everyOtherLayerTypeMatchesTheOpsItWraps() throws IOException {
        RandomSparse r = new RandomSparse(11);
        int[] coords = r.coordinates(300, 2, 3, 9);
        float[] feats = r.floats(600, 1f);
        KernelRegion cross = KernelRegion.hyperCross(fill(3, 3), fill(3, 1));
        SafeTensors.Writer w = SafeTensors.writer().metadata("minkstream.ignore", "notes.*");
        float[] k1 = r.kernel(27, 2, 4);
        float[] b1 = r.floats(4, 0.1f);
        float[] inW = r.uniform(4, 0.5f, 1.5f);
        float[] inB = r.floats(4, 0.2f);
        float[] kcw = r.floats(7 * 4, 0.4f);
        float[] bcw = r.floats(4, 0.1f);
        float[] kl = r.kernel(1, 4, 3);
        float[] bl = r.floats(3, 0.1f);
        float[] klog = r.kernel(1, 3, 1);
        float[] kgen = r.kernel(8, 3, 2);
        w.putFloats("c1.kernel", k1, 27, 2, 4).putFloats("c1.bias", b1, 4)
                .putFloats("in.weight", inW, 1, 4).putFloats("in.bias", inB, 4)
                .putFloats("cw.kernel", kcw, 7, 4).putFloats("cw.bias", bcw, 1, 4)
                .putFloats("lin.kernel", kl, 4, 3).putFloats("lin.bias", bl, 3)
                .putFloats("logit.kernel", klog, 3, 1)
                .putFloats("gen.kernel", kgen, 8, 3, 2)
                .putInts("notes.version", new int[] {1}, 1);
        Network net = Network.fromJson(ZOO, SafeTensors.parse(w.toBytes(), "zoo.safetensors"));
        Map<String, SparseTensor> got = net.forwardAll(SparseTensor.of(new CoordinateManager(3, BACKEND.kernelMapBuilder()), coords, feats, 2), BACKEND);

        CoordinateManager m = new CoordinateManager(3, BACKEND.kernelMapBuilder());
        SparseTensor x = SparseTensor.of(m, coords, feats, 2);
        SparseTensor c1 = Convolution.convolution(x, k1, 4, b1, KernelRegion.hyperCube(3, 3), fill(3, 1), BACKEND);
        SparseTensor mp = Pooling.pool(PoolMode.MAX, c1, fill(3, 2), fill(3, 2), fill(3, 1), BACKEND);
        SparseTensor ap = Pooling.pool(PoolMode.AVG, mp, fill(3, 3), fill(3, 1), fill(3, 1), BACKEND);
        SparseTensor ba = Broadcast.add(ap, Pooling.global(PoolMode.AVG, mp, BACKEND));
        SparseTensor bm = Broadcast.multiply(ba, Pooling.global(PoolMode.MAX, mp, BACKEND));
        SparseTensor sp = Pooling.pool(PoolMode.SUM, bm, new int[] {2, 2, 1}, fill(3, 1), new int[] {1, 2, 1}, BACKEND);
        SparseTensor up = Pooling.unpool(sp, fill(3, 2), fill(3, 2), BACKEND);
        SparseTensor sum = Merge.union(up, c1);
        SparseTensor in = Normalization.instanceNorm(sum, inW, inB, 1e-4f);
        SparseTensor cw = Convolution.channelwise(in, kcw, bcw, cross, fill(3, 1), BACKEND);
        SparseTensor e = Normalization.activate(cw, Activation.elu(0.5f), BACKEND);
        SparseTensor ge = Normalization.activate(Convolution.linear(e, kl, 3, bl, BACKEND), Activation.GELU, BACKEND);
        SparseTensor logit = Convolution.linear(ge, klog, 1, null, BACKEND);
        boolean[] keep = new boolean[ge.size()];
        for (int i = 0; i < keep.length; i++) keep[i] = logit.features()[i] > 0f;
        SparseTensor kept = Pruning.prune(ge, keep);
        SparseTensor gen = Convolution.transposed(kept, kgen, 2, null, KernelRegion.hyperCube(3, 2), fill(3, 1), true, BACKEND);
        SparseTensor sg = Normalization.activate(Pooling.global(PoolMode.SUM, kept, BACKEND), Activation.SIGMOID, BACKEND);
        SparseTensor th = Normalization.activate(kept, Activation.TANH, BACKEND);

        assertThat(got.keySet()).containsExactly("th", "sg", "gen");
        assertThat(kept.size()).as("pruning keeps some rows and drops others").isBetween(1, ge.size() - 1);
        assertThat(sum.size()).as("the union adds no rows the input lacks").isEqualTo(300);
        assertThat(gen.size()).as("generative transpose creates new coordinates").isGreaterThan(kept.size());
        assertSameTensor("th", got.get("th"), th, ABS, REL);
        assertSameTensor("sg", got.get("sg"), sg, ABS, REL);
        assertSameTensor("gen", got.get("gen"), gen, ABS, REL);
        assertThat(got.get("sg").size()).isEqualTo(2);
        assertThat(net.outChannels("gen")).isEqualTo(2);
        assertThat(net.node("kept").merge()).isEqualTo(new PruningLayer(0, 0f));
        assertThat(net.node("kept").inputs()).containsExactly("ge", "logit");
        assertThat(net.node("sp").region()).isEqualTo(KernelRegion.hyperCube(new int[] {2, 2, 1}, new int[] {1, 2, 1}));
        assertThat(net.node("mp").region()).as("kernel = stride pools the windows o + {0, 1}")
                .isEqualTo(KernelRegion.hybrid(new AxisShape[] {AxisShape.steps(0, 1), AxisShape.steps(0, 1), AxisShape.steps(0, 1)}, fill(3, 1)));
    }

    @Test
    void kernelFormsBuildTheRegionsOfKernelRegion() {
        NetworkSpec spec = NetworkSpec.parse("""
                {"dimension": 4, "in_channels": 1, "layers": [
                  {"name": "a", "type": "conv", "out_channels": 1, "kernel": 3, "dilation": [2, 2, 2, 1]},
                  {"name": "b", "type": "conv", "out_channels": 1, "kernel": [3, 3, 3, 2]},
                  {"name": "c", "type": "conv", "out_channels": 1, "kernel": {"type": "cross", "size": [3, 3, 3, 5]}},
                  {"name": "d", "type": "conv", "out_channels": 1,
                   "kernel": {"type": "hybrid", "axes": ["cube:3", "cross:3", "window:2:1", "steps:-4, 0"]}},
                  {"name": "e", "type": "conv", "out_channels": 1,
                   "kernel": {"type": "union", "parts": [{"type": "cube", "size": [3, 3, 3, 1]}, {"type": "cross", "size": [1, 1, 1, 3]}]}},
                  {"name": "f", "type": "conv", "out_channels": 1, "kernel": {"type": "custom", "offsets": [[0, 0, 0, 0], [0, 0, 0, -1], [1, 0, 0, -2]]}}
                ]}""");
        assertThat(spec.layer("a").region()).isEqualTo(KernelRegion.hyperCube(fill(4, 3), new int[] {2, 2, 2, 1}));
        assertThat(spec.layer("a").region().dilation()).containsExactly(2, 2, 2, 1);
        assertThat(spec.layer("b").region()).isEqualTo(KernelRegion.hyperCube(new int[] {3, 3, 3, 2}, fill(4, 1)));
        assertThat(spec.layer("b").region().volume()).isEqualTo(54);
        assertThat(spec.layer("c").region()).isEqualTo(KernelRegion.hyperCross(new int[] {3, 3, 3, 5}, fill(4, 1)));
        assertThat(spec.layer("d").region()).isEqualTo(KernelRegion.hybrid(
                new AxisShape[] {AxisShape.cube(3), AxisShape.cross(3), AxisShape.window(2, 1), AxisShape.steps(-4, 0)}, fill(4, 1)));
        assertThat(spec.layer("d").region().volume()).isEqualTo(3 * 3 * 4 * 2);
        KernelRegion spaceTime = spec.layer("e").region();
        assertThat(spaceTime.volume()).as("27 spatial offsets, then dt = +1 and dt = -1").isEqualTo(29);
        assertThat(new int[] {spaceTime.step(27, 3), spaceTime.step(28, 3)}).containsExactly(1, -1);
        assertThat(spec.layer("f").region()).isEqualTo(KernelRegion.custom(new int[][] {{0, 0, 0, 0}, {0, 0, 0, -1}, {1, 0, 0, -2}}));
        assertThat(spec.layer("f").inputs()).containsExactly("e");
        assertThat(spec.layer("a").inputs()).containsExactly(NetworkSpec.INPUT);
    }

    @Test
    void temporalReachAccountsForStrideAndTransposition() {
        NetworkSpec causal = NetworkSpec.parse("""
                {"dimension": 4, "in_channels": 1, "layers": [
                  {"name": "enc1", "type": "conv", "out_channels": 2, "kernel": {"type": "hybrid", "axes": ["cube:3", "cube:3", "cube:3", "causal:3"]}},
                  {"name": "enc2", "type": "conv", "out_channels": 2, "kernel": [2, 2, 2, 1], "stride": [2, 2, 2, 1]},
                  {"name": "enc3", "type": "conv", "out_channels": 2, "kernel": {"type": "hybrid", "axes": ["cube:3", "cube:3", "cube:3", "causal:2"]}},
                  {"name": "dec", "type": "conv_transpose", "out_channels": 2, "kernel": [2, 2, 2, 1], "stride": [2, 2, 2, 1]},
                  {"name": "cat", "type": "concat", "inputs": ["dec", "enc1"]}
                ]}""");
        assertThat(causal.layer("enc1").temporalReach(3)).containsExactly(-2, 0);
        assertThat(causal.layer("enc3").temporalReach(3)).containsExactly(-1, 0);
        assertThat(causal.layer("enc3").temporalReach(0)).as("cube 3 at tensor stride 2").containsExactly(-2, 2);
        assertThat(causal.layer("enc2").temporalReach(0)).containsExactly(0, 1);
        assertThat(causal.layer("dec").temporalReach(0)).as("a transposed kernel reads o - offset").containsExactly(-1, 0);
        assertThat(causal.temporalReach(3)).containsExactly(-2, 0);
        assertThat(causal.cumulativeTemporalReach(3)).containsExactly(-3, 0);
        assertThat(causal.temporalReach(0)).containsExactly(-2, 2);
        assertThat(causal.cumulativeTemporalReach(0)).containsExactly(-4, 4);

        NetworkSpec lookAhead = NetworkSpec.parse("""
                {"dimension": 2, "in_channels": 1, "layers": [
                  {"name": "down", "type": "conv", "out_channels": 2, "kernel": 2, "stride": 2},
                  {"name": "mid", "type": "conv", "out_channels": 2, "kernel": {"type": "hybrid", "axes": ["cube:1", "window:1:1"]}},
                  {"name": "up", "type": "conv_transpose", "out_channels": 2, "kernel": 2, "stride": 2}
                ]}""");
        assertThat(lookAhead.layer("mid").temporalReach(1)).as("window at tensor stride 2").containsExactly(-2, 2);
        assertThat(lookAhead.temporalReach(1)).containsExactly(-2, 2);
        assertThat(lookAhead.cumulativeTemporalReach(1)).containsExactly(-3, 3);

        NetworkSpec strided = NetworkSpec.parse("""
                {"dimension": 2, "in_channels": 1, "layers": [
                  {"name": "down", "type": "conv", "out_channels": 2, "kernel": {"type": "hybrid", "axes": ["cube:3", "causal:2"]}, "stride": [2, 2]},
                  {"name": "pool", "type": "sum_pool", "kernel_size": [1, 1], "stride": [1, 3]}
                ]}""");
        assertThat(strided.layer("down").temporalReach(1)).as("a causal kernel, but row floor(t/2)*2 appears with frame t+1").containsExactly(-1, 1);
        assertThat(strided.layer("pool").temporalReach(1)).as("stride 3 at tensor stride 2").containsExactly(0, 4);
        assertThat(strided.cumulativeTemporalReach(1)).containsExactly(-1, 5);

        NetworkSpec global = NetworkSpec.parse("""
                {"dimension": 2, "in_channels": 1, "layers": [
                  {"name": "c", "type": "conv", "out_channels": 2, "kernel": {"type": "hybrid", "axes": ["cube:3", "causal:2"]}},
                  {"name": "g", "type": "global_max_pool"},
                  {"name": "b", "type": "broadcast_add", "inputs": ["c", "g"]}
                ]}""");
        assertThat(global.temporalReach(1)).containsExactly(LayerSpec.UNBOUNDED_PAST, LayerSpec.UNBOUNDED_FUTURE);
        assertThat(global.cumulativeTemporalReach(1)).containsExactly(LayerSpec.UNBOUNDED_PAST, LayerSpec.UNBOUNDED_FUTURE);
        assertThat(global.layer("c").temporalReach(1)).containsExactly(-1, 0);
    }

    @Test
    void layersListsRunOrderWithInputsAndLayerObjects() throws IOException {
        RandomSparse r = new RandomSparse(5);
        SafeTensors.Writer w = SafeTensors.writer().putFloats("c.kernel", r.kernel(9, 1, 2), 9, 1, 2);
        Network net = Network.fromJson("""
                {"name": "small", "dimension": 2, "in_channels": 1, "layers": [
                  {"name": "c", "type": "conv", "out_channels": 2, "kernel": 3},
                  {"name": "r", "type": "relu"},
                  {"name": "p", "type": "max_pool", "kernel_size": 2, "stride": 2, "input": "c"},
                  {"name": "cat", "type": "concat", "inputs": ["r", "c"]}
                ], "outputs": ["p", "cat"]}""", SafeTensors.parse(w.toBytes(), "mem"));
        List<Network.Node> nodes = net.layers();
        assertThat(nodes).extracting(Network.Node::name).containsExactly("c", "r", "p", "cat");
        assertThat(nodes).extracting(Network.Node::inputs).containsExactly(List.of("input"), List.of("c"), List.of("c"), List.of("r", "c"));
        assertThat(nodes.get(0).layer()).isInstanceOf(ConvolutionLayer.class);
        assertThat(((ConvolutionLayer) nodes.get(0).layer()).region()).isEqualTo(KernelRegion.hyperCube(2, 3));
        assertThat(nodes.get(1).layer()).isEqualTo(new ActivationLayer(Activation.RELU));
        assertThat(nodes.get(2).layer()).isInstanceOf(PoolingLayer.class);
        assertThat(nodes.get(2).spec().outTensorStride()).containsExactly(2, 2);
        assertThat(nodes.get(3).layer()).isNull();
        assertThat(net.outChannels("cat")).isEqualTo(4);
        assertThat(net.toString()).contains("cat: concat [r, c] 2->4");

        SparseTensor x = SparseTensor.of(new CoordinateManager(2, BACKEND.kernelMapBuilder()), new int[] {0, 0, 0, 0, 1, 1, 0, 3, 2}, new float[] {1, -2, 3}, 1);
        Map<String, SparseTensor> out = net.forwardAll(x, BACKEND);
        assertThat(out.get("cat").channels()).isEqualTo(4);
        float[] cat = out.get("cat").features();
        for (int row = 0; row < 3; row++) {
            for (int ch = 0; ch < 2; ch++) assertThat(cat[row * 4 + ch]).isEqualTo(Math.max(0f, cat[row * 4 + 2 + ch]));
        }
        assertThat(out.get("p").tensorStride()).containsExactly(2, 2);
    }
}
