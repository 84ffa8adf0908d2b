package io.minkstream.engine.nn;

import io.minkstream.engine.backend.Activation;
import io.minkstream.engine.backend.Backend;
import io.minkstream.engine.backend.PoolMode;
import io.minkstream.engine.coords.KernelRegion;
import io.minkstream.engine.io.SafeTensors;
import io.minkstream.engine.tensor.SparseTensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A network: a {@link NetworkSpec} (JSON) with its weights (safetensors), as a graph of layers
 * run on one coordinate manager.
 *
 * <p>Weights are looked up as {@code <layer>.<role>} in MinkowskiEngine's layouts:
 * <ul>
 *   <li>convolutions: {@code <layer>.kernel} {@code [K][Cin][Cout]} (K = the kernel's offsets, in
 *       {@link KernelRegion}'s order), channelwise {@code [K][C]}; {@code <layer>.bias} {@code [Cout]}
 *       when {@code bias} is true (channelwise also {@code [1][C]}, as MinkowskiEngine keeps it);</li>
 *   <li>linear: {@code <layer>.kernel} {@code [Cin][Cout]} (the transpose of torch.nn.Linear's
 *       weight), {@code <layer>.bias} {@code [Cout]};</li>
 *   <li>batch_norm: {@code <layer>.weight}, {@code .bias}, {@code .running_mean}, {@code .running_var},
 *       each {@code [C]}; instance_norm (affine): {@code <layer>.weight}, {@code .bias}, {@code [C]}
 *       or {@code [1][C]}.</li>
 * </ul>
 * Missing tensors, wrong shapes or dtypes fail naming the tensor with the expected and found
 * shape; tensors no layer reads fail too unless the file's metadata lists them under
 * {@code minkstream.ignore} (comma-separated, {@code *} wildcards).
 *
 * <p>A batch_norm whose only consumer is an activation runs fused with it, in one pass
 * ({@link NormalizationLayer#fusedWith}); {@link #layers()} then shows one node carrying both specs.
 *
 * <p>A network is immutable and may be shared by threads. All tensors of one forward pass live on
 * the input's coordinate manager, so a manager reused across calls (a sliding window) reuses its
 * coordinate and kernel maps; the network input should be the first map registered at its tensor
 * stride, so that transposed layers return exactly to its coordinates (U-Net skips).
 */
public final class Network {
    private final NetworkSpec spec;
    private final List<Node> nodes;
    private final Map<String, Node> byName;
    private final Map<String, Integer> lastUse;

    /** One step of the network as it runs: a layer (or a batch norm fused with its activation). */
    public static final class Node {
        private final List<LayerSpec> specs;
        private final Layer layer;
        private final MergeLayer merge;

        Node(List<LayerSpec> specs, Layer layer, MergeLayer merge) {
            this.specs = List.copyOf(specs);
            this.layer = layer;
            this.merge = merge;
        }

        /** The name other layers refer to this node's output by (a fused node: the activation's). */
        public String name() {
            return spec().name();
        }

        /** Names of the tensors this node reads ({@link NetworkSpec#INPUT} for the network input). */
        public List<String> inputs() {
            return specs.get(0).inputs();
        }

        /** The spec of the layer whose output this node produces. */
        public LayerSpec spec() {
            return specs.get(specs.size() - 1);
        }

        /** The specs this node computes, in order: one, or a batch_norm and its activation. */
        public List<LayerSpec> specs() {
            return specs;
        }

        public boolean fused() {
            return specs.size() > 1;
        }

        /** The first spec's type: a fused node is a batch_norm (carrying its activation). */
        public LayerType type() {
            return specs.get(0).type();
        }

        /** The single-input layer, or null for a multi-input node (see {@link #merge()}). */
        public Layer layer() {
            return layer;
        }

        /** The multi-input layer (concat, add, broadcast, prune), or null. */
        public MergeLayer merge() {
            return merge;
        }

        /** The kernel or pooling window, or null (see {@link LayerSpec#region()}). */
        public KernelRegion region() {
            return specs.get(0).region();
        }

        /** The convolution / pooling stride, or null. */
        public int[] stride() {
            return specs.get(0).stride();
        }

        public int outChannels() {
            return spec().outChannels();
        }

        /** See {@link LayerSpec#temporalReach(int)}. */
        public int[] temporalReach(int axis) {
            return specs.get(0).temporalReach(axis);
        }

        /** Runs this node on its inputs, given in the order of {@link #inputs()}. */
        public SparseTensor forward(List<SparseTensor> inputs, Backend backend) {
            if (layer != null) {
                if (inputs.size() != 1) throw new IllegalArgumentException("layer '" + name() + "' takes 1 input, got " + inputs.size());
                return layer.forward(inputs.get(0), backend);
            }
            return merge.forward(inputs, backend);
        }

        @Override
        public String toString() {
            return fused() ? specs.get(0) + " + " + spec().type().json() + " (fused as '" + name() + "')" : spec().toString();
        }
    }

    private Network(NetworkSpec spec, List<Node> nodes) {
        this.spec = spec;
        this.nodes = List.copyOf(nodes);
        Map<String, Node> names = new LinkedHashMap<>();
        Map<String, Integer> last = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            for (LayerSpec s : n.specs()) names.put(s.name(), n);
            for (String in : n.inputs()) last.put(in, i);
        }
        this.byName = Collections.unmodifiableMap(names);
        this.lastUse = last;
    }

    /** Reads a JSON spec and a safetensors file. */
    public static Network load(Path specFile, Path weightsFile) throws IOException {
        NetworkSpec spec = NetworkSpec.read(specFile);
        return of(spec, SafeTensors.read(weightsFile));
    }

    public static Network fromJson(String json, SafeTensors weights) {
        return of(NetworkSpec.parse(json), weights);
    }

    /** Builds every layer from its weights; fails on the first missing, mismatched or unused tensor. */
    public static Network of(NetworkSpec spec, SafeTensors weights) {
        NetworkWeights w = new NetworkWeights(weights);
        Map<String, Integer> consumers = new HashMap<>();
        for (LayerSpec l : spec.layers()) {
            for (String in : l.inputs()) consumers.merge(in, 1, Integer::sum);
        }
        for (String out : spec.outputs()) consumers.merge(out, 1, Integer::sum);
        List<Node> nodes = new ArrayList<>();
        Map<String, LayerSpec> all = new LinkedHashMap<>();
        Map<String, NormalizationLayer> pendingNorms = new HashMap<>();
        for (LayerSpec l : spec.layers()) {
            all.put(l.name(), l);
            if (l.type() == LayerType.BATCH_NORM && consumers.getOrDefault(l.name(), 0) == 1 && feedsActivation(spec, l)) {
                pendingNorms.put(l.name(), (NormalizationLayer) build(l, w));
                continue;
            }
            String in = l.inputs().get(0);
            if (l.type().family() == LayerType.Family.ACTIVATION && pendingNorms.containsKey(in)) {
                nodes.add(new Node(List.of(spec.layer(in), l), pendingNorms.remove(in).fusedWith(l.activation()), null));
            } else if (l.type().multiInput() || l.type() == LayerType.PRUNE) {
                nodes.add(new Node(List.of(l), null, merge(l)));
            } else {
                nodes.add(new Node(List.of(l), build(l, w), null));
            }
        }
        w.checkAllUsed(all);
        return new Network(spec, nodes);
    }

    private static boolean feedsActivation(NetworkSpec spec, LayerSpec norm) {
        for (LayerSpec l : spec.layers()) {
            if (l.inputs().contains(norm.name())) return l.type().family() == LayerType.Family.ACTIVATION;
        }
        return false;
    }

    private static Layer build(LayerSpec l, NetworkWeights w) {
        try {
            return switch (l.type().family()) {
                case CONVOLUTION -> convolution(l, w);
                case LINEAR -> new LinearLayer(l.inChannels(), l.outChannels(),
                        w.floats(l, "kernel", " for linear " + l.inChannels() + " -> " + l.outChannels() + " channels, [Cin][Cout]", l.inChannels(), l.outChannels()),
                        l.bias() ? w.floats(l, "bias", " (bias: true)", l.outChannels()) : null);
                case NORMALIZATION -> normalization(l, w);
                case ACTIVATION -> new ActivationLayer(l.activation());
                case POOLING -> PoolingLayer.local(poolMode(l.type()), l.kernelSize(), l.stride(), l.dilation());
                case GLOBAL_POOLING -> PoolingLayer.global(poolMode(l.type()));
                case UNPOOLING -> PoolingLayer.transpose(l.kernelSize(), l.stride());
                default -> throw new IllegalStateException("not a single-input layer: " + l);
            };
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("layer '")) throw e;
            throw new IllegalArgumentException("layer '" + l.name() + "': " + e.getMessage(), e);
        }
    }

    private static Layer convolution(LayerSpec l, NetworkWeights w) {
        int k = l.region().volume();
        int cin = l.inChannels();
        int cout = l.outChannels();
        ConvolutionLayer.Kind kind = switch (l.type()) {
            case CONV -> ConvolutionLayer.Kind.CONVOLUTION;
            case CONV_TRANSPOSE -> ConvolutionLayer.Kind.TRANSPOSED;
            case GENERATIVE_CONV_TRANSPOSE -> ConvolutionLayer.Kind.GENERATIVE_TRANSPOSED;
            case CHANNELWISE_CONV -> ConvolutionLayer.Kind.CHANNELWISE;
            default -> throw new IllegalStateException(l.type().toString());
        };
        String why = " for kernel " + l.region() + " of " + k + " offsets, " + cin + " -> " + cout + " channels";
        float[] kernel = kind == ConvolutionLayer.Kind.CHANNELWISE ? w.floats(l, "kernel", why + ", [K][C]", k, cin)
                : w.floats(l, "kernel", why + ", [K][Cin][Cout]", k, cin, cout);
        // MinkowskiChannelwiseConvolution keeps its bias as (1, C).
        float[] bias = !l.bias() ? null : kind == ConvolutionLayer.Kind.CHANNELWISE
                ? w.floatsOfShapes(l, "bias", " (bias: true)", new int[] {cout}, new int[] {1, cout})
                : w.floats(l, "bias", " (bias: true)", cout);
        return new ConvolutionLayer(kind, l.region(), l.stride(), cin, cout, kernel, bias);
    }

    private static Layer normalization(LayerSpec l, NetworkWeights w) {
        int c = l.inChannels();
        String why = " for " + c + " channels";
        if (l.type() == LayerType.BATCH_NORM) {
            return NormalizationLayer.batchNorm(w.floats(l, "weight", why, c), w.floats(l, "bias", why, c), w.floats(l, "running_mean", why, c),
                    runningVar(l, w.floats(l, "running_var", why, c)), l.eps(), Activation.IDENTITY);
        }
        if (!l.affine()) return NormalizationLayer.instanceNorm(null, null, l.eps());
        return NormalizationLayer.instanceNorm(w.floatsOfShapes(l, "weight", why, new int[] {c}, new int[] {1, c}),
                w.floatsOfShapes(l, "bias", why, new int[] {c}, new int[] {1, c}), l.eps());
    }

    /** A negative variance would give NaNs at run time; refuse it when loading instead. */
    private static float[] runningVar(LayerSpec l, float[] var) {
        for (int i = 0; i < var.length; i++) {
            if (!(var[i] + l.eps() > 0f)) {
                throw new IllegalArgumentException("layer '" + l.name() + "': tensor '" + l.name() + ".running_var' value " + var[i] + " at channel " + i
                        + " plus eps " + l.eps() + " is not positive");
            }
        }
        return var;
    }

    private static PoolMode poolMode(LayerType t) {
        return switch (t) {
            case MAX_POOL, GLOBAL_MAX_POOL -> PoolMode.MAX;
            case AVG_POOL, GLOBAL_AVG_POOL -> PoolMode.AVG;
            case SUM_POOL, GLOBAL_SUM_POOL -> PoolMode.SUM;
            default -> throw new IllegalStateException(t.toString());
        };
    }

    private static MergeLayer merge(LayerSpec l) {
        return switch (l.type()) {
            case CONCAT -> new ConcatenationLayer();
            case ADD -> new UnionLayer();
            case BROADCAST_ADD -> new BroadcastLayer(false);
            case BROADCAST_MUL -> new BroadcastLayer(true);
            case PRUNE -> new PruningLayer(l.channel(), l.threshold());
            default -> throw new IllegalStateException(l.type().toString());
        };
    }

    /** Runs a single-output network; the output is checked to be finite. */
    public SparseTensor forward(SparseTensor x, Backend backend) {
        if (spec.outputs().size() != 1) {
            throw new IllegalStateException("network '" + spec.name() + "' has " + spec.outputs().size() + " outputs " + spec.outputs() + "; use forwardAll");
        }
        return forwardAll(x, backend).get(spec.outputs().get(0));
    }

    /**
     * Runs the network and returns every declared output by name (in the spec's order), each checked
     * to be finite. Intermediate tensors are dropped as soon as their last reader has run.
     *
     * @throws IllegalArgumentException when x does not fit the network, or a layer rejects its input
     *                                  (the message names the layer)
     * @throws IllegalStateException    when an output holds NaN or an infinity, naming the output,
     *                                  row, coordinate and channel
     */
    public Map<String, SparseTensor> forwardAll(SparseTensor x, Backend backend) {
        checkInput(x);
        Map<String, SparseTensor> values = new HashMap<>();
        values.put(NetworkSpec.INPUT, x);
        List<SparseTensor> args = new ArrayList<>(2);
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            args.clear();
            for (String in : n.inputs()) args.add(values.get(in));
            SparseTensor y;
            try {
                y = n.forward(args, backend);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("network '" + spec.name() + "', layer '" + n.name() + "': " + e.getMessage(), e);
            }
            values.put(n.name(), y);
            for (String in : n.inputs()) {
                if (lastUse.get(in) == i && !spec.outputs().contains(in)) values.remove(in);
            }
        }
        Map<String, SparseTensor> out = new LinkedHashMap<>();
        for (String name : spec.outputs()) {
            SparseTensor y = values.get(name);
            checkFinite(name, y);
            out.put(name, y);
        }
        return out;
    }

    private void checkInput(SparseTensor x) {
        if (x.dimension() != spec.dimension()) {
            throw new IllegalArgumentException("network '" + spec.name() + "' expects dimension " + spec.dimension() + ", the input tensor has " + x.dimension());
        }
        if (x.channels() != spec.inChannels()) {
            throw new IllegalArgumentException("network '" + spec.name() + "' expects " + spec.inChannels() + " input channels, the input tensor has " + x.channels());
        }
    }

    private void checkFinite(String output, SparseTensor y) {
        float[] f = y.features();
        for (int i = 0; i < f.length; i++) {
            if (!Float.isFinite(f[i])) {
                int row = i / y.channels();
                int w = y.dimension() + 1;
                int[] coordinate = Arrays.copyOfRange(y.coordinates(), row * w, row * w + w);
                throw new IllegalStateException("network '" + spec.name() + "': output '" + output + "' row " + row + " (coordinate "
                        + Arrays.toString(coordinate) + ") channel " + i % y.channels() + " is " + f[i] + "; outputs must be finite");
            }
        }
    }

    public String name() {
        return spec.name();
    }

    public NetworkSpec spec() {
        return spec;
    }

    public int dimension() {
        return spec.dimension();
    }

    public int inChannels() {
        return spec.inChannels();
    }

    /** Channels of the single output. */
    public int outChannels() {
        if (spec.outputs().size() != 1) {
            throw new IllegalStateException("network '" + spec.name() + "' has " + spec.outputs().size() + " outputs " + spec.outputs() + "; use outChannels(name)");
        }
        return outChannels(spec.outputs().get(0));
    }

    public int outChannels(String output) {
        return spec.layer(output).outChannels();
    }

    public List<String> outputs() {
        return spec.outputs();
    }

    /** The nodes in the order they run (topological: every node after its inputs). */
    public List<Node> layers() {
        return nodes;
    }

    /** The node computing layer {@code name} (a fused batch_norm's name gives its fused node). */
    public Node node(String name) {
        Node n = byName.get(name);
        if (n == null) throw new IllegalArgumentException("network '" + spec.name() + "' has no layer '" + name + "'");
        return n;
    }

    /** See {@link NetworkSpec#temporalReach(int)}. */
    public int[] temporalReach(int timeAxis) {
        return spec.temporalReach(timeAxis);
    }

    /** See {@link NetworkSpec#cumulativeTemporalReach(int)}. */
    public int[] cumulativeTemporalReach(int timeAxis) {
        return spec.cumulativeTemporalReach(timeAxis);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("network '" + spec.name() + "' D=" + spec.dimension() + " in_channels=" + spec.inChannels()
                + " outputs=" + spec.outputs());
        for (Node n : nodes) s.append("\n  ").append(n);
        return s.toString();
    }
}
