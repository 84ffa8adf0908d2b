package io.minkstream.engine.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad specs fail at parse time with a message that names the layer and the field. */
class NetworkSpecTest {

    /** A D=4, 4-channel spec around the given layers; single quotes stand for double quotes. */
    private static String spec(String layers) {
        return ("{'name': 't', 'dimension': 4, 'in_channels': 4, 'layers': [" + layers + "]}").replace('\'', '"');
    }

    private static final String ENC1 = "{'name': 'enc1', 'type': 'conv', 'out_channels': 16, 'kernel': 3}";

    static Stream<Arguments> badLayers() {
        return Stream.of(
                Arguments.of("stride axes", ENC1 + ", {'name': 'enc2', 'type': 'conv', 'out_channels': 8, 'kernel': 3, 'stride': [2, 2, 2]}",
                        "layer 'enc2': stride has 3 axes, expected 4"),
                Arguments.of("stride zero", "{'name': 'enc1', 'type': 'conv', 'out_channels': 8, 'kernel': 3, 'stride': [2, 0, 2, 1]}",
                        "layer 'enc1': stride[1] must be >= 1, got 0"),
                Arguments.of("stride type", "{'name': 'enc1', 'type': 'conv', 'out_channels': 8, 'kernel': 3, 'stride': '2'}",
                        "layer 'enc1': stride must be an int or an array of 4 ints, got \"2\""),
                Arguments.of("dilation axes", "{'name': 'enc1', 'type': 'conv', 'out_channels': 8, 'kernel': 3, 'dilation': [1, 1]}",
                        "layer 'enc1': dilation has 2 axes, expected 4"),
                Arguments.of("kernel sizes axes", "{'name': 'enc1', 'type': 'conv', 'out_channels': 8, 'kernel': [3, 3, 3]}",
                        "layer 'enc1': kernel has 3 axes, expected 4"),
                Arguments.of("hybrid axes", "{'name': 'enc1', 'type': 'conv', 'out_channels': 8, 'kernel': {'type': 'hybrid', 'axes': ['cube:3', 'cube:3', 'causal:3']}}",
                        "layer 'enc1': kernel.axes has 3 axes, expected 4"),
                Arguments.of("hybrid axis shape", "{'name': 'enc1', 'type': 'conv', 'out_channels': 8, 'kernel': {'type': 'hybrid', 'axes': ['cube:3', 'cube:3', 'cube:3', 'causal3']}}",
                        "layer 'enc1': kernel.axes[3] 'causal3' is not an axis shape (use cube:N, cross:N, causal:N, window:PAST:AHEAD or steps:A,B,...)"),
                Arguments.of("even cross", "{'name': 'enc1', 'type': 'conv', 'out_channels': 8, 'kernel': {'type': 'hybrid', 'axes': ['cross:2', 'cube:3', 'cube:3', 'causal:3']}}",
                        "layer 'enc1': kernel.axes[0] 'cross:2': cross size must be odd, got 2"),
                Arguments.of("kernel type", "{'name': 'enc1', 'type': 'conv', 'out_channels': 8, 'kernel': {'type': 'ball', 'size': 3}}",
                        "layer 'enc1': kernel.type 'ball' is not one of cube, cross, hybrid, union, custom"),
                Arguments.of("kernel field", "{'name': 'enc1', 'type': 'conv', 'out_channels': 8, 'kernel': {'type': 'cube', 'sizes': 3}}",
                        "layer 'enc1': unknown field 'sizes' in kernel (allowed: size, type)"),
                Arguments.of("union part", "{'name': 'enc1', 'type': 'conv', 'out_channels': 8, 'kernel': {'type': 'union', 'parts': [3, {'type': 'cross', 'size': [3, 3]}]}}",
                        "layer 'enc1': kernel.parts[1].size has 2 axes, expected 4"),
                Arguments.of("custom row", "{'name': 'enc1', 'type': 'conv', 'out_channels': 8, 'kernel': {'type': 'custom', 'offsets': [[0, 0, 0, 0], [0, 0, 1]]}}",
                        "layer 'enc1': kernel.offsets[1] has 3 axes, expected 4: [0,0,1]"),
                Arguments.of("custom repeat", "{'name': 'enc1', 'type': 'conv', 'out_channels': 8, 'kernel': {'type': 'custom', 'offsets': [[0, 0, 0, 0], [0, 0, 0, 0]]}}",
                        "layer 'enc1': kernel: custom kernel region repeats offset [0, 0, 0, 0]"),
                Arguments.of("custom dilation", "{'name': 'enc1', 'type': 'conv', 'out_channels': 8, 'dilation': 2, 'kernel': {'type': 'custom', 'offsets': [[0, 0, 0, 0]]}}",
                        "layer 'enc1': dilation must be 1 with a custom kernel (scale its offsets instead), got [2, 2, 2, 2]"),
                Arguments.of("missing kernel", "{'name': 'enc1', 'type': 'conv', 'out_channels': 8}", "layer 'enc1': missing field 'kernel'"),
                Arguments.of("missing out_channels", "{'name': 'enc1', 'type': 'conv', 'kernel': 3}", "layer 'enc1': missing field 'out_channels'"),
                Arguments.of("out_channels zero", "{'name': 'enc1', 'type': 'conv', 'kernel': 3, 'out_channels': 0}", "layer 'enc1': out_channels must be >= 1, got 0"),
                Arguments.of("bias type", "{'name': 'enc1', 'type': 'conv', 'kernel': 3, 'out_channels': 2, 'bias': 'yes'}",
                        "layer 'enc1': bias must be true or false, got \"yes\""),
                Arguments.of("in_channels mismatch", ENC1 + ", {'name': 'enc2', 'type': 'conv', 'in_channels': 8, 'out_channels': 8, 'kernel': 3}",
                        "layer 'enc2': in_channels is 8, but input 'enc1' has 16 channels"),
                Arguments.of("first layer in_channels", "{'name': 'bn', 'type': 'batch_norm', 'in_channels': 3}",
                        "layer 'bn': in_channels is 3, but input 'input' has 4 channels"),
                Arguments.of("add channels", ENC1 + ", {'name': 'sum', 'type': 'add', 'inputs': ['enc1', 'input']}",
                        "layer 'sum': inputs 'enc1' (16 channels) and 'input' (4 channels) must have the same channel count for add"),
                Arguments.of("concat strides", ENC1 + ", {'name': 'down', 'type': 'conv', 'out_channels': 8, 'kernel': 2, 'stride': 2},"
                                + " {'name': 'cat', 'type': 'concat', 'inputs': ['down', 'enc1']}",
                        "layer 'cat': inputs 'down' (tensor stride [2, 2, 2, 2]) and 'enc1' (tensor stride [1, 1, 1, 1]) are on different coordinates"),
                Arguments.of("broadcast not global", ENC1 + ", {'name': 'b', 'type': 'broadcast_add', 'inputs': ['enc1', 'enc1']}",
                        "layer 'b': inputs[1] 'enc1' must be a global tensor (the output of global pooling)"),
                Arguments.of("broadcast channels", ENC1 + ", {'name': 'g', 'type': 'global_avg_pool', 'input': 'input'}, {'name': 'b', 'type': 'broadcast_mul', 'inputs': ['enc1', 'g']}",
                        "layer 'b': inputs 'enc1' (16 channels) and 'g' (4 channels) must have the same channel count for broadcast_mul"),
                Arguments.of("broadcast arity", ENC1 + ", {'name': 'g', 'type': 'global_avg_pool'}, {'name': 'b', 'type': 'broadcast_add', 'inputs': ['enc1', 'g', 'g']}",
                        "layer 'b': inputs has 3 names, expected 2: [tensor, global tensor]"),
                Arguments.of("concat arity", ENC1 + ", {'name': 'cat', 'type': 'concat', 'inputs': ['enc1']}", "layer 'cat': inputs has 1 names, expected at least 2"),
                Arguments.of("conv on global", "{'name': 'g', 'type': 'global_max_pool'}, {'name': 'c', 'type': 'conv', 'out_channels': 2, 'kernel': 3}",
                        "layer 'c': input 'g' is a global tensor (from global pooling); conv needs a tensor with coordinates"),
                Arguments.of("transpose too fine", ENC1 + ", {'name': 'dec', 'type': 'conv_transpose', 'out_channels': 8, 'kernel': 2, 'stride': 2}",
                        "layer 'dec': stride [2, 2, 2, 2] does not divide the tensor stride [1, 1, 1, 1] of input 'enc1' (relative to the network input)"),
                Arguments.of("unpool too fine", "{'name': 'up', 'type': 'unpool', 'kernel_size': 2, 'stride': [1, 1, 1, 2]}",
                        "layer 'up': stride [1, 1, 1, 2] does not divide the tensor stride [1, 1, 1, 1] of input 'input' (relative to the network input)"),
                Arguments.of("pool kernel_size", "{'name': 'p', 'type': 'max_pool', 'stride': 2}", "layer 'p': missing field 'kernel_size'"),
                Arguments.of("unknown type", "{'name': 'enc1', 'type': 'convv', 'out_channels': 8, 'kernel': 3}",
                        "layer 'enc1': unknown type 'convv' (known: conv, conv_transpose, generative_conv_transpose, channelwise_conv, linear, batch_norm,"
                                + " instance_norm, relu, leaky_relu, elu, sigmoid, tanh, gelu, max_pool, avg_pool, sum_pool, global_max_pool, global_avg_pool,"
                                + " global_sum_pool, unpool, concat, add, broadcast_add, broadcast_mul, prune)"),
                Arguments.of("missing type", "{'name': 'enc1'}", "layer 'enc1': missing field 'type'"),
                Arguments.of("unknown field", "{'name': 'enc1', 'type': 'conv', 'out_channels': 8, 'kernel': 3, 'strides': 2}",
                        "layer 'enc1': unknown field 'strides' for type conv (single-input layers take 'input') (allowed: bias, comment, dilation,"
                                + " in_channels, input, kernel, name, out_channels, stride, type)"),
                Arguments.of("inputs on relu", "{'name': 'r', 'type': 'relu', 'inputs': ['input']}",
                        "layer 'r': unknown field 'inputs' for type relu (single-input layers take 'input') (allowed: comment, input, name, type)"),
                Arguments.of("unknown input", "{'name': 'a', 'type': 'relu', 'input': 'enc9'}",
                        "layer 'a': input 'enc9' is not a layer of this network (nor 'input')"),
                Arguments.of("forward reference", "{'name': 'a', 'type': 'relu', 'input': 'b'}, {'name': 'b', 'type': 'relu', 'input': 'input'}",
                        "layer 'a': input 'b' is defined later; list every layer after its inputs"),
                Arguments.of("cycle", "{'name': 'a', 'type': 'relu', 'input': 'c'}, {'name': 'b', 'type': 'relu'}, {'name': 'c', 'type': 'tanh'}",
                        "layer 'a': input 'c' forms a cycle: a -> c -> b -> a"),
                Arguments.of("self reference", "{'name': 'a', 'type': 'relu', 'input': 'a'}", "layer 'a': input 'a' is the layer itself (a cycle)"),
                Arguments.of("cycle through inputs", "{'name': 'a', 'type': 'add', 'inputs': ['input', 'b']}, {'name': 'b', 'type': 'relu'}",
                        "layer 'a': inputs[1] 'b' forms a cycle: a -> b -> a"),
                Arguments.of("duplicate name", "{'name': 'a', 'type': 'relu'}, {'name': 'a', 'type': 'tanh'}",
                        "layer 'a': name is used twice (layers[0] and layers[1])"),
                Arguments.of("reserved name", "{'name': 'input', 'type': 'relu'}", "layers[0]: name 'input' is reserved for the network input"),
                Arguments.of("missing name", "{'type': 'relu'}", "layers[0]: missing field 'name'"),
                Arguments.of("dead layer", "{'name': 'side', 'type': 'tanh'}, {'name': 'main', 'type': 'relu', 'input': 'input'}",
                        "layer 'side': its output reaches none of the network outputs [main] (list it in outputs or remove it)"),
                Arguments.of("prune channel", "{'name': 'logit', 'type': 'linear', 'out_channels': 1}, {'name': 'p', 'type': 'prune', 'input': 'input', 'mask_from': 'logit', 'channel': 2}",
                        "layer 'p': channel 2 is out of range: mask_from 'logit' has 1 channels"),
                Arguments.of("prune coordinates", "{'name': 'down', 'type': 'max_pool', 'kernel_size': 2, 'stride': 2}, {'name': 'p', 'type': 'prune', 'input': 'input', 'mask_from': 'down'}",
                        "layer 'p': mask_from 'down' (tensor stride [2, 2, 2, 2]) is not on the coordinates of input 'input' (tensor stride [1, 1, 1, 1])"),
                Arguments.of("prune without mask", "{'name': 'p', 'type': 'prune'}", "layer 'p': missing field 'mask_from'"),
                Arguments.of("negative eps", "{'name': 'bn', 'type': 'batch_norm', 'eps': -1}", "layer 'bn': eps must be >= 0, got -1.0"),
                Arguments.of("slope type", "{'name': 'l', 'type': 'leaky_relu', 'negative_slope': 'x'}", "layer 'l': negative_slope must be a finite number, got \"x\""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badLayers")
    void badLayerFailsNamingLayerAndField(String what, String layers, String message) {
        assertThatThrownBy(() -> NetworkSpec.parse(spec(layers)))
                .as(what)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void badTopLevelFieldsFailNamingTheField() {
        assertThatThrownBy(() -> NetworkSpec.parse("{\"in_channels\": 1, \"layers\": [{\"name\": \"r\", \"type\": \"relu\"}]}"))
                .hasMessage("network spec: missing field 'dimension'");
        assertThatThrownBy(() -> NetworkSpec.parse("{\"dimension\": 0, \"in_channels\": 1, \"layers\": [{\"name\": \"r\", \"type\": \"relu\"}]}"))
                .hasMessage("network spec: dimension must be >= 1, got 0");
        assertThatThrownBy(() -> NetworkSpec.parse("{\"dimension\": 2, \"in_channels\": 1, \"layers\": []}"))
                .hasMessage("network spec: layers must be a non-empty array");
        assertThatThrownBy(() -> NetworkSpec.parse("{\"dimension\": 2, \"in_channels\": 1, \"layer\": []}"))
                .hasMessage("network spec: unknown field 'layer' (allowed: description, dimension, in_channels, layers, name, outputs)");
        assertThatThrownBy(() -> NetworkSpec.parse(spec("{'name': 'r', 'type': 'relu'}").replace("]}", "], \"outputs\": [\"nope\"]}")))
                .hasMessage("network spec: outputs[0] 'nope' is not a layer of this network");
        assertThatThrownBy(() -> NetworkSpec.parse(spec("{'name': 'r', 'type': 'relu'}").replace("]}", "], \"outputs\": [\"r\", \"r\"]}")))
                .hasMessage("network spec: outputs[1] 'r' is listed twice");
        assertThatThrownBy(() -> NetworkSpec.parse("{\"dimension\": 2, "))
                .hasMessageStartingWith("network spec is not valid JSON: ");
        assertThatThrownBy(() -> NetworkSpec.parse(spec("{'name': 'r', 'type': 'relu', 'type': 'tanh'}")))
                .hasMessage("network spec is not valid JSON: Duplicate field 'type'");
    }

    @Test
    void specFileErrorsNameTheFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("bad.json");
        Files.writeString(file, spec(ENC1 + ", {'name': 'enc2', 'type': 'conv', 'out_channels': 8, 'kernel': 3, 'stride': [2, 2, 2]}"));
        assertThatThrownBy(() -> NetworkSpec.read(file))
                .hasMessage("network spec " + file + ": layer 'enc2': stride has 3 axes, expected 4");
    }

    @Test
    void validSpecInfersChannelsStridesAndDefaults() {
        NetworkSpec s = NetworkSpec.parse(spec(ENC1 + ", {'name': 'bn', 'type': 'batch_norm', 'comment': 'eval mode'},"
                + " {'name': 'act', 'type': 'leaky_relu'}, {'name': 'down', 'type': 'conv', 'out_channels': 8, 'kernel': [2, 2, 2, 1], 'stride': [2, 2, 2, 1]},"
                + " {'name': 'g', 'type': 'global_sum_pool'}, {'name': 'lin', 'type': 'linear', 'out_channels': 3}, {'name': 'e', 'type': 'elu'}"));
        assertThat(s.name()).isEqualTo("t");
        assertThat(s.dimension()).isEqualTo(4);
        assertThat(s.inChannels()).isEqualTo(4);
        assertThat(s.outputs()).containsExactly("e");
        assertThat(s.layers()).extracting(LayerSpec::outChannels).containsExactly(16, 16, 16, 8, 8, 3, 3);
        assertThat(s.layer("enc1").bias()).as("conv bias defaults to false, as in MinkowskiEngine").isFalse();
        assertThat(s.layer("lin").bias()).as("linear bias defaults to true, as in torch.nn.Linear").isTrue();
        assertThat(s.layer("bn").eps()).isEqualTo(1e-5f);
        assertThat(s.layer("act").activation().parameter()).isEqualTo(0.01f);
        assertThat(s.layer("e").activation().parameter()).isEqualTo(1.0f);
        assertThat(s.layer("down").outTensorStride()).containsExactly(2, 2, 2, 1);
        assertThat(s.layer("g").outTensorStride()).as("global").isNull();
        assertThat(s.layer("lin").inTensorStride()).isNull();
        assertThat(s.layer("down").inputs()).containsExactly("act");
    }
}
