package io.minkstream.engine.backend;

import io.minkstream.engine.coords.KernelMap;

/**
 * The output-stationary convolution loop over a range of output rows: each output row is
 * accumulated once, in registers, over its kernel-map pairs (in MinkowskiEngine's k order), then
 * stored. No scatter, so threads split output rows without synchronisation.
 */
interface ConvolutionKernel {

    void convolve(float[] in, int cIn, float[] weights, int cOut, float[] bias, KernelMap map, float[] out, int from, int to);

    /**
     * The Vector API kernel when {@code jdk.incubator.vector} is in the boot layer (the JVM was
     * started with {@code --add-modules jdk.incubator.vector}), else plain loops.
     */
    static ConvolutionKernel best() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            return new VectorConvolutionKernel();
        }
        return new ScalarConvolutionKernel();
    }
}
