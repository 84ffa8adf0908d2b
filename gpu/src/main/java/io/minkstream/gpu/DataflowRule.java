package io.minkstream.gpu;

/**
 * Chooses the convolution dataflow per call.
 *
 * <p>The fused path loads a weight tile once per round for a tile of 16 output rows, but only the
 * rows that have a pair with that round's offset use it: with k=3 in 4-D on LiDAR voxels about 16
 * of 81 offsets are present per row, so a weight tile serves a few rows. The per-offset path loads
 * each weight tile once per 32 pairs of one offset, all of which use it, and pays an atomicAdd per
 * pair and output channel instead. Weight traffic dominates when {@code cIn x cOut} is large, and
 * the per-offset GEMMs fill their tiles when offsets have many pairs. Hence the default rule:
 * {@link ConvolutionDataflow#PER_OFFSET} when both channel counts are at least {@code minChannels}
 * (64) and the mean pairs per offset are at least {@code minPairsPerOffset} (4096), else
 * {@link ConvolutionDataflow#FUSED}. The thresholds are a starting point from this reasoning, not
 * from measurements (no GPU was available); {@code bench --device cuda} is where to tune them.
 * {@code deterministic} forces FUSED (bitwise reproducible outputs).
 *
 * @param forced a dataflow to use always, or null to choose
 */
public record DataflowRule(ConvolutionDataflow forced, int minChannels, int minPairsPerOffset, boolean deterministic) {

    public static DataflowRule defaults() {
        return new DataflowRule(null, 64, 4096, false);
    }

    public static DataflowRule always(ConvolutionDataflow dataflow) {
        return new DataflowRule(dataflow, 0, 0, dataflow == ConvolutionDataflow.FUSED);
    }

    public ConvolutionDataflow choose(int pairs, int kernelVolume, int cIn, int cOut) {
        if (forced != null) return forced;
        if (deterministic) return ConvolutionDataflow.FUSED;
        boolean wide = cIn >= minChannels && cOut >= minChannels;
        boolean fullOffsets = pairs >= (long) minPairsPerOffset * kernelVolume;
        return wide && fullOffsets ? ConvolutionDataflow.PER_OFFSET : ConvolutionDataflow.FUSED;
    }
}
