package io.minkstream.gpu;

import io.minkstream.gpu.device.Device;
import io.minkstream.gpu.device.DeviceBuffer;
import io.minkstream.gpu.device.Kernel;
import io.minkstream.gpu.device.KernelArgs;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A CUDA device emulated on the CPU: the process {@code kernel_server} (gpu/src/test/cuda), built
 * by the Maven build from the unchanged .cu kernels with g++, once plain, once with ASan + UBSan
 * and once with TSan. Device memory is host memory of that process; launches run the kernels
 * with the emulation header's launcher ({@code hostThreads} host threads per block, 1 = serial).
 * The server checks every launch's argument types against the kernels' C signatures and every
 * pointer against its live allocations; {@link #close()} fails if a sanitizer reported anything
 * (including leaked device memory, through LeakSanitizer).
 */
final class EmulatedDevice implements Device {

    enum Build {
        PLAIN("plain"), ASAN("asan"), TSAN("tsan");

        final String dir;

        Build(String dir) {
            this.dir = dir;
        }
    }

    private final Build build;
    private final int hostThreads;
    private final Process process;
    private final Path stderr;
    private final OutputStream out;
    private final DataInputStream in;
    private final byte[] word = new byte[8];
    private long launches;
    private boolean closed;
    private boolean lost;

    EmulatedDevice(Build build, int hostThreads) {
        this.build = build;
        this.hostThreads = hostThreads;
        Path binary = binary(build);
        try {
            stderr = Files.createTempFile("kernel_server-" + build.dir + "-", ".stderr");
            ProcessBuilder pb = new ProcessBuilder(binary.toString(), Integer.toString(hostThreads));
            pb.redirectError(stderr.toFile());
            pb.environment().put("ASAN_OPTIONS", "halt_on_error=1:detect_leaks=1:abort_on_error=0");
            pb.environment().put("UBSAN_OPTIONS", "halt_on_error=1:print_stacktrace=1");
            pb.environment().put("TSAN_OPTIONS", "halt_on_error=1:exitcode=66");
            process = pb.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + binary + ": " + e.getMessage(), e);
        }
        out = new BufferedOutputStream(process.getOutputStream(), 1 << 16);
        in = new DataInputStream(new BufferedInputStream(process.getInputStream(), 1 << 16));
    }

    /** The emulation binary of a build; fails with the reason when the Maven build could not make it. */
    static Path binary(Build build) {
        Path dir = Paths.get(System.getProperty("cuda.emulation.dir", "target/cuda-emulation"));
        Path unavailable = dir.resolve("UNAVAILABLE");
        if (Files.exists(unavailable)) {
            try {
                throw new AssertionError("the CUDA emulation was not built: " + Files.readString(unavailable).trim());
            } catch (IOException e) {
                throw new AssertionError("the CUDA emulation was not built (see " + unavailable + ")");
            }
        }
        Path binary = dir.resolve(build.dir).resolve("kernel_server");
        if (!Files.isExecutable(binary)) {
            throw new AssertionError("missing " + binary + ": run the Maven build (test-compile runs gpu/src/test/cuda/build-emulation.sh), "
                    + "or run that script with " + dir);
        }
        return binary;
    }

    @Override
    public String name() {
        return "emulated(" + build.dir + ", " + (hostThreads == 1 ? "serial" : hostThreads + " host threads per block") + ")";
    }

    long launches() {
        return launches;
    }

    @Override
    public void bind() {
    }

    @Override
    public DeviceBuffer allocate(long bytes) {
        ByteBuffer req = request('A', 8);
        req.putLong(bytes);
        send(req);
        status("allocate " + bytes);
        long address = readLong();
        return new DeviceBuffer(address, bytes, null);
    }

    @Override
    public void free(DeviceBuffer buffer) {
        ByteBuffer req = request('F', 8);
        req.putLong(buffer.address());
        send(req);
        status("free " + buffer);
    }

    @Override
    public void copyToDevice(DeviceBuffer dst, long dstByteOffset, float[] src, int from, int count) {
        ByteBuffer req = request('W', 16 + 4L * count);
        req.putLong(dst.address() + dstByteOffset).putLong(4L * count);
        req.asFloatBuffer().put(src, from, count);
        req.position(req.position() + 4 * count);
        send(req);
        status("copy to " + dst);
    }

    @Override
    public void copyToDevice(DeviceBuffer dst, long dstByteOffset, int[] src, int from, int count) {
        ByteBuffer req = request('W', 16 + 4L * count);
        req.putLong(dst.address() + dstByteOffset).putLong(4L * count);
        req.asIntBuffer().put(src, from, count);
        req.position(req.position() + 4 * count);
        send(req);
        status("copy to " + dst);
    }

    @Override
    public void copyFromDevice(DeviceBuffer src, long srcByteOffset, float[] dst, int from, int count) {
        ByteBuffer data = read(src, srcByteOffset, count);
        data.asFloatBuffer().get(dst, from, count);
    }

    @Override
    public void copyFromDevice(DeviceBuffer src, long srcByteOffset, int[] dst, int from, int count) {
        ByteBuffer data = read(src, srcByteOffset, count);
        data.asIntBuffer().get(dst, from, count);
    }

    private ByteBuffer read(DeviceBuffer src, long byteOffset, int count) {
        ByteBuffer req = request('R', 16);
        req.putLong(src.address() + byteOffset).putLong(4L * count);
        send(req);
        status("copy from " + src);
        byte[] data = new byte[4 * count];
        try {
            in.readFully(data);
        } catch (IOException e) {
            throw lost("copy from " + src, e);
        }
        return ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public void fill32(DeviceBuffer dst, int value, long count) {
        ByteBuffer req = request('S', 20);
        req.putLong(dst.address()).putLong(count).putInt(value);
        send(req);
        status("fill " + dst);
    }

    @Override
    public void launch(Kernel kernel, int grid, int block, KernelArgs args) {
        kernel.check(grid, block, args);
        byte[] name = kernel.symbol().getBytes(StandardCharsets.US_ASCII);
        ByteBuffer req = request('L', 2 + name.length + 24 + 4 + 9L * args.size());
        req.putShort((short) name.length).put(name);
        req.putInt(grid).putInt(1).putInt(1).putInt(block).putInt(1).putInt(1);
        req.putInt(args.size());
        for (int i = 0; i < args.size(); i++) {
            char type = args.type(i);
            req.put((byte) type);
            if (type == 'P') {
                DeviceBuffer b = args.buffer(i);
                req.putLong(b == null ? 0L : b.address() + args.value(i));
            } else {
                req.putLong(args.value(i));
            }
        }
        send(req);
        status("launch " + kernel.symbol());
        launches++;
    }

    @Override
    public void synchronize() {
    }

    /** Launches per kernel so far, as the server counted them. */
    java.util.Map<String, Long> launchCounts() {
        send(request('C', 0));
        status("launch counts");
        try {
            int n = Integer.reverseBytes(in.readInt());
            java.util.Map<String, Long> counts = new java.util.TreeMap<>();
            for (int i = 0; i < n; i++) {
                int len = Short.toUnsignedInt(Short.reverseBytes(in.readShort()));
                byte[] b = new byte[len];
                in.readFully(b);
                counts.put(new String(b, StandardCharsets.US_ASCII), Long.reverseBytes(in.readLong()));
            }
            return counts;
        } catch (IOException e) {
            throw lost("launch counts", e);
        }
    }

    /** Kills the emulator, as a GPU that falls off the bus: every later call fails. */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lost = true;
        closed = true;
    }

    /** The kernels the server knows, to check against {@link Kernel}. */
    List<String> kernelNames() {
        send(request('K', 0));
        status("list kernels");
        try {
            int n = Integer.reverseBytes(in.readInt());
            List<String> names = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int len = Short.toUnsignedInt(Short.reverseBytes(in.readShort()));
                byte[] b = new byte[len];
                in.readFully(b);
                names.add(new String(b, StandardCharsets.US_ASCII));
            }
            return names;
        } catch (IOException e) {
            throw lost("list kernels", e);
        }
    }

    /**
     * Stops the server and fails if it did not exit cleanly: a sanitizer report (memory error,
     * data race, undefined behaviour, leaked device memory) makes it exit non-zero.
     */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        int exit;
        try {
            send(request('Q', 0));
            status("quit");
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(name() + " did not exit\n" + stderrText());
            }
            exit = process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new AssertionError("interrupted while stopping " + name(), e);
        } catch (RuntimeException e) {
            process.destroyForcibly();
            throw new AssertionError(name() + " failed while stopping: " + e.getMessage() + "\n" + stderrText(), e);
        }
        String err = stderrText();
        if (exit != 0 || err.contains("Sanitizer") || err.contains("runtime error") || err.contains("cuda_emulation:")) {
            throw new AssertionError(name() + " exited with " + exit + ":\n" + err);
        }
    }

    private String stderrText() {
        try {
            String s = Files.readString(stderr);
            return s.length() > 20000 ? s.substring(0, 20000) + "\n[... truncated, full report in " + stderr + "]" : s;
        } catch (IOException e) {
            return "(stderr unreadable: " + e.getMessage() + ")";
        }
    }

    private ByteBuffer request(char op, long payload) {
        if (payload > Integer.MAX_VALUE - 16) throw new IllegalArgumentException("request too large: " + payload + " bytes");
        ByteBuffer b = ByteBuffer.allocate(1 + (int) payload).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) op);
        return b;
    }

    private void send(ByteBuffer b) {
        if (lost) throw new EmulatorException(name() + " is gone");
        if (closed && b.get(0) != 'Q') throw new IllegalStateException(name() + " is closed");
        try {
            out.write(b.array(), 0, b.position());
            out.flush();
        } catch (IOException e) {
            throw lost("send", e);
        }
    }

    private void status(String what) {
        try {
            int s = in.read();
            if (s < 0) throw lost(what, new IOException("end of stream"));
            if (s != 0) {
                int len = Short.toUnsignedInt(Short.reverseBytes(in.readShort()));
                byte[] msg = new byte[len];
                in.readFully(msg);
                throw new EmulatorException(name() + ": " + what + ": " + new String(msg, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw lost(what, e);
        }
    }

    private long readLong() {
        try {
            in.readFully(word);
            return ByteBuffer.wrap(word).order(ByteOrder.LITTLE_ENDIAN).getLong();
        } catch (IOException e) {
            throw lost("read", e);
        }
    }

    private EmulatorException lost(String what, IOException e) {
        if (lost) return new EmulatorException(name() + " is gone (see the first failure of this run for its report)");
        lost = true;
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
        String exit = process.isAlive() ? "still running" : "exit code " + process.exitValue();
        return new EmulatorException(name() + " lost during " + what + " (" + exit + "): " + e.getMessage() + "\n" + stderrText());
    }

    /** A failure reported by, or the loss of, the emulator process. */
    static final class EmulatorException extends RuntimeException {
        EmulatorException(String message) {
            super(message);
        }
    }
}
