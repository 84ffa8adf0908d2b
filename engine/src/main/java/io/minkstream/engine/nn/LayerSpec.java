package io.minkstream.engine.nn;

import io.minkstream.engine.backend.Activation;
import io.minkstream.engine.coords.KernelRegion;
import java.util.Arrays;
import java.util.List;

/**
 * One validated layer of a {@link NetworkSpec}: its type and parameters, the names of its inputs,
 * and what the graph implies for it (input and output channels, input and output tensor strides).
 *
 * <p>Tensor strides are relative to the network's input (whose stride counts as 1 on every axis);
 * {@code null} means a global tensor (one row per batch index, the output of global pooling).
 * Fields that do not apply to a type are null (arrays, region, activation) or 0.
 */
public final class LayerSpec {
    /** Bounds of an unbounded temporal reach (global pooling, instance norm). */
    public static final int UNBOUNDED_PAST = Integer.MIN_VALUE;
    public static final int UNBOUNDED_FUTURE = Integer.MAX_VALUE;

    private final String name;
    private final LayerType type;
    private final List<String> inputs;
    private final int inChannels;
    private final int outChannels;
    private final int[] inTensorStride;
    private final int[] outTensorStride;
    private final KernelRegion region;
    private final int[] kernelSize;
    private final int[] stride;
    private final int[] dilation;
    private final boolean bias;
    private final float eps;
    private final boolean affine;
    private final Activation activation;
    private final float threshold;
    private final int channel;

    LayerSpec(Draft d) {
        this.name = d.name;
        this.type = d.type;
        this.inputs = List.copyOf(d.inputs);
        this.inChannels = d.inChannels;
        this.outChannels = d.outChannels;
        this.inTensorStride = copy(d.inTensorStride);
        this.outTensorStride = copy(d.outTensorStride);
        this.region = d.region;
        this.kernelSize = copy(d.kernelSize);
        this.stride = copy(d.stride);
        this.dilation = copy(d.dilation);
        this.bias = d.bias;
        this.eps = d.eps;
        this.affine = d.affine;
        this.activation = d.activation;
        this.threshold = d.threshold;
        this.channel = d.channel;
    }

    /** Mutable fields filled in by the spec parser. */
    static final class Draft {
        String name;
        LayerType type;
        List<String> inputs;
        int inChannels;
        int outChannels;
        int[] inTensorStride;
        int[] outTensorStride;
        KernelRegion region;
        int[] kernelSize;
        int[] stride;
        int[] dilation;
        boolean bias;
        float eps;
        boolean affine;
        Activation activation;
        float threshold;
        int channel;
    }

    private static int[] copy(int[] a) {
        return a == null ? null : a.clone();
    }

    public String name() {
        return name;
    }

    public LayerType type() {
        return type;
    }

    /** Input layer names ({@link NetworkSpec#INPUT} for the network input); for prune: input, then mask_from. */
    public List<String> inputs() {
        return inputs;
    }

    /** Channels of the (first) input. */
    public int inChannels() {
        return inChannels;
    }

    public int outChannels() {
        return outChannels;
    }

    /** Tensor stride of the (first) input relative to the network input, or null when it is global. */
    public int[] inTensorStride() {
        return copy(inTensorStride);
    }

    /** Tensor stride of the output relative to the network input, or null when it is global. */
    public int[] outTensorStride() {
        return copy(outTensorStride);
    }

    /**
     * The offsets the layer reads: the kernel of a convolution; for local pooling the window (a cube,
     * or {@code 0..s-1} per axis when kernel size equals stride, as MinkowskiEngine pools); for
     * unpooling the cube it scatters over. Null for other types.
     */
    public KernelRegion region() {
        return region;
    }

    /** Pooling and unpooling kernel size per axis, else null. */
    public int[] kernelSize() {
        return copy(kernelSize);
    }

    /** Convolution, pooling and unpooling stride per axis, else null. */
    public int[] stride() {
        return copy(stride);
    }

    /** Convolution and pooling dilation per axis, else null. */
    public int[] dilation() {
        return copy(dilation);
    }

    public boolean bias() {
        return bias;
    }

    public float eps() {
        return eps;
    }

    /** Instance norm: whether it has weight and bias tensors. */
    public boolean affine() {
        return affine;
    }

    /** The non-linearity of an activation layer, else null. */
    public Activation activation() {
        return activation;
    }

    /** Prune: rows whose mask value is greater than this are kept. */
    public float threshold() {
        return threshold;
    }

    /** Prune: the mask channel compared with the threshold. */
    public int channel() {
        return channel;
    }

    /**
     * How far along {@code axis} this layer reads, in coordinate units of the network input:
     * {@code [min, max]} of (input coordinate - output coordinate) over its offsets. A forward
     * convolution reads {@code o + step * dilation * tsIn}; a transposed one {@code o - step *
     * dilation * tsOut}. A forward layer with stride s > 1 on the axis also creates its output row
     * {@code floor(c / s) * s} from any input row c up to {@code (s - 1) * tsIn} later, so its max
     * is at least that (a row may appear when a later frame arrives, even under a causal kernel).
     * {@code max <= 0} means the layer is causal on that axis. Global pooling and instance norm read
     * the whole batch: {@code [UNBOUNDED_PAST, UNBOUNDED_FUTURE]}.
     */
    public int[] temporalReach(int axis) {
        if (axis < 0 || (inTensorStride != null && axis >= inTensorStride.length)) {
            throw new IllegalArgumentException("axis " + axis + " is outside the network's dimension");
        }
        if (type.family() == LayerType.Family.GLOBAL_POOLING || type == LayerType.INSTANCE_NORM) {
            return new int[] {UNBOUNDED_PAST, UNBOUNDED_FUTURE};
        }
        if (region == null) return new int[] {0, 0};
        boolean transposed = type.transposed() || type == LayerType.UNPOOL;
        int[] anchor = transposed ? outTensorStride : inTensorStride;
        int[] offsets = region.offsets(anchor);
        int d = region.dimension();
        int lo = Integer.MAX_VALUE;
        int hi = Integer.MIN_VALUE;
        for (int k = 0; k < region.volume(); k++) {
            int v = transposed ? -offsets[k * d + axis] : offsets[k * d + axis];
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        if (!transposed && stride != null) hi = Math.max(hi, (stride[axis] - 1) * inTensorStride[axis]);
        return new int[] {lo, hi};
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(name).append(": ").append(type.json()).append(' ').append(inputs)
                .append(' ').append(inChannels).append("->").append(outChannels);
        if (region != null) s.append(' ').append(region);
        if (stride != null) s.append(" stride ").append(Arrays.toString(stride));
        s.append(" ts ").append(outTensorStride == null ? "global" : Arrays.toString(outTensorStride));
        return s.toString();
    }
}
