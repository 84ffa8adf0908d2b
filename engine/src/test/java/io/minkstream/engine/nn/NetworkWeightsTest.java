package io.minkstream.engine.nn;

import static io.minkstream.engine.nn.RandomSparse.assertSameTensor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minkstream.engine.backend.CpuBackend;
import io.minkstream.engine.coords.CoordinateManager;
import io.minkstream.engine.io.SafeTensors;
import io.minkstream.engine.tensor.SparseTensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Weights that do not fit the spec fail naming the tensor, expected and found shape; outputs must be finite. */
class NetworkWeightsTest {
    private static final CpuBackend BACKEND = new CpuBackend(1);

    @AfterAll
    static void close() {
        BACKEND.close();
    }

    private static final String TINY = """
            {"name": "tiny", "dimension": 4, "in_channels": 4, "layers": [
              {"name": "enc1", "type": "conv", "out_channels": 8, "kernel": 3},
              {"name": "bn", "type": "batch_norm"},
              {"name": "relu", "type": "relu"},
              {"name": "lin", "type": "linear", "out_channels": 2, "bias": false}]}""";

    /** Complete, consistent weights for TINY; {@code edit} may replace or add tensors before they are written. */
    private static SafeTensors tinyWeights(Consumer<java.util.Map<String, float[][]>> edit) throws IOException {
        RandomSparse r = new RandomSparse(1);
        java.util.Map<String, float[][]> t = new java.util.LinkedHashMap<>();
        t.put("enc1.kernel", new float[][] {r.kernel(81, 4, 8), {81, 4, 8}});
        t.put("bn.weight", new float[][] {r.uniform(8, 0.5f, 1.5f), {8}});
        t.put("bn.bias", new float[][] {r.floats(8, 0.1f), {8}});
        t.put("bn.running_mean", new float[][] {r.floats(8, 0.1f), {8}});
        t.put("bn.running_var", new float[][] {r.uniform(8, 0.5f, 2f), {8}});
        t.put("lin.kernel", new float[][] {r.kernel(1, 8, 2), {8, 2}});
        edit.accept(t);
        SafeTensors.Writer w = SafeTensors.writer();
        t.forEach((name, v) -> w.putFloats(name, v[0], toInts(v[1])));
        return SafeTensors.parse(w.toBytes(), "tiny.safetensors");
    }

    private static int[] toInts(float[] shape) {
        int[] s = new int[shape.length];
        for (int i = 0; i < s.length; i++) s[i] = (int) shape[i];
        return s;
    }

    @Test
    void consistentWeightsLoadAndFuseTheBatchNorm() throws IOException {
        Network net = Network.fromJson(TINY, tinyWeights(t -> { }));
        assertThat(net.layers()).extracting(Network.Node::name).containsExactly("enc1", "relu", "lin");
        assertThat(net.node("relu").fused()).isTrue();
        assertThat(net.outChannels()).isEqualTo(2);
    }

    @Test
    void missingTensorNamesItAndItsExpectedShape() {
        assertThatThrownBy(() -> Network.fromJson(TINY, tinyWeights(t -> t.remove("enc1.kernel"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("layer 'enc1': weights tiny.safetensors have no tensor 'enc1.kernel' (expected shape [81, 4, 8] for kernel"
                        + " HYPER_CUBE[3, 3, 3, 3] of 81 offsets, 4 -> 8 channels, [K][Cin][Cout])");
        assertThatThrownBy(() -> Network.fromJson(TINY.replace("\"kernel\": 3}", "\"kernel\": 3, \"bias\": true}"), tinyWeights(t -> { })))
                .hasMessage("layer 'enc1': weights tiny.safetensors have no tensor 'enc1.bias' (expected shape [8] (bias: true))");
        assertThatThrownBy(() -> Network.fromJson(TINY, tinyWeights(t -> t.remove("bn.running_mean"))))
                .hasMessage("layer 'bn': weights tiny.safetensors have no tensor 'bn.running_mean' (expected shape [8] for 8 channels)");
    }

    @Test
    void mismatchedShapeNamesTensorExpectedAndFound() {
        assertThatThrownBy(() -> Network.fromJson(TINY, tinyWeights(t -> t.put("enc1.kernel", new float[][] {new float[27 * 4 * 8], {27, 4, 8}}))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("layer 'enc1': tensor 'enc1.kernel' has shape [27, 4, 8], expected [81, 4, 8] (in tiny.safetensors) for kernel"
                        + " HYPER_CUBE[3, 3, 3, 3] of 81 offsets, 4 -> 8 channels, [K][Cin][Cout]");
        assertThatThrownBy(() -> Network.fromJson(TINY, tinyWeights(t -> t.put("bn.running_var", new float[][] {new float[7], {7}}))))
                .hasMessage("layer 'bn': tensor 'bn.running_var' has shape [7], expected [8] (in tiny.safetensors) for 8 channels");
        assertThatThrownBy(() -> Network.fromJson(TINY, tinyWeights(t -> t.put("lin.kernel", new float[][] {new float[16], {2, 8}}))))
                .as("PyTorch's nn.Linear layout [out][in] is not silently accepted")
                .hasMessage("layer 'lin': tensor 'lin.kernel' has shape [2, 8], expected [8, 2] (in tiny.safetensors) for linear 8 -> 2 channels, [Cin][Cout]");
    }

    @Test
    void tensorsNoLayerReadsAreAnErrorUnlessTheMetadataListsThem() throws IOException {
        assertThatThrownBy(() -> Network.fromJson(TINY, tinyWeights(t -> {
            t.put("enc1.bias", new float[][] {new float[8], {8}});
            t.put("lni.kernel", new float[][] {new float[16], {8, 2}});
            t.put("bn.num_batches_tracked", new float[][] {new float[1], {}});
        }))).hasMessage("weights tiny.safetensors have tensors that no layer reads: [enc1.bias, lni.kernel, bn.num_batches_tracked];"
                + " layer 'enc1' has bias: false; layer 'bn' (batch_norm) does not read 'num_batches_tracked'"
                + " (list deliberate extras in the file's metadata 'minkstream.ignore', comma-separated, * as wildcard)");

        SafeTensors base = tinyWeights(t -> { });
        SafeTensors.Writer w = SafeTensors.writer().metadata("minkstream.ignore", "*.num_batches_tracked, optimizer.*");
        for (String name : base.names()) w.putFloats(name, base.floats(name), base.shape(name));
        w.putInts("bn.num_batches_tracked", new int[] {100}).putFloats("optimizer.lr", new float[] {0.1f}, 1);
        Network net = Network.fromJson(TINY, SafeTensors.parse(w.toBytes(), "ignored.safetensors"));
        assertThat(net.layers()).hasSize(3);
    }

    @Test
    void integerKernelIsRefusedNamingTheDtype() throws IOException {
        SafeTensors base = tinyWeights(t -> t.remove("lin.kernel"));
        SafeTensors.Writer w = SafeTensors.writer();
        for (String name : base.names()) w.putFloats(name, base.floats(name), base.shape(name));
        w.putInts("lin.kernel", new int[16], 8, 2);
        assertThatThrownBy(() -> Network.fromJson(TINY, SafeTensors.parse(w.toBytes(), "ints.safetensors")))
                .hasMessage("layer 'lin': tensor 'lin.kernel' in ints.safetensors has dtype I32, expected a float dtype (F32, F16, BF16)"
                        + " for linear 8 -> 2 channels, [Cin][Cout]");
    }

    @Test
    void negativeRunningVarianceIsRefusedAtLoad() {
        float[] var = {1, 1, 1, -2, 1, 1, 1, 1};
        assertThatThrownBy(() -> Network.fromJson(TINY, tinyWeights(t -> t.put("bn.running_var", new float[][] {var, {8}}))))
                .hasMessage("layer 'bn': tensor 'bn.running_var' value -2.0 at channel 3 plus eps 1.0E-5 is not positive");
    }

    @Test
    void halfPrecisionWeightsGiveTheSameResultAsTheirFloatValues() throws IOException {
        // Multiples of 1/64 below 2 need at most 7 significant bits: exact in F16 and BF16 alike.
        SafeTensors f32 = tinyWeights(t -> t.replaceAll((name, v) -> new float[][] {quantize(v[0], name.endsWith("running_var")), v[1]}));
        SafeTensors.Writer half = SafeTensors.writer();
        SafeTensors.Writer bf = SafeTensors.writer();
        for (String name : f32.names()) {
            float[] v = f32.floats(name);
            half.putRaw(name, SafeTensors.DType.F16, f32.shape(name), halfBytes(v));
            bf.putRaw(name, SafeTensors.DType.BF16, f32.shape(name), bfloatBytes(v));
        }
        RandomSparse r = new RandomSparse(4);
        int[] coords = r.coordinates(200, 1, 4, 6);
        float[] feats = r.floats(800, 1f);
        SparseTensor want = Network.fromJson(TINY, f32).forward(SparseTensor.of(new CoordinateManager(4, BACKEND.kernelMapBuilder()), coords, feats, 4), BACKEND);
        for (SafeTensors st : new SafeTensors[] {SafeTensors.parse(half.toBytes(), "f16"), SafeTensors.parse(bf.toBytes(), "bf16")}) {
            SparseTensor got = Network.fromJson(TINY, st).forward(SparseTensor.of(new CoordinateManager(4, BACKEND.kernelMapBuilder()), coords, feats, 4), BACKEND);
            assertSameTensor(st.source(), got, want, 0, 0);
        }
        assertThat(NetworkTest.maxAbs(want.features())).isGreaterThan(0.05f);
    }

    private static float[] quantize(float[] v, boolean positive) {
        float[] q = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            float x = Math.max(-1.99f, Math.min(1.99f, v[i]));
            q[i] = Math.round(x * 64f) / 64f;
            if (positive) q[i] = Math.max(q[i], 0.25f);
        }
        return q;
    }

    /** Exact for normal halves whose low 13 mantissa bits are zero (all values used here). */
    private static byte[] halfBytes(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(2 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) {
            int bits = Float.floatToIntBits(x);
            int sign = (bits >>> 16) & 0x8000;
            if (x == 0f) {
                b.putShort((short) sign);
                continue;
            }
            int exponent = ((bits >>> 23) & 0xff) - 127 + 15;
            assertThat(exponent).isBetween(1, 30);
            assertThat(bits & 0x1fff).isZero();
            b.putShort((short) (sign | exponent << 10 | (bits >>> 13) & 0x3ff));
        }
        return b.array();
    }

    private static byte[] bfloatBytes(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(2 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) {
            int bits = Float.floatToIntBits(x);
            assertThat(bits & 0xffff).isZero();
            b.putShort((short) (bits >>> 16));
        }
        return b.array();
    }

    @Test
    void nonFiniteOutputIsReportedWithOutputRowCoordinateAndChannel() throws IOException {
        String json = """
                {"name": "boom", "dimension": 2, "in_channels": 1, "layers": [
                  {"name": "wide", "type": "linear", "out_channels": 2, "bias": false},
                  {"name": "diff", "type": "linear", "out_channels": 1, "bias": false}]}""";
        SafeTensors w = SafeTensors.parse(SafeTensors.writer()
                .putFloats("wide.kernel", new float[] {3e38f, 3e38f}, 1, 2)
                .putFloats("diff.kernel", new float[] {1f, -1f}, 2, 1).toBytes(), "boom.safetensors");
        Network net = Network.fromJson(json, w);
        SparseTensor x = SparseTensor.of(new CoordinateManager(2, BACKEND.kernelMapBuilder()), new int[] {0, 0, 0, 0, 4, 7, 1, 2, 2}, new float[] {0.5f, 2f, 0f}, 1);
        assertThatThrownBy(() -> net.forward(x, BACKEND))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("network 'boom': output 'diff' row 1 (coordinate [0, 4, 7]) channel 0 is NaN; outputs must be finite");
        SparseTensor fine = SparseTensor.of(new CoordinateManager(2, BACKEND.kernelMapBuilder()), new int[] {0, 0, 0, 1, 2, 2}, new float[] {0.5f, 0f}, 1);
        assertThat(net.forward(fine, BACKEND).features()).containsExactly(0f, 0f);
    }

    @Test
    void inputThatDoesNotFitTheNetworkIsRefused() throws IOException {
        Network net = Network.fromJson(TINY, tinyWeights(t -> { }));
        SparseTensor three = SparseTensor.of(new CoordinateManager(4, BACKEND.kernelMapBuilder()), new int[] {0, 1, 2, 3, 4}, new float[] {1, 2, 3}, 3);
        assertThatThrownBy(() -> net.forward(three, BACKEND)).hasMessage("network 'tiny' expects 4 input channels, the input tensor has 3");
        SparseTensor d3 = SparseTensor.of(new CoordinateManager(3, BACKEND.kernelMapBuilder()), new int[] {0, 1, 2, 3}, new float[] {1, 2, 3, 4}, 4);
        assertThatThrownBy(() -> net.forward(d3, BACKEND)).hasMessage("network 'tiny' expects dimension 4, the input tensor has 3");
    }

    @Test
    void loadReadsSpecAndWeightsFilesAndSingleOutputForwardNeedsOneOutput(@TempDir Path dir) throws IOException {
        Path spec = dir.resolve("two.json");
        Files.writeString(spec, """
                {"name": "two", "dimension": 1, "in_channels": 1, "layers": [
                  {"name": "a", "type": "relu"}, {"name": "b", "type": "tanh", "input": "input"}], "outputs": ["a", "b"]}""");
        Path weights = dir.resolve("two.safetensors");
        SafeTensors.writer().write(weights);
        Network net = Network.load(spec, weights);
        SparseTensor x = SparseTensor.of(new CoordinateManager(1, BACKEND.kernelMapBuilder()), new int[] {0, 0, 0, 1}, new float[] {-1f, 1f}, 1);
        assertThatThrownBy(() -> net.forward(x, BACKEND)).hasMessage("network 'two' has 2 outputs [a, b]; use forwardAll");
        assertThatThrownBy(net::outChannels).hasMessage("network 'two' has 2 outputs [a, b]; use outChannels(name)");
        var all = net.forwardAll(x, BACKEND);
        assertThat(all.get("a").features()).containsExactly(0f, 1f);
        assertThat(all.get("b").features()).containsExactly((float) Math.tanh(-1), (float) Math.tanh(1));
    }
}
