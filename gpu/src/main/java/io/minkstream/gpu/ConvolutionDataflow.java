package io.minkstream.gpu;

/** How a convolution walks its kernel map on the GPU (see convolution.cu). */
public enum ConvolutionDataflow {
    /**
     * Output-stationary over the CSR: a block owns 16 output rows x 32 output channels, stages
     * weight tiles and gathered inputs in shared memory round by round (one kernel offset per
     * round), accumulates in registers and writes each output once. No atomics; bitwise
     * reproducible.
     */
    FUSED,
    /**
     * Per offset: gather 32 pairs' input rows, multiply by W[k] (one weight tile serves all 32
     * pairs), scatter with atomicAdd. All offsets in one launch. Sums in a timing-dependent order.
     */
    PER_OFFSET
}
