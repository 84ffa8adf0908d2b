package io.minkstream.engine.nn;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The layer types of a network spec, by their JSON name, each with the fields it accepts beyond
 * {@code name}, {@code type}, {@code input}/{@code inputs} and {@code comment}.
 */
public enum LayerType {
    CONV("conv", Family.CONVOLUTION, "out_channels", "in_channels", "kernel", "stride", "dilation", "bias"),
    CONV_TRANSPOSE("conv_transpose", Family.CONVOLUTION, "out_channels", "in_channels", "kernel", "stride", "dilation", "bias"),
    GENERATIVE_CONV_TRANSPOSE("generative_conv_transpose", Family.CONVOLUTION, "out_channels", "in_channels", "kernel", "stride", "dilation", "bias"),
    CHANNELWISE_CONV("channelwise_conv", Family.CONVOLUTION, "in_channels", "kernel", "stride", "dilation", "bias"),
    LINEAR("linear", Family.LINEAR, "out_channels", "in_channels", "bias"),
    BATCH_NORM("batch_norm", Family.NORMALIZATION, "eps", "in_channels"),
    INSTANCE_NORM("instance_norm", Family.NORMALIZATION, "eps", "affine", "in_channels"),
    RELU("relu", Family.ACTIVATION),
    LEAKY_RELU("leaky_relu", Family.ACTIVATION, "negative_slope"),
    ELU("elu", Family.ACTIVATION, "alpha"),
    SIGMOID("sigmoid", Family.ACTIVATION),
    TANH("tanh", Family.ACTIVATION),
    GELU("gelu", Family.ACTIVATION),
    MAX_POOL("max_pool", Family.POOLING, "kernel_size", "stride", "dilation"),
    AVG_POOL("avg_pool", Family.POOLING, "kernel_size", "stride", "dilation"),
    SUM_POOL("sum_pool", Family.POOLING, "kernel_size", "stride", "dilation"),
    GLOBAL_MAX_POOL("global_max_pool", Family.GLOBAL_POOLING),
    GLOBAL_AVG_POOL("global_avg_pool", Family.GLOBAL_POOLING),
    GLOBAL_SUM_POOL("global_sum_pool", Family.GLOBAL_POOLING),
    UNPOOL("unpool", Family.UNPOOLING, "kernel_size", "stride"),
    CONCAT("concat", Family.MERGE),
    ADD("add", Family.MERGE),
    BROADCAST_ADD("broadcast_add", Family.MERGE),
    BROADCAST_MUL("broadcast_mul", Family.MERGE),
    PRUNE("prune", Family.PRUNING, "mask_from", "threshold", "channel");

    /** What a type does to its input, for validation and introspection. */
    public enum Family { CONVOLUTION, LINEAR, NORMALIZATION, ACTIVATION, POOLING, GLOBAL_POOLING, UNPOOLING, MERGE, PRUNING }

    private final String json;
    private final Family family;
    private final Set<String> fields;

    LayerType(String json, Family family, String... fields) {
        this.json = json;
        this.family = family;
        this.fields = Set.of(fields);
    }

    /** The name used in the spec's {@code type} field. */
    public String json() {
        return json;
    }

    public Family family() {
        return family;
    }

    /** Type-specific fields this type accepts. */
    public Set<String> fields() {
        return fields;
    }

    /** Whether the layer takes a list {@code inputs} rather than one {@code input}. */
    public boolean multiInput() {
        return family == Family.MERGE;
    }

    public boolean transposed() {
        return this == CONV_TRANSPOSE || this == GENERATIVE_CONV_TRANSPOSE;
    }

    /** The type named {@code json}, or null. */
    public static LayerType fromJson(String json) {
        for (LayerType t : values()) {
            if (t.json.equals(json)) return t;
        }
        return null;
    }

    public static List<String> jsonNames() {
        return Arrays.stream(values()).map(LayerType::json).toList();
    }
}
