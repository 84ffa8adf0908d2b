package io.minkstream.gpu.device;

import jcuda.CudaException;
import jcuda.driver.JCudaDriver;

/**
 * Whether this JVM can use CUDA at all: JCuda's driver binding needs only {@code libcuda.so.1} (the
 * driver); the shipped kernels need a driver for CUDA 13 or newer. Probed once per JVM: after a
 * failed native load every later JCuda call fails with a less telling NoClassDefFoundError, so the
 * first answer is kept.
 */
public final class CudaDriver {
    /** cuDriverGetVersion of CUDA 13.0: nvcc 13 emits PTX ISA 9.0, which only r580+ drivers JIT. */
    public static final int REQUIRED_DRIVER_VERSION = 13000;
    public static final String REQUIRED_DRIVER = "CUDA 13.0 (NVIDIA driver r580 or newer)";

    /** The outcome: devices found and the driver's CUDA version, or why there are none. */
    public record Probe(int deviceCount, int driverVersion, String problem) {
        public boolean usable() {
            return problem == null;
        }
    }

    private static Probe probe;

    private CudaDriver() {
    }

    public static synchronized Probe probe() {
        if (probe == null) probe = runProbe();
        return probe;
    }

    private static Probe runProbe() {
        try {
            JCudaDriver.setExceptionsEnabled(true);
            JCudaDriver.cuInit(0);
            int[] version = new int[1];
            JCudaDriver.cuDriverGetVersion(version);
            int[] count = new int[1];
            JCudaDriver.cuDeviceGetCount(count);
            if (count[0] == 0) {
                return new Probe(0, version[0], "the CUDA driver (" + versionString(version[0]) + ") reports no CUDA device");
            }
            return new Probe(count[0], version[0], null);
        } catch (UnsatisfiedLinkError e) {
            return new Probe(0, 0, "no CUDA driver: libcuda.so.1 could not be loaded (" + linkFailure(e.getMessage()) + ")");
        } catch (NoClassDefFoundError e) {
            return new Probe(0, 0, "the JCuda driver binding could not be initialised in this JVM (" + linkFailure(e.getMessage()) + ")");
        } catch (LinkageError e) {
            return new Probe(0, 0, "the JCuda driver binding could not be linked (" + e + ")");
        } catch (CudaException e) {
            // e.g. CUDA_ERROR_NO_DEVICE, CUDA_ERROR_INSUFFICIENT_DRIVER
            return new Probe(0, 0, "cuInit failed: " + e.getMessage());
        }
    }

    /**
     * The telling line of JCuda's load failure, which spans dozens of lines (every attempt with its
     * stack trace): the dynamic linker's complaint about a missing library, else the first line.
     */
    static String linkFailure(String message) {
        if (message == null) return "no message";
        String[] lines = message.split("\\R");
        for (String line : lines) {
            if (line.contains("cannot open shared object file")) {
                int colon = line.indexOf(".so: ");
                return colon >= 0 ? line.substring(colon + 5).trim() : line.trim();
            }
        }
        return lines[0].trim();
    }

    /** 12040 -> "CUDA 12.4". */
    public static String versionString(int driverVersion) {
        if (driverVersion <= 0) return "CUDA version unknown";
        return "CUDA " + driverVersion / 1000 + "." + (driverVersion % 1000) / 10;
    }
}
