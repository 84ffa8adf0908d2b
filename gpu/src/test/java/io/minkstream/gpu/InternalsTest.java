package io.minkstream.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.minkstream.gpu.device.Device;
import io.minkstream.gpu.device.DeviceBuffer;
import io.minkstream.gpu.device.Kernel;
import io.minkstream.gpu.device.KernelArgs;
import io.minkstream.gpu.internal.DeviceMemoryPool;
import io.minkstream.gpu.internal.IdentityCache;
import io.minkstream.gpu.internal.KeyPacking;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/** The pool, the identity cache, key packing and launch argument checks, without any device. */
class InternalsTest {

    /** Counts allocations; launches are not expected. */
    private static final class CountingDevice implements Device {
        int allocations;
        int frees;

        @Override public String name() { return "counting"; }
        @Override public void bind() { }
        @Override public DeviceBuffer allocate(long bytes) { allocations++; return new DeviceBuffer(allocations, bytes, null); }
        @Override public void free(DeviceBuffer buffer) { frees++; }
        @Override public void copyToDevice(DeviceBuffer dst, long off, float[] src, int from, int count) { }
        @Override public void copyToDevice(DeviceBuffer dst, long off, int[] src, int from, int count) { }
        @Override public void copyFromDevice(DeviceBuffer src, long off, float[] dst, int from, int count) { }
        @Override public void copyFromDevice(DeviceBuffer src, long off, int[] dst, int from, int count) { }
        @Override public void fill32(DeviceBuffer dst, int value, long count) { }
        @Override public void launch(Kernel kernel, int grid, int block, KernelArgs args) { throw new UnsupportedOperationException(); }
        @Override public void synchronize() { }
        @Override public void close() { }
    }

    @Test
    void poolReusesSizeClasses() {
        CountingDevice d = new CountingDevice();
        DeviceMemoryPool pool = new DeviceMemoryPool(d, true);
        DeviceBuffer a = pool.acquire(1000);
        assertEquals(1024, a.bytes());
        pool.release(a);
        DeviceBuffer b = pool.acquire(600);
        assertThat(b).isSameAs(a);
        assertEquals(512, pool.acquire(3).bytes());
        assertEquals(2, d.allocations);
        assertEquals(1, pool.reuses());
        assertEquals(2, pool.buffersInUse());
        pool.release(b);
        pool.close();
        assertEquals(1, d.frees);
    }

    @Test
    void exactPoolAllocatesRequestedSizes() {
        CountingDevice d = new CountingDevice();
        DeviceMemoryPool pool = new DeviceMemoryPool(d, false);
        DeviceBuffer a = pool.acquire(1001);
        assertEquals(1004, a.bytes());
        pool.release(a);
        assertThat(pool.acquire(1004)).isSameAs(a);
        assertThat(pool.acquire(1000).bytes()).isEqualTo(1000);
    }

    @Test
    void identityCacheIsBoundedAndKeyedByIdentity() {
        List<String> released = new ArrayList<>();
        IdentityCache<int[], String> cache = new IdentityCache<>(10, v -> 4, released::add);
        int[] k1 = {1};
        int[] k2 = {1};
        int[] k3 = {1};
        cache.put(k1, "a");
        cache.put(k2, "b");
        assertEquals("a", cache.get(k1));
        assertEquals("b", cache.get(k2));
        cache.put(k3, "c");  // 12 bytes > 10: evicts the least recently used (k1)
        assertNull(cache.get(k1));
        assertEquals(List.of("a"), released);
        assertEquals(8, cache.bytes());
        cache.put(k2, "b");  // same value again: no release
        assertEquals(List.of("a"), released);
        cache.clear();
        assertThat(released).containsExactlyInAnyOrder("a", "b", "c");
    }

    @Test
    void keyPackingUsesJustEnoughBits() {
        int[] rows = {0, -10, 5, 1, 7, 5};  // width 3: ranges 1, 17, 0
        KeyPacking p = KeyPacking.of(rows, 2, 3);
        // shifts from the last column: c2 needs 0 bits, c1 5 bits (range 17), c0 1 bit
        Assertions.assertThat(p.toArray()).containsExactly(0, -10, 5, 1, 7, 5, 5, 0, 0);
        assertNull(KeyPacking.ofRanges(new long[] {0, Integer.MIN_VALUE, Integer.MIN_VALUE},
                new long[] {1, Integer.MAX_VALUE, Integer.MAX_VALUE}), "65 bits do not fit");
        assertNull(KeyPacking.ofRanges(new long[] {0, 0}, new long[] {0, Integer.MAX_VALUE + 1L}), "outside int");
    }

    /** The kernels take PoolMode and Activation.Kind as ordinals (MS_POOL_*, MS_ACT_* in minkstream_cuda.h). */
    @Test
    void engineEnumsKeepTheOrderTheKernelsAssume() {
        Assertions.assertThat(io.minkstream.engine.backend.PoolMode.values()).extracting(Enum::name).containsExactly("MAX", "AVG", "SUM");
        Assertions.assertThat(io.minkstream.engine.backend.Activation.Kind.values()).extracting(Enum::name)
                .containsExactly("IDENTITY", "RELU", "LEAKY_RELU", "ELU", "SIGMOID", "TANH", "GELU");
    }

    @Test
    void launchArgumentsAreCheckedAgainstTheKernelSignature() {
        KernelArgs ok = new KernelArgs().ptr(null).ptr(null).i32(16);
        Kernel.COORDINATE_HASH_CLEAR.check(1, 256, ok);
        Assertions.assertThatThrownBy(() -> Kernel.COORDINATE_HASH_CLEAR.check(1, 256, new KernelArgs().ptr(null).i32(16)))
                .hasMessageContaining("coordinate_hash_clear takes arguments PPI, got PI");
        Assertions.assertThatThrownBy(() -> Kernel.CONVOLUTION_FUSED.check(1, 256,
                new KernelArgs().ptr(null).i32(1).ptr(null).i32(1).ptr(null).ptr(null).ptr(null).ptr(null).i32(1).ptr(null)))
                .hasMessageContaining("must be launched with 128 threads per block");
    }
}
