package io.minkstream.gpu.internal;

import io.minkstream.gpu.device.Device;
import io.minkstream.gpu.device.DeviceBuffer;
import io.minkstream.gpu.device.Kernel;
import io.minkstream.gpu.device.KernelArgs;

/**
 * Typed launches of the kernels, one method per kernel with the C signature's argument order, and
 * the launch shapes: every kernel loops grid-stride, so the grid is the work divided by the block
 * size, capped at {@code maxBlocks}.
 */
public final class KernelLauncher {
    private static final int BLOCK = 256;

    private final Device device;
    private final DeviceMemoryPool pool;
    private final int maxBlocks;
    private long launches;

    public KernelLauncher(Device device, DeviceMemoryPool pool, int maxBlocks) {
        this.device = device;
        this.pool = pool;
        this.maxBlocks = maxBlocks;
    }

    public long launches() {
        return launches;
    }

    private void launch(Kernel kernel, long work, KernelArgs args) {
        int block = kernel.requiredBlock() != 0 ? kernel.requiredBlock() : BLOCK;
        long blocks = Math.max(1, (work + block - 1) / block);
        device.launch(kernel, (int) Math.min(blocks, maxBlocks), block, args);
        launches++;
    }

    /** A kernel whose blocks take whole work items (tiles) in a block-stride loop. */
    private void launchItems(Kernel kernel, long items, KernelArgs args) {
        device.launch(kernel, (int) Math.max(1, Math.min(items, maxBlocks)), kernel.requiredBlock(), args);
        launches++;
    }

    // ---- coordinate_hash.cu ----

    public void hashClear(DeviceBuffer keys, DeviceBuffer values, int capacity) {
        launch(Kernel.COORDINATE_HASH_CLEAR, capacity, new KernelArgs().ptr(keys).ptr(values).i32(capacity));
    }

    public void hashInsert(DeviceBuffer coords, int n, int width, DeviceBuffer pack, DeviceBuffer keys, DeviceBuffer values, int log2Capacity) {
        launch(Kernel.COORDINATE_HASH_INSERT, n,
                new KernelArgs().ptr(coords).i32(n).i32(width).ptr(pack).ptr(keys).ptr(values).i32(log2Capacity));
    }

    public void hashLookup(DeviceBuffer queries, int n, int width, DeviceCoordinateMap map, DeviceBuffer rows) {
        launch(Kernel.COORDINATE_HASH_LOOKUP, n, new KernelArgs().ptr(queries).i32(n).i32(width).ptr(map.pack).ptr(map.keys)
                .ptr(map.values).i32(map.log2Capacity).ptr(rows));
    }

    public void firstOccurrence(DeviceBuffer coords, int n, int width, DeviceBuffer pack, DeviceBuffer keys, DeviceBuffer values,
                                int log2Capacity, DeviceBuffer flags) {
        launch(Kernel.COORDINATE_FIRST_OCCURRENCE, n,
                new KernelArgs().ptr(coords).i32(n).i32(width).ptr(pack).ptr(keys).ptr(values).i32(log2Capacity).ptr(flags));
    }

    public void compact(DeviceBuffer coords, int n, int width, DeviceBuffer flags, DeviceBuffer positions, DeviceBuffer unique) {
        launch(Kernel.COORDINATE_COMPACT, n, new KernelArgs().ptr(coords).i32(n).i32(width).ptr(flags).ptr(positions).ptr(unique));
    }

    // ---- kernel_map.cu ----

    public void kernelMapLookup(DeviceBuffer outCoords, int nOut, int width, DeviceBuffer offsets, int kernelVolume, int sign,
                                DeviceCoordinateMap in, DeviceBuffer found) {
        launch(Kernel.KERNEL_MAP_LOOKUP, (long) nOut * kernelVolume, new KernelArgs().ptr(outCoords).i32(nOut).i32(width).ptr(offsets)
                .i32(kernelVolume).i32(sign).ptr(in.pack).ptr(in.keys).ptr(in.values).i32(in.log2Capacity).ptr(found));
    }

    public void kernelMapCount(DeviceBuffer found, int nOut, int kernelVolume, DeviceBuffer counts) {
        launch(Kernel.KERNEL_MAP_COUNT, nOut + 1L, new KernelArgs().ptr(found).i32(nOut).i32(kernelVolume).ptr(counts));
    }

    public void kernelMapFill(DeviceBuffer found, int nOut, int kernelVolume, DeviceBuffer outStart, DeviceBuffer kernelIndex,
                              DeviceBuffer inRow) {
        launch(Kernel.KERNEL_MAP_FILL, nOut,
                new KernelArgs().ptr(found).i32(nOut).i32(kernelVolume).ptr(outStart).ptr(kernelIndex).ptr(inRow));
    }

    public void kernelMapOffsetFlags(DeviceBuffer found, int nOut, int kernelVolume, DeviceBuffer flags) {
        launch(Kernel.KERNEL_MAP_OFFSET_FLAGS, (long) nOut * kernelVolume + 1,
                new KernelArgs().ptr(found).i32(nOut).i32(kernelVolume).ptr(flags));
    }

    public void kernelMapOffsetFill(DeviceBuffer found, int nOut, int kernelVolume, DeviceBuffer positions, DeviceBuffer offsetIn,
                                    DeviceBuffer offsetOut) {
        launch(Kernel.KERNEL_MAP_OFFSET_FILL, (long) nOut * kernelVolume,
                new KernelArgs().ptr(found).i32(nOut).i32(kernelVolume).ptr(positions).ptr(offsetIn).ptr(offsetOut));
    }

    public void kernelMapOffsetStarts(DeviceBuffer positions, int nOut, int kernelVolume, DeviceBuffer offsetStart) {
        launch(Kernel.KERNEL_MAP_OFFSET_STARTS, kernelVolume + 1L,
                new KernelArgs().ptr(positions).i32(nOut).i32(kernelVolume).ptr(offsetStart));
    }

    public void stride(DeviceBuffer coords, int n, int width, DeviceBuffer outStride, DeviceBuffer floored) {
        launch(Kernel.COORDINATE_STRIDE, n, new KernelArgs().ptr(coords).i32(n).i32(width).ptr(outStride).ptr(floored));
    }

    public void generate(DeviceBuffer coords, int n, int width, DeviceBuffer offsets, int kernelVolume, DeviceBuffer generated) {
        launch(Kernel.COORDINATE_GENERATE, (long) n * kernelVolume,
                new KernelArgs().ptr(coords).i32(n).i32(width).ptr(offsets).i32(kernelVolume).ptr(generated));
    }

    /** out[i] = sum of in[0..i) for i in [0, n): tiles, then (for several tiles) a scan of the tile sums. */
    public void exclusiveScan(DeviceBuffer in, DeviceBuffer out, long n) {
        if (n == 0) return;
        long tileSize = (long) Kernel.SCAN_THREADS * Kernel.SCAN_ITEMS;
        long tiles = (n + tileSize - 1) / tileSize;
        try (Scratch scratch = new Scratch(pool)) {
            DeviceBuffer sums = scratch.ints(tiles);
            launchItems(Kernel.SCAN_EXCLUSIVE_TILES, tiles, new KernelArgs().ptr(in).ptr(out).i64(n).ptr(sums));
            if (tiles > 1) {
                DeviceBuffer offsets = scratch.ints(tiles);
                exclusiveScan(sums, offsets, tiles);
                launch(Kernel.SCAN_ADD_TILE_OFFSETS, n, new KernelArgs().ptr(out).i64(n).i64(tileSize).ptr(offsets));
            }
        }
    }

    // ---- convolution.cu ----

    public void convolutionInitOutput(DeviceBuffer out, int nOut, int cOut, DeviceBuffer bias) {
        launch(Kernel.CONVOLUTION_INIT_OUTPUT, (long) nOut * cOut, new KernelArgs().ptr(out).i32(nOut).i32(cOut).ptr(bias));
    }

    public void convolutionFused(DeviceBuffer in, int cIn, DeviceBuffer weights, int cOut, DeviceBuffer bias, DeviceKernelMap map,
                                 DeviceBuffer out) {
        long rowTiles = ((long) map.outSize + Kernel.CONV_TILE_ROWS - 1) / Kernel.CONV_TILE_ROWS;
        long coTiles = (cOut + Kernel.CONV_TILE_COUT - 1) / Kernel.CONV_TILE_COUT;
        launchItems(Kernel.CONVOLUTION_FUSED, rowTiles * coTiles, new KernelArgs().ptr(in).i32(cIn).ptr(weights).i32(cOut).ptr(bias)
                .ptr(map.outStart).ptr(map.kernelIndex).ptr(map.inRow).i32(map.outSize).ptr(out));
    }

    public void convolutionOffsetBatched(DeviceBuffer in, int cIn, DeviceBuffer weights, int cOut, DeviceKernelMap map, DeviceBuffer out) {
        long coTiles = (cOut + Kernel.CONV_TILE_COUT - 1) / Kernel.CONV_TILE_COUT;
        launchItems(Kernel.CONVOLUTION_OFFSET_BATCHED, (long) map.tiles * coTiles, new KernelArgs().ptr(in).i32(cIn).ptr(weights)
                .i32(cOut).ptr(map.offsetStart).ptr(map.tileStart).i32(map.kernelVolume).ptr(map.offsetIn).ptr(map.offsetOut).ptr(out));
    }

    public void convolutionChannelwise(DeviceBuffer in, int channels, DeviceBuffer weights, DeviceBuffer bias, DeviceKernelMap map,
                                       DeviceBuffer out) {
        launch(Kernel.CONVOLUTION_CHANNELWISE, (long) map.outSize * channels, new KernelArgs().ptr(in).i32(channels).ptr(weights)
                .ptr(bias).ptr(map.outStart).ptr(map.kernelIndex).ptr(map.inRow).i32(map.outSize).ptr(out));
    }

    // ---- pooling.cu ----

    public void poolingRows(int mode, DeviceBuffer in, int channels, DeviceKernelMap map, DeviceBuffer out) {
        launch(Kernel.POOLING_ROWS, (long) map.outSize * channels,
                new KernelArgs().i32(mode).ptr(in).i32(channels).ptr(map.outStart).ptr(map.inRow).i32(map.outSize).ptr(out));
    }

    public void poolingSegments(int mode, DeviceBuffer in, int channels, DeviceKernelMap map, DeviceBuffer out) {
        launchItems(Kernel.POOLING_SEGMENTS, (long) map.outSize * channels,
                new KernelArgs().i32(mode).ptr(in).i32(channels).ptr(map.outStart).ptr(map.inRow).i32(map.outSize).ptr(out));
    }

    // ---- pointwise.cu ----

    public void scaleShiftActivate(DeviceBuffer x, long n, int channels, DeviceBuffer scale, DeviceBuffer shift, int activation,
                                   float parameter, DeviceBuffer out) {
        launch(Kernel.SCALE_SHIFT_ACTIVATE, n,
                new KernelArgs().ptr(x).i64(n).i32(channels).ptr(scale).ptr(shift).i32(activation).f32(parameter).ptr(out));
    }

    public void concatenateColumns(DeviceBuffer src, int rows, int cSrc, DeviceBuffer dst, int cDst, int at) {
        launch(Kernel.CONCATENATE_COLUMNS, (long) rows * cSrc, new KernelArgs().ptr(src).i32(rows).i32(cSrc).ptr(dst).i32(cDst).i32(at));
    }
}
