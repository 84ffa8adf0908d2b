package io.minkstream.engine.backend;

import io.minkstream.engine.coords.KernelMap;

/**
 * The convolution over a range of output rows: writes exactly those rows of {@code out}, each
 * summed over its kernel-map pairs in MinkowskiEngine's k order. No other row is touched, so
 * threads split output rows without synchronisation and the result is the same for any split.
 */
interface ConvolutionKernel {

    void convolve(float[] in, int cIn, float[] weights, int cOut, float[] bias, KernelMap map, float[] out, int from, int to);

    /** System property naming the kernel: {@code auto} (default), {@code vector} or {@code scalar} (a baseline). */
    String PROPERTY = "minkstream.cpu.convolution";

    /**
     * The Vector API kernel when {@code jdk.incubator.vector} is in the boot layer (the JVM was
     * started with {@code --add-modules jdk.incubator.vector}), else plain loops; the system
     * property {@value #PROPERTY}{@code =scalar} forces the plain loops (benchmarks use it as the
     * in-process baseline).
     */
    static ConvolutionKernel best() {
        String choice = System.getProperty(PROPERTY, "auto");
        if (!choice.equals("scalar") && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            return new VectorConvolutionKernel();
        }
        if (choice.equals("vector")) {
            throw new IllegalStateException(PROPERTY + "=vector but the JVM lacks --add-modules jdk.incubator.vector");
        }
        return new ScalarConvolutionKernel();
    }
}
