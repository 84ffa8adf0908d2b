package io.minkstream.engine.nn;

import io.minkstream.engine.backend.Backend;
import io.minkstream.engine.backend.PoolMode;
import io.minkstream.engine.ops.Pooling;
import io.minkstream.engine.tensor.SparseTensor;

/** Local pooling (max/avg/sum), global pooling, or pooling transpose (unpooling). */
public final class PoolingLayer implements Layer {

    public enum Kind { LOCAL, GLOBAL, TRANSPOSE }

    private final Kind kind;
    private final PoolMode mode;
    private final int[] kernelSize;
    private final int[] stride;
    private final int[] dilation;

    private PoolingLayer(Kind kind, PoolMode mode, int[] kernelSize, int[] stride, int[] dilation) {
        this.kind = kind;
        this.mode = mode;
        this.kernelSize = kernelSize;
        this.stride = stride;
        this.dilation = dilation;
    }

    public static PoolingLayer local(PoolMode mode, int[] kernelSize, int[] stride, int[] dilation) {
        return new PoolingLayer(Kind.LOCAL, mode, kernelSize.clone(), stride.clone(), dilation.clone());
    }

    public static PoolingLayer global(PoolMode mode) {
        return new PoolingLayer(Kind.GLOBAL, mode, null, null, null);
    }

    public static PoolingLayer transpose(int[] kernelSize, int[] stride) {
        return new PoolingLayer(Kind.TRANSPOSE, PoolMode.SUM, kernelSize.clone(), stride.clone(), null);
    }

    public Kind kind() {
        return kind;
    }

    public PoolMode mode() {
        return mode;
    }

    /** Kernel size per axis, or null for global pooling. */
    public int[] kernelSize() {
        return kernelSize == null ? null : kernelSize.clone();
    }

    /** Stride per axis, or null for global pooling. */
    public int[] stride() {
        return stride == null ? null : stride.clone();
    }

    /** Dilation per axis, or null for global pooling and unpooling. */
    public int[] dilation() {
        return dilation == null ? null : dilation.clone();
    }

    @Override
    public SparseTensor forward(SparseTensor x, Backend backend) {
        return switch (kind) {
            case LOCAL -> Pooling.pool(mode, x, kernelSize, stride, dilation, backend);
            case GLOBAL -> Pooling.global(mode, x, backend);
            case TRANSPOSE -> Pooling.unpool(x, kernelSize, stride, backend);
        };
    }
}
