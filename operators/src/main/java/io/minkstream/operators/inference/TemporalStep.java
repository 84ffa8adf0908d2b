package io.minkstream.operators.inference;

import io.minkstream.engine.backend.Backend;
import io.minkstream.engine.backend.PoolMode;
import io.minkstream.engine.coords.CoordinateKey;
import io.minkstream.engine.coords.CoordinateManager;
import io.minkstream.engine.coords.CoordinateMap;
import io.minkstream.engine.coords.KernelMap;
import io.minkstream.engine.coords.KernelRegion;
import io.minkstream.engine.nn.ConvolutionLayer;
import io.minkstream.engine.nn.Network;
import io.minkstream.engine.nn.PoolingLayer;
import io.minkstream.engine.tensor.SparseTensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.function.IntFunction;

/**
 * One frame's rows of a layer that reads neighbouring frames: a convolution or local pooling with
 * temporal stride 1. The frame's output coordinates come from its own coordinate manager exactly
 * as in a whole-window run (stride 1: the input frame's map; spatial stride: the floored map;
 * transposed: the finer map of the same frame); the kernel map looks each offset up in the map
 * of the frame it points to ({@code t + dt}), so only this frame's pairs are built.
 */
final class TemporalStep {
    private static final int TIME = 3;

    private enum Op { CONVOLUTION, CHANNELWISE, POOLING }

    private final String input;
    private final Op op;
    private final boolean transposed;
    private final boolean generate;
    private final KernelRegion region;
    private final int[] stride;
    private final ConvolutionLayer conv;
    private final PoolMode poolMode;

    private TemporalStep(String input, Op op, boolean transposed, boolean generate, KernelRegion region, int[] stride,
                         ConvolutionLayer conv, PoolMode poolMode) {
        this.input = input;
        this.op = op;
        this.transposed = transposed;
        this.generate = generate;
        this.region = region;
        this.stride = stride;
        this.conv = conv;
        this.poolMode = poolMode;
    }

    /** The step for a convolution or local pooling node, or null when the node is computed per frame. */
    static TemporalStep of(Network.Node node) {
        if (node.layer() instanceof ConvolutionLayer c) {
            boolean transposed = c.kind() == ConvolutionLayer.Kind.TRANSPOSED || c.kind() == ConvolutionLayer.Kind.GENERATIVE_TRANSPOSED;
            return checked(node, new TemporalStep(node.inputs().get(0), c.kind() == ConvolutionLayer.Kind.CHANNELWISE ? Op.CHANNELWISE : Op.CONVOLUTION,
                    transposed, c.kind() == ConvolutionLayer.Kind.GENERATIVE_TRANSPOSED, c.region(), c.stride(), c, null));
        }
        if (node.layer() instanceof PoolingLayer p && p.kind() != PoolingLayer.Kind.GLOBAL) {
            boolean transposed = p.kind() == PoolingLayer.Kind.TRANSPOSE;
            KernelRegion region = !transposed && Arrays.equals(p.kernelSize(), p.stride()) ? KernelRegion.strideWindow(p.stride())
                    : KernelRegion.hyperCube(p.kernelSize(), transposed ? ones(p.kernelSize().length) : p.dilation());
            return checked(node, new TemporalStep(node.inputs().get(0), Op.POOLING, transposed, false, region, p.stride(), null,
                    transposed ? PoolMode.SUM : p.mode()));
        }
        return null;
    }

    private static TemporalStep checked(Network.Node node, TemporalStep s) {
        if (s.stride[TIME] != 1) {
            throw new UnsupportedOperationException("layer '" + node.name() + "' strides in time (" + s.stride[TIME] + "); frames can't be computed one at a time");
        }
        if (s.transposed) {
            int[] range = s.region.stepRange(TIME);
            if (range[0] != 0 || range[1] != 0) {
                throw new UnsupportedOperationException("transposed layer '" + node.name() + "' reaches across frames; its output coordinates are not one frame's");
            }
        }
        return s;
    }

    String input() {
        return input;
    }

    /**
     * This node's rows for frame t, given the input node's per-frame tensors ({@code inputAt(t)},
     * null for a frame without rows). Returns null when frame t has no input rows.
     */
    SparseTensor compute(int t, IntFunction<SparseTensor> inputAt, Backend backend, java.util.concurrent.atomic.AtomicLong mapNanos) {
        SparseTensor x = inputAt.apply(t);
        if (x == null) return null;
        CoordinateManager m = x.manager();
        CoordinateKey outKey = transposed ? m.transposed(x.key(), stride, region, generate) : m.stride(x.key(), stride);
        CoordinateMap out = m.map(outKey);
        int[] offsets = region.offsets(transposed ? outKey.tensorStride() : x.tensorStride());
        int sign = transposed ? -1 : 1;
        int k = region.volume();
        // The frames this output frame reads, each with its rows' position in the gathered input.
        TreeSet<Integer> frames = new TreeSet<>();
        for (int j = 0; j < k; j++) frames.add(t + sign * offsets[j * 4 + TIME]);
        List<SparseTensor> sources = new ArrayList<>();
        List<int[]> groups = new ArrayList<>();
        int rows = 0;
        for (int f : frames) {
            SparseTensor xf = f == t ? x : inputAt.apply(f);
            if (xf == null) continue;
            sources.add(xf);
            groups.add(new int[] {f, rows});
            rows += xf.size();
        }
        int c = x.channels();
        float[] gathered = new float[rows * c];
        for (int i = 0; i < sources.size(); i++) System.arraycopy(sources.get(i).features(), 0, gathered, groups.get(i)[1] * c, sources.get(i).size() * c);
        long start = System.nanoTime();
        KernelMap map = crossFrameMap(out, offsets, k, sign, t, sources, groups, rows);
        mapNanos.addAndGet(System.nanoTime() - start);
        return SparseTensor.onMap(m, outKey, run(gathered, c, map, backend), outChannels(c));
    }

    private int outChannels(int c) {
        return op == Op.CONVOLUTION ? conv.outChannels(c) : c;
    }

    private float[] run(float[] in, int c, KernelMap map, Backend backend) {
        float[] y = new float[map.outSize() * outChannels(c)];
        switch (op) {
            case CONVOLUTION -> backend.convolution(in, c, conv.weights(), conv.outChannels(c), conv.bias(), map, y);
            case CHANNELWISE -> backend.channelwiseConvolution(in, c, conv.weights(), conv.bias(), map, y);
            case POOLING -> backend.pooling(poolMode, in, c, map, y);
        }
        return y;
    }

    /**
     * Output-major pairs in ascending k per row (MinkowskiEngine's accumulation order). Offsets are
     * grouped by the frame they point to and looked up in that frame's map; input rows are
     * numbered in the gathered order.
     */
    private static KernelMap crossFrameMap(CoordinateMap out, int[] offsets, int k, int sign, int t, List<SparseTensor> sources,
                                           List<int[]> groups, int inRows) {
        int g = groups.size();
        int[][] groupK = new int[g][];
        CoordinateMap.Neighbours[] searches = new CoordinateMap.Neighbours[g];
        for (int i = 0; i < g; i++) {
            int f = groups.get(i)[0];
            int[] idx = new int[k];
            int count = 0;
            for (int j = 0; j < k; j++) if (t + sign * offsets[j * 4 + TIME] == f) idx[count++] = j;
            groupK[i] = Arrays.copyOf(idx, count);
            int[] groupOffsets = new int[count * 4];
            for (int q = 0; q < count; q++) System.arraycopy(offsets, groupK[i][q] * 4, groupOffsets, q * 4, 4);
            searches[i] = sources.get(i).coordinateMap().neighbours(groupOffsets, count, sign);
        }
        int n = out.size();
        int w = out.width();
        int[] coords = out.coordinates();
        int[] start = new int[n + 1];
        int[] ks = new int[Math.max(16, n * 4)];
        int[] ins = new int[ks.length];
        int[] neighbour = new int[k];
        int[] found = new int[k];
        int count = 0;
        for (int o = 0; o < n; o++) {
            Arrays.fill(neighbour, -1);
            for (int i = 0; i < g; i++) {
                searches[i].find(coords, o * w, found);
                int base = groups.get(i)[1];
                for (int q = 0; q < groupK[i].length; q++) if (found[q] >= 0) neighbour[groupK[i][q]] = base + found[q];
            }
            if (count + k > ks.length) {
                ks = Arrays.copyOf(ks, Math.max(ks.length * 2, count + k));
                ins = Arrays.copyOf(ins, ks.length);
            }
            for (int j = 0; j < k; j++) {
                if (neighbour[j] < 0) continue;
                ks[count] = j;
                ins[count] = neighbour[j];
                count++;
            }
            start[o + 1] = count;
        }
        return new KernelMap(k, inRows, n, start, Arrays.copyOf(ks, count), Arrays.copyOf(ins, count));
    }

    private static int[] ones(int d) {
        int[] a = new int[d];
        Arrays.fill(a, 1);
        return a;
    }
}
