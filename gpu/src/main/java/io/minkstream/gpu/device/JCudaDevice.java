package io.minkstream.gpu.device;

import io.minkstream.gpu.CudaUnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import jcuda.CudaException;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.CUstream;
import jcuda.driver.CUstream_flags;
import jcuda.driver.JCudaDriver;

/**
 * A GPU through JCuda's driver API: the device's primary context, one non-blocking stream, the
 * kernel modules loaded from the committed fatbin (SASS for sm_90 plus compute_80 PTX) or, failing
 * that, the PTX, and a pinned host staging buffer through which every copy goes.
 */
public final class JCudaDevice implements Device {
    /** Staging buffer size: copies larger than this go in chunks. */
    private static final long STAGING_BYTES = 16L << 20;

    private final int index;
    private final String name;
    private final CUdevice device;
    private final CUcontext context;
    private final CUstream stream;
    private final List<CUmodule> modules;
    private final Map<Kernel, CUfunction> functions;
    private final Pointer staging;
    private final ByteBuffer stagingBuffer;
    private long nextId = 1;
    private boolean closed;

    private JCudaDevice(int index, String name, CUdevice device, CUcontext context, List<CUmodule> modules,
                        Map<Kernel, CUfunction> functions) {
        this.index = index;
        this.name = name;
        this.device = device;
        this.context = context;
        this.modules = modules;
        this.functions = functions;
        this.stream = new CUstream();
        JCudaDriver.cuStreamCreate(stream, CUstream_flags.CU_STREAM_NON_BLOCKING);
        this.staging = new Pointer();
        JCudaDriver.cuMemAllocHost(staging, STAGING_BYTES);
        this.stagingBuffer = staging.getByteBuffer(0, STAGING_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Opens device {@code index} and loads the kernels.
     *
     * @throws CudaUnavailableException with one line naming the reason: no driver, no such device,
     *     or kernels the driver cannot load (naming the driver's CUDA version and the one required)
     */
    public static JCudaDevice open(int index) throws CudaUnavailableException {
        CudaDriver.Probe probe = CudaDriver.probe();
        if (!probe.usable()) throw new CudaUnavailableException(probe.problem());
        if (index < 0 || index >= probe.deviceCount()) {
            throw new CudaUnavailableException("no CUDA device " + index + ": the driver reports " + probe.deviceCount() + " device(s)");
        }
        try {
            CUdevice device = new CUdevice();
            JCudaDriver.cuDeviceGet(device, index);
            byte[] nameBytes = new byte[256];
            JCudaDriver.cuDeviceGetName(nameBytes, nameBytes.length, device);
            String gpu = cString(nameBytes);
            int major = attribute(device, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR);
            int minor = attribute(device, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR);
            String description = "cuda:" + index + " " + gpu + " (sm_" + major + minor + ", driver " + CudaDriver.versionString(probe.driverVersion()) + ")";
            CUcontext context = new CUcontext();
            JCudaDriver.cuDevicePrimaryCtxRetain(context, device);
            JCudaDriver.cuCtxSetCurrent(context);
            List<CUmodule> modules = new ArrayList<>();
            Map<Kernel, CUfunction> functions = new EnumMap<>(Kernel.class);
            try {
                loadModules(description, probe.driverVersion(), major, minor, modules, functions);
                return new JCudaDevice(index, description, device, context, modules, functions);
            } catch (CudaUnavailableException | RuntimeException e) {
                for (CUmodule m : modules) JCudaDriver.cuModuleUnload(m);
                JCudaDriver.cuDevicePrimaryCtxRelease(device);
                throw e;
            }
        } catch (CudaException e) {
            throw new CudaUnavailableException("CUDA device " + index + " could not be opened: " + e.getMessage(), e);
        }
    }

    private static void loadModules(String description, int driverVersion, int major, int minor, List<CUmodule> modules,
                                    Map<Kernel, CUfunction> functions) throws CudaUnavailableException {
        for (Kernel.Module module : Kernel.Module.values()) {
            CUmodule loaded = new CUmodule();
            String fatbinError = tryLoad(loaded, module.fileName() + ".fatbin", false);
            if (fatbinError != null) {
                String ptxError = tryLoad(loaded, module.fileName() + ".ptx", true);
                if (ptxError != null) {
                    throw new CudaUnavailableException("the minkstream CUDA kernels could not be loaded on " + description + " (module "
                            + module.fileName() + ": fatbin " + fatbinError + ", PTX " + ptxError + "): the driver supports "
                            + CudaDriver.versionString(driverVersion) + " (cuDriverGetVersion " + driverVersion + "), the kernels need "
                            + CudaDriver.REQUIRED_DRIVER + " and a GPU of compute capability 8.0 or newer (found " + major + "." + minor + ")");
                }
            }
            modules.add(loaded);
            for (Kernel k : Kernel.values()) {
                if (k.module() != module) continue;
                CUfunction f = new CUfunction();
                JCudaDriver.cuModuleGetFunction(f, loaded, k.symbol());
                functions.put(k, f);
            }
        }
    }

    /** Loads a module image from the classpath; returns null on success or the CUDA error. */
    private static String tryLoad(CUmodule module, String resource, boolean nulTerminate) {
        byte[] image;
        try (InputStream in = JCudaDevice.class.getResourceAsStream("/kernels/" + resource)) {
            if (in == null) return "missing resource kernels/" + resource;
            image = in.readAllBytes();
        } catch (IOException e) {
            return "unreadable resource kernels/" + resource + ": " + e.getMessage();
        }
        if (nulTerminate) image = Arrays.copyOf(image, image.length + 1);  // the driver reads PTX as a C string
        try {
            JCudaDriver.cuModuleLoadData(module, image);
            return null;
        } catch (CudaException e) {
            return e.getMessage();
        }
    }

    private static int attribute(CUdevice device, int attribute) {
        int[] v = new int[1];
        JCudaDriver.cuDeviceGetAttribute(v, attribute, device);
        return v[0];
    }

    private static String cString(byte[] bytes) {
        int n = 0;
        while (n < bytes.length && bytes[n] != 0) n++;
        return new String(bytes, 0, n, java.nio.charset.StandardCharsets.US_ASCII);
    }

    public int index() {
        return index;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void bind() {
        JCudaDriver.cuCtxSetCurrent(context);
    }

    @Override
    public DeviceBuffer allocate(long bytes) {
        CUdeviceptr p = new CUdeviceptr();
        JCudaDriver.cuMemAlloc(p, Math.max(bytes, 4));
        return new DeviceBuffer(nextId++, bytes, p);
    }

    @Override
    public void free(DeviceBuffer buffer) {
        JCudaDriver.cuMemFree(pointer(buffer, 0));
    }

    @Override
    public void copyToDevice(DeviceBuffer dst, long dstByteOffset, float[] src, int from, int count) {
        int chunk = (int) (STAGING_BYTES / 4);
        for (int done = 0; done < count; done += chunk) {
            int n = Math.min(chunk, count - done);
            stagingBuffer.clear();
            stagingBuffer.asFloatBuffer().put(src, from + done, n);
            upload(dst, dstByteOffset + 4L * done, 4L * n);
        }
    }

    @Override
    public void copyToDevice(DeviceBuffer dst, long dstByteOffset, int[] src, int from, int count) {
        int chunk = (int) (STAGING_BYTES / 4);
        for (int done = 0; done < count; done += chunk) {
            int n = Math.min(chunk, count - done);
            stagingBuffer.clear();
            stagingBuffer.asIntBuffer().put(src, from + done, n);
            upload(dst, dstByteOffset + 4L * done, 4L * n);
        }
    }

    /** Staging -> device; waits, because the next copy reuses the staging buffer. */
    private void upload(DeviceBuffer dst, long byteOffset, long bytes) {
        JCudaDriver.cuMemcpyHtoDAsync(pointer(dst, byteOffset), staging, bytes, stream);
        JCudaDriver.cuStreamSynchronize(stream);
    }

    @Override
    public void copyFromDevice(DeviceBuffer src, long srcByteOffset, float[] dst, int from, int count) {
        int chunk = (int) (STAGING_BYTES / 4);
        for (int done = 0; done < count; done += chunk) {
            int n = Math.min(chunk, count - done);
            download(src, srcByteOffset + 4L * done, 4L * n);
            stagingBuffer.clear();
            stagingBuffer.asFloatBuffer().get(dst, from + done, n);
        }
    }

    @Override
    public void copyFromDevice(DeviceBuffer src, long srcByteOffset, int[] dst, int from, int count) {
        int chunk = (int) (STAGING_BYTES / 4);
        for (int done = 0; done < count; done += chunk) {
            int n = Math.min(chunk, count - done);
            download(src, srcByteOffset + 4L * done, 4L * n);
            stagingBuffer.clear();
            stagingBuffer.asIntBuffer().get(dst, from + done, n);
        }
    }

    private void download(DeviceBuffer src, long byteOffset, long bytes) {
        JCudaDriver.cuMemcpyDtoHAsync(staging, pointer(src, byteOffset), bytes, stream);
        JCudaDriver.cuStreamSynchronize(stream);
    }

    @Override
    public void fill32(DeviceBuffer dst, int value, long count) {
        JCudaDriver.cuMemsetD32Async(pointer(dst, 0), value, count, stream);
    }

    @Override
    public void launch(Kernel kernel, int grid, int block, KernelArgs args) {
        kernel.check(grid, block, args);
        Pointer[] params = new Pointer[args.size()];
        for (int i = 0; i < params.length; i++) {
            params[i] = switch (args.type(i)) {
                case 'P' -> args.buffer(i) == null ? Pointer.to(new long[] {0L}) : Pointer.to(pointer(args.buffer(i), args.value(i)));
                case 'I' -> Pointer.to(new int[] {(int) args.value(i)});
                case 'J' -> Pointer.to(new long[] {args.value(i)});
                case 'F' -> Pointer.to(new float[] {Float.intBitsToFloat((int) args.value(i))});
                default -> throw new IllegalArgumentException("argument type " + args.type(i));
            };
        }
        JCudaDriver.cuLaunchKernel(functions.get(kernel), grid, 1, 1, block, 1, 1, 0, stream, Pointer.to(params), null);
    }

    @Override
    public void synchronize() {
        JCudaDriver.cuStreamSynchronize(stream);
    }

    private static CUdeviceptr pointer(DeviceBuffer buffer, long byteOffset) {
        CUdeviceptr base = (CUdeviceptr) buffer.handle();
        return byteOffset == 0 ? base : base.withByteOffset(byteOffset);
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        try {
            bind();
            JCudaDriver.cuStreamSynchronize(stream);
            JCudaDriver.cuStreamDestroy(stream);
            JCudaDriver.cuMemFreeHost(staging);
            for (CUmodule m : modules) JCudaDriver.cuModuleUnload(m);
        } finally {
            JCudaDriver.cuDevicePrimaryCtxRelease(device);
        }
    }
}
