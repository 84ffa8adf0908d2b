package io.minkstream.engine.nn;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minkstream.engine.backend.Activation;
import io.minkstream.engine.coords.AxisShape;
import io.minkstream.engine.coords.KernelRegion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A network's structure, parsed from JSON and validated as a graph, before any weights are read.
 *
 * <pre>{@code
 * {
 *   "name": "tiny-unet",            // optional
 *   "description": "...",           // optional, ignored
 *   "dimension": 4,                 // D: axes after the batch index
 *   "in_channels": 1,
 *   "layers": [ {"name": "enc1", "type": "conv", ...}, ... ],   // each after its inputs
 *   "outputs": ["head"]             // optional, default: the last layer
 * }
 * }</pre>
 *
 * Every layer has a unique {@code name} ({@value #INPUT} names the network input), a {@code type}
 * (see {@link LayerType}), and either {@code input} (one layer name, default: the previous layer)
 * or, for {@code concat}, {@code add}, {@code broadcast_add}, {@code broadcast_mul}, {@code inputs}
 * (a list). Per-axis values ({@code stride}, {@code dilation}, {@code kernel_size}) are one int for
 * every axis or an array of D ints. Fields by type (defaults in brackets):
 * <ul>
 *   <li>{@code conv}, {@code conv_transpose}, {@code generative_conv_transpose}: {@code out_channels},
 *       {@code kernel} (see {@link KernelSpec}), {@code stride} [1], {@code dilation} [1],
 *       {@code bias} [false], {@code in_channels} [checked if given];</li>
 *   <li>{@code channelwise_conv}: as conv without out_channels (out = in);</li>
 *   <li>{@code linear}: {@code out_channels}, {@code bias} [true, as torch.nn.Linear];</li>
 *   <li>{@code batch_norm}: {@code eps} [1e-5]; {@code instance_norm}: {@code eps} [1e-5],
 *       {@code affine} [true];</li>
 *   <li>{@code relu}, {@code sigmoid}, {@code tanh}, {@code gelu}; {@code leaky_relu}:
 *       {@code negative_slope} [0.01]; {@code elu}: {@code alpha} [1.0];</li>
 *   <li>{@code max_pool}, {@code avg_pool}, {@code sum_pool}: {@code kernel_size}, {@code stride} [1],
 *       {@code dilation} [1]; {@code global_max_pool}, {@code global_avg_pool},
 *       {@code global_sum_pool}; {@code unpool}: {@code kernel_size}, {@code stride};</li>
 *   <li>{@code concat} (channels side by side, same coordinates: U-Net skips), {@code add} (union
 *       of coordinates, features summed; equal channels), {@code broadcast_add},
 *       {@code broadcast_mul} (inputs {@code [x, global]}, the second a global pooling's output);</li>
 *   <li>{@code prune}: {@code input}, {@code mask_from} (a layer on the same coordinates),
 *       {@code threshold} [0.0], {@code channel} [0]: keeps rows whose mask value is greater than
 *       the threshold.</li>
 * </ul>
 * Validation fails fast with an {@link IllegalArgumentException} naming the layer and field:
 * unknown types or fields, unknown, forward or cyclic input references, channel mismatches
 * computed through the graph, per-axis values with the wrong number of axes, strides a transposed
 * layer cannot undo, layers that lead to no output.
 */
public final class NetworkSpec {
    /** The name by which layers refer to the network's input. */
    public static final String INPUT = "input";

    private static final Set<String> TOP_FIELDS = Set.of("name", "description", "dimension", "in_channels", "layers", "outputs");
    private static final Set<String> COMMON_FIELDS = Set.of("name", "type", "comment");
    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final String name;
    private final int dimension;
    private final int inChannels;
    private final List<LayerSpec> layers;
    private final Map<String, LayerSpec> byName;
    private final List<String> outputs;

    private NetworkSpec(String name, int dimension, int inChannels, List<LayerSpec> layers, List<String> outputs) {
        this.name = name;
        this.dimension = dimension;
        this.inChannels = inChannels;
        this.layers = List.copyOf(layers);
        Map<String, LayerSpec> m = new LinkedHashMap<>();
        for (LayerSpec l : layers) m.put(l.name(), l);
        this.byName = Collections.unmodifiableMap(m);
        this.outputs = List.copyOf(outputs);
    }

    public static NetworkSpec read(Path file) throws IOException {
        String json = Files.readString(file);
        try {
            return parse(json);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("network spec " + file + ": " + e.getMessage(), e);
        }
    }

    public static NetworkSpec parse(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("network spec is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) throw new IllegalArgumentException("network spec must be a JSON object");
        SpecFields top = new SpecFields("network spec", root, 1);
        top.allowOnly(TOP_FIELDS, "");
        int dimension = top.integer("dimension", 1);
        int inChannels = top.integer("in_channels", 1);
        String name = top.text("name", "network");
        JsonNode layerNodes = root.get("layers");
        if (layerNodes == null || !layerNodes.isArray() || layerNodes.isEmpty()) throw top.fail("layers must be a non-empty array");
        List<String> names = layerNames(layerNodes);
        Map<String, LayerSpec> done = new LinkedHashMap<>();
        String previous = INPUT;
        for (int i = 0; i < layerNodes.size(); i++) {
            LayerSpec l = new LayerParser(new SpecFields("layer '" + names.get(i) + "'", layerNodes.get(i), dimension), names.get(i),
                    previous, done, names, inChannels, layerNodes).parse();
            done.put(l.name(), l);
            previous = l.name();
        }
        List<String> outputs = outputs(top, root.get("outputs"), done, previous);
        List<LayerSpec> layers = new ArrayList<>(done.values());
        checkAllLeadToOutputs(layers, outputs);
        return new NetworkSpec(name, dimension, inChannels, layers, outputs);
    }

    private static List<String> layerNames(JsonNode layerNodes) {
        List<String> names = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < layerNodes.size(); i++) {
            JsonNode l = layerNodes.get(i);
            if (!l.isObject()) throw new IllegalArgumentException("layers[" + i + "] must be an object, got " + l);
            String n = new SpecFields("layers[" + i + "]", l, 1).text("name");
            if (n.equals(INPUT)) throw new IllegalArgumentException("layers[" + i + "]: name '" + INPUT + "' is reserved for the network input");
            Integer before = seen.put(n, i);
            if (before != null) throw new IllegalArgumentException("layer '" + n + "': name is used twice (layers[" + before + "] and layers[" + i + "])");
            names.add(n);
        }
        return names;
    }

    private static List<String> outputs(SpecFields top, JsonNode node, Map<String, LayerSpec> layers, String last) {
        if (node == null || node.isNull()) return List.of(last);
        if (!node.isArray() || node.isEmpty()) throw top.fail("outputs must be a non-empty array of layer names, got " + node);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode v = node.get(i);
            if (!v.isTextual()) throw top.fail("outputs[" + i + "] must be a layer name, got " + v);
            String n = v.textValue();
            if (!layers.containsKey(n)) throw top.fail("outputs[" + i + "] '" + n + "' is not a layer of this network");
            if (out.contains(n)) throw top.fail("outputs[" + i + "] '" + n + "' is listed twice");
            out.add(n);
        }
        return out;
    }

    private static void checkAllLeadToOutputs(List<LayerSpec> layers, List<String> outputs) {
        Map<String, LayerSpec> byName = new HashMap<>();
        for (LayerSpec l : layers) byName.put(l.name(), l);
        Set<String> live = new HashSet<>(outputs);
        Deque<String> todo = new ArrayDeque<>(outputs);
        while (!todo.isEmpty()) {
            LayerSpec l = byName.get(todo.pop());
            if (l == null) continue;
            for (String in : l.inputs()) {
                if (live.add(in)) todo.push(in);
            }
        }
        for (LayerSpec l : layers) {
            if (!live.contains(l.name())) {
                throw new IllegalArgumentException("layer '" + l.name() + "': its output reaches none of the network outputs " + outputs
                        + " (list it in outputs or remove it)");
            }
        }
    }

    public String name() {
        return name;
    }

    public int dimension() {
        return dimension;
    }

    public int inChannels() {
        return inChannels;
    }

    /** Layers in spec order, which is a topological order (every layer after its inputs). */
    public List<LayerSpec> layers() {
        return layers;
    }

    public LayerSpec layer(String layerName) {
        LayerSpec l = byName.get(layerName);
        if (l == null) throw new IllegalArgumentException("network '" + name + "' has no layer '" + layerName + "'");
        return l;
    }

    public List<String> outputs() {
        return outputs;
    }

    /**
     * {@code [min, max]} of the per-layer reach along {@code axis} (see
     * {@link LayerSpec#temporalReach}) over all layers: {@code max <= 0} means no layer reads a later
     * coordinate than the one it writes.
     */
    public int[] temporalReach(int axis) {
        checkAxis(axis);
        int lo = 0;
        int hi = 0;
        for (LayerSpec l : layers) {
            int[] r = l.temporalReach(axis);
            lo = Math.min(lo, r[0]);
            hi = Math.max(hi, r[1]);
        }
        return new int[] {lo, hi};
    }

    /**
     * {@code [min, max]} of the summed per-layer reaches along any path from the input to an
     * output: how far before and after its own coordinate an output row may depend on input rows.
     * An output at time t is final once the input has every frame up to {@code t + max}.
     */
    public int[] cumulativeTemporalReach(int axis) {
        checkAxis(axis);
        Map<String, long[]> reach = new HashMap<>();
        reach.put(INPUT, new long[] {0, 0});
        for (LayerSpec l : layers) {
            long lo = Long.MAX_VALUE;
            long hi = Long.MIN_VALUE;
            for (String in : l.inputs()) {
                lo = Math.min(lo, reach.get(in)[0]);
                hi = Math.max(hi, reach.get(in)[1]);
            }
            int[] own = l.temporalReach(axis);
            reach.put(l.name(), new long[] {saturatedAdd(lo, own[0]), saturatedAdd(hi, own[1])});
        }
        long lo = Long.MAX_VALUE;
        long hi = Long.MIN_VALUE;
        for (String out : outputs) {
            lo = Math.min(lo, reach.get(out)[0]);
            hi = Math.max(hi, reach.get(out)[1]);
        }
        return new int[] {(int) lo, (int) hi};
    }

    private static long saturatedAdd(long acc, int own) {
        if (own == LayerSpec.UNBOUNDED_PAST || acc <= LayerSpec.UNBOUNDED_PAST) return LayerSpec.UNBOUNDED_PAST;
        if (own == LayerSpec.UNBOUNDED_FUTURE || acc >= LayerSpec.UNBOUNDED_FUTURE) return LayerSpec.UNBOUNDED_FUTURE;
        return Math.max(LayerSpec.UNBOUNDED_PAST, Math.min(LayerSpec.UNBOUNDED_FUTURE, acc + own));
    }

    private void checkAxis(int axis) {
        if (axis < 0 || axis >= dimension) throw new IllegalArgumentException("axis " + axis + " is outside 0.." + (dimension - 1));
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("network '" + name + "' D=" + dimension + " in_channels=" + inChannels + " outputs=" + outputs);
        for (LayerSpec l : layers) s.append("\n  ").append(l);
        return s.toString();
    }

    /** Parses and checks one layer against the layers before it. */
    private static final class LayerParser {
        private final SpecFields f;
        private final String name;
        private final String previous;
        private final Map<String, LayerSpec> done;
        private final List<String> allNames;
        private final int networkInChannels;
        private final JsonNode layerNodes;
        private final LayerSpec.Draft d = new LayerSpec.Draft();

        LayerParser(SpecFields f, String name, String previous, Map<String, LayerSpec> done, List<String> allNames, int networkInChannels,
                    JsonNode layerNodes) {
            this.f = f;
            this.name = name;
            this.previous = previous;
            this.done = done;
            this.allNames = allNames;
            this.networkInChannels = networkInChannels;
            this.layerNodes = layerNodes;
        }

        LayerSpec parse() {
            String typeName = f.text("type");
            LayerType type = LayerType.fromJson(typeName);
            if (type == null) throw f.fail("unknown type '" + typeName + "' (known: " + String.join(", ", LayerType.jsonNames()) + ")");
            Set<String> allowed = new HashSet<>(COMMON_FIELDS);
            allowed.addAll(type.fields());
            allowed.add(type.multiInput() ? "inputs" : "input");
            f.allowOnly(allowed, " for type " + type.json() + (type.multiInput() ? "" : " (single-input layers take 'input')"));
            d.name = name;
            d.type = type;
            d.inputs = inputs(type);
            LayerSpec first = d.inputs.get(0).equals(INPUT) ? null : done.get(d.inputs.get(0));
            d.inChannels = first == null ? networkInChannels : first.outChannels();
            d.inTensorStride = first == null ? ones() : first.outTensorStride();
            if (f.has("in_channels")) {
                int declared = f.integer("in_channels", 1);
                if (declared != d.inChannels) {
                    throw f.fail("in_channels is " + declared + ", but input '" + d.inputs.get(0) + "' has " + d.inChannels + " channels");
                }
            }
            switch (type.family()) {
                case CONVOLUTION -> convolution(type);
                case LINEAR -> {
                    d.outChannels = f.integer("out_channels", 1);
                    d.bias = f.bool("bias", true);
                    d.outTensorStride = d.inTensorStride;
                }
                case NORMALIZATION -> {
                    d.eps = f.number("eps", 1e-5f);
                    if (d.eps < 0f) throw f.fail("eps must be >= 0, got " + d.eps);
                    d.affine = f.bool("affine", true);
                    same();
                }
                case ACTIVATION -> {
                    d.activation = activation(type);
                    same();
                }
                case POOLING -> pooling();
                case GLOBAL_POOLING -> {
                    d.outChannels = d.inChannels;
                    d.outTensorStride = null;
                }
                case UNPOOLING -> unpooling();
                case MERGE -> merge(type);
                case PRUNING -> prune();
                default -> throw new IllegalStateException(type.toString());
            }
            return new LayerSpec(d);
        }

        private int[] ones() {
            int[] a = new int[f.dimension()];
            Arrays.fill(a, 1);
            return a;
        }

        private void same() {
            d.outChannels = d.inChannels;
            d.outTensorStride = d.inTensorStride;
        }

        private List<String> inputs(LayerType type) {
            List<String> out = new ArrayList<>();
            if (type.multiInput()) {
                JsonNode v = f.get("inputs");
                int want = type == LayerType.BROADCAST_ADD || type == LayerType.BROADCAST_MUL ? 2 : -1;
                if (v == null || !v.isArray()) throw f.fail("inputs must be an array of layer names, got " + v);
                if (want > 0 && v.size() != want) throw f.fail("inputs has " + v.size() + " names, expected 2: [tensor, global tensor]");
                if (v.size() < 2) throw f.fail("inputs has " + v.size() + " names, expected at least 2");
                for (int i = 0; i < v.size(); i++) {
                    if (!v.get(i).isTextual()) throw f.fail("inputs[" + i + "] must be a layer name, got " + v.get(i));
                    out.add(resolve("inputs[" + i + "]", v.get(i).textValue()));
                }
            } else {
                out.add(f.has("input") ? resolve("input", f.text("input")) : previous);
            }
            if (type == LayerType.PRUNE) out.add(resolve("mask_from", f.text("mask_from")));
            return out;
        }

        /** An input must be the network input or a layer listed before this one. */
        private String resolve(String field, String ref) {
            if (ref.equals(INPUT) || done.containsKey(ref)) return ref;
            if (ref.equals(name)) throw f.fail(field + " '" + ref + "' is the layer itself (a cycle)");
            if (allNames.contains(ref)) {
                List<String> cycle = cycleThrough(ref);
                if (cycle != null) throw f.fail(field + " '" + ref + "' forms a cycle: " + String.join(" -> ", cycle));
                throw f.fail(field + " '" + ref + "' is defined later; list every layer after its inputs");
            }
            throw f.fail(field + " '" + ref + "' is not a layer of this network (nor '" + INPUT + "')");
        }

        /** A path from {@code ref} back to this layer through the raw input references, if any. */
        private List<String> cycleThrough(String ref) {
            Map<String, List<String>> refs = rawInputs();
            Deque<List<String>> todo = new ArrayDeque<>();
            todo.add(List.of(name, ref));
            Set<String> seen = new HashSet<>();
            while (!todo.isEmpty()) {
                List<String> path = todo.poll();
                String at = path.get(path.size() - 1);
                if (!seen.add(at)) continue;
                for (String next : refs.getOrDefault(at, List.of())) {
                    List<String> longer = new ArrayList<>(path);
                    longer.add(next);
                    if (next.equals(name)) return longer;
                    todo.add(longer);
                }
            }
            return null;
        }

        /** Each layer's input names as written (defaults applied), without validation. */
        private Map<String, List<String>> rawInputs() {
            Map<String, List<String>> refs = new HashMap<>();
            String prev = INPUT;
            for (int i = 0; i < layerNodes.size(); i++) {
                JsonNode l = layerNodes.get(i);
                List<String> ins = new ArrayList<>();
                if (l.has("inputs") && l.get("inputs").isArray()) l.get("inputs").forEach(x -> ins.add(x.asText()));
                else if (l.has("input")) ins.add(l.get("input").asText());
                else ins.add(prev);
                if (l.has("mask_from")) ins.add(l.get("mask_from").asText());
                refs.put(allNames.get(i), ins);
                prev = allNames.get(i);
            }
            return refs;
        }

        private LayerSpec input(int i) {
            String n = d.inputs.get(i);
            return n.equals(INPUT) ? null : done.get(n);
        }

        private int channelsOf(int i) {
            LayerSpec l = input(i);
            return l == null ? networkInChannels : l.outChannels();
        }

        private int[] strideOf(int i) {
            LayerSpec l = input(i);
            return l == null ? ones() : l.outTensorStride();
        }

        private void needCoordinates(String what) {
            if (d.inTensorStride == null) {
                throw f.fail("input '" + d.inputs.get(0) + "' is a global tensor (from global pooling); " + what + " needs a tensor with coordinates");
            }
        }

        private void convolution(LayerType type) {
            needCoordinates(type.json());
            d.outChannels = type == LayerType.CHANNELWISE_CONV ? d.inChannels : f.integer("out_channels", 1);
            d.stride = f.axes("stride", 1, 1);
            d.dilation = f.axes("dilation", 1, 1);
            if (!f.has("kernel")) throw f.fail("missing field 'kernel'");
            d.region = KernelSpec.parse(f, "kernel", f.get("kernel"), d.dilation);
            d.bias = f.bool("bias", false);
            d.outTensorStride = type.transposed() ? divide("stride") : multiply(d.inTensorStride, d.stride);
        }

        private void pooling() {
            needCoordinates(d.type.json());
            d.kernelSize = f.requiredAxes("kernel_size", 1);
            d.stride = f.axes("stride", 1, 1);
            d.dilation = f.axes("dilation", 1, 1);
            if (Arrays.equals(d.kernelSize, d.stride)) {
                // MinkowskiEngine pools non-overlapping windows o + {0..s-1} when kernel size equals stride.
                AxisShape[] window = new AxisShape[d.stride.length];
                for (int a = 0; a < window.length; a++) window[a] = AxisShape.window(0, d.stride[a] - 1);
                d.region = KernelRegion.hybrid(window, ones());
            } else {
                d.region = KernelRegion.hyperCube(d.kernelSize, d.dilation);
            }
            d.outChannels = d.inChannels;
            d.outTensorStride = multiply(d.inTensorStride, d.stride);
        }

        private void unpooling() {
            needCoordinates("unpool");
            d.kernelSize = f.requiredAxes("kernel_size", 1);
            d.stride = f.requiredAxes("stride", 1);
            d.region = KernelRegion.hyperCube(d.kernelSize, ones());
            d.outChannels = d.inChannels;
            d.outTensorStride = divide("stride");
        }

        private int[] multiply(int[] a, int[] b) {
            int[] r = new int[a.length];
            for (int i = 0; i < a.length; i++) r[i] = Math.multiplyExact(a[i], b[i]);
            return r;
        }

        /** The finer stride a transposed layer returns to; it must divide the input's stride exactly. */
        private int[] divide(String field) {
            int[] r = new int[d.stride.length];
            for (int i = 0; i < r.length; i++) {
                if (d.inTensorStride[i] % d.stride[i] != 0) {
                    throw f.fail(field + " " + Arrays.toString(d.stride) + " does not divide the tensor stride " + Arrays.toString(d.inTensorStride)
                            + " of input '" + d.inputs.get(0) + "' (relative to the network input)");
                }
                r[i] = d.inTensorStride[i] / d.stride[i];
            }
            return r;
        }

        private Activation activation(LayerType type) {
            return switch (type) {
                case RELU -> Activation.RELU;
                case LEAKY_RELU -> Activation.leakyRelu(f.number("negative_slope", 0.01f));
                case ELU -> Activation.elu(f.number("alpha", 1.0f));
                case SIGMOID -> Activation.SIGMOID;
                case TANH -> Activation.TANH;
                case GELU -> Activation.GELU;
                default -> throw new IllegalStateException(type.toString());
            };
        }

        private void merge(LayerType type) {
            int n = d.inputs.size();
            for (int i = 1; i < n; i++) {
                if (!Arrays.equals(strideOf(i), strideOf(0)) && type != LayerType.BROADCAST_ADD && type != LayerType.BROADCAST_MUL) {
                    throw f.fail("inputs '" + d.inputs.get(0) + "' (tensor stride " + describe(strideOf(0)) + ") and '" + d.inputs.get(i)
                            + "' (tensor stride " + describe(strideOf(i)) + ") are on different coordinates");
                }
            }
            switch (type) {
                case CONCAT -> {
                    int total = 0;
                    for (int i = 0; i < n; i++) total += channelsOf(i);
                    d.outChannels = total;
                }
                case ADD -> {
                    equalChannels();
                    d.outChannels = d.inChannels;
                }
                default -> {
                    needCoordinates(type.json());
                    if (strideOf(1) != null) throw f.fail("inputs[1] '" + d.inputs.get(1) + "' must be a global tensor (the output of global pooling)");
                    equalChannels();
                    d.outChannels = d.inChannels;
                }
            }
            d.outTensorStride = d.inTensorStride;
        }

        private void equalChannels() {
            for (int i = 1; i < d.inputs.size(); i++) {
                if (channelsOf(i) != channelsOf(0)) {
                    throw f.fail("inputs '" + d.inputs.get(0) + "' (" + channelsOf(0) + " channels) and '" + d.inputs.get(i) + "' (" + channelsOf(i)
                            + " channels) must have the same channel count for " + d.type.json());
                }
            }
        }

        private static String describe(int[] stride) {
            return stride == null ? "global" : Arrays.toString(stride);
        }

        private void prune() {
            d.threshold = f.number("threshold", 0f);
            d.channel = f.integer("channel", 0, 0);
            if (d.channel >= channelsOf(1)) {
                throw f.fail("channel " + d.channel + " is out of range: mask_from '" + d.inputs.get(1) + "' has " + channelsOf(1) + " channels");
            }
            if (!Arrays.equals(strideOf(1), d.inTensorStride)) {
                throw f.fail("mask_from '" + d.inputs.get(1) + "' (tensor stride " + describe(strideOf(1)) + ") is not on the coordinates of input '"
                        + d.inputs.get(0) + "' (tensor stride " + describe(d.inTensorStride) + ")");
            }
            same();
        }
    }
}
