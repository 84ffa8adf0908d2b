package io.minkstream.gpu.device;

/**
 * Every kernel of {@code gpu/src/main/cuda}: the module (the .cu file, shipped as
 * {@code kernels/<module>.ptx} and {@code .fatbin}) that holds it, its C signature as argument
 * types ('P' pointer, 'I' int, 'J' long long, 'F' float), and the block size it must be launched
 * with where it tiles through shared memory (0: any).
 */
public enum Kernel {
    COORDINATE_HASH_CLEAR(Module.COORDINATE_HASH, "coordinate_hash_clear", "PPI", 0),
    COORDINATE_HASH_INSERT(Module.COORDINATE_HASH, "coordinate_hash_insert", "PIIPPPI", 0),
    COORDINATE_HASH_LOOKUP(Module.COORDINATE_HASH, "coordinate_hash_lookup", "PIIPPPIP", 0),
    COORDINATE_FIRST_OCCURRENCE(Module.COORDINATE_HASH, "coordinate_first_occurrence", "PIIPPPIP", 0),
    COORDINATE_COMPACT(Module.COORDINATE_HASH, "coordinate_compact", "PIIPPP", 0),

    KERNEL_MAP_LOOKUP(Module.KERNEL_MAP, "kernel_map_lookup", "PIIPIIPPPIP", 0),
    KERNEL_MAP_COUNT(Module.KERNEL_MAP, "kernel_map_count", "PIIP", 0),
    KERNEL_MAP_FILL(Module.KERNEL_MAP, "kernel_map_fill", "PIIPPP", 0),
    KERNEL_MAP_OFFSET_FLAGS(Module.KERNEL_MAP, "kernel_map_offset_flags", "PIIP", 0),
    KERNEL_MAP_OFFSET_FILL(Module.KERNEL_MAP, "kernel_map_offset_fill", "PIIPPP", 0),
    KERNEL_MAP_OFFSET_STARTS(Module.KERNEL_MAP, "kernel_map_offset_starts", "PIIP", 0),
    SCAN_EXCLUSIVE_TILES(Module.KERNEL_MAP, "scan_exclusive_tiles", "PPJP", Kernel.SCAN_THREADS),
    SCAN_ADD_TILE_OFFSETS(Module.KERNEL_MAP, "scan_add_tile_offsets", "PJJP", 0),
    COORDINATE_STRIDE(Module.KERNEL_MAP, "coordinate_stride", "PIIPP", 0),
    COORDINATE_GENERATE(Module.KERNEL_MAP, "coordinate_generate", "PIIPIP", 0),

    CONVOLUTION_INIT_OUTPUT(Module.CONVOLUTION, "convolution_init_output", "PIIP", 0),
    CONVOLUTION_FUSED(Module.CONVOLUTION, "convolution_fused", "PIPIPPPPIP", Kernel.CONV_THREADS),
    CONVOLUTION_OFFSET_BATCHED(Module.CONVOLUTION, "convolution_offset_batched", "PIPIPPIPPP", Kernel.CONV_THREADS),
    CONVOLUTION_CHANNELWISE(Module.CONVOLUTION, "convolution_channelwise", "PIPPPPPIP", 0),

    POOLING_ROWS(Module.POOLING, "pooling_rows", "IPIPPIP", 0),
    POOLING_SEGMENTS(Module.POOLING, "pooling_segments", "IPIPPIP", Kernel.REDUCE_THREADS),

    SCALE_SHIFT_ACTIVATE(Module.POINTWISE, "scale_shift_activate", "PJIPPIFP", 0),
    CONCATENATE_COLUMNS(Module.POINTWISE, "concatenate_columns", "PIIPII", 0);

    /** MS_SCAN_THREADS, MS_SCAN_ITEMS, MS_CONV_*, MS_REDUCE_THREADS of minkstream_cuda.h. */
    public static final int SCAN_THREADS = 256;
    public static final int SCAN_ITEMS = 4;
    public static final int CONV_THREADS = 128;
    public static final int CONV_TILE_ROWS = 16;
    public static final int CONV_TILE_PAIRS = 32;
    public static final int CONV_TILE_COUT = 32;
    public static final int REDUCE_THREADS = 256;

    /** The .cu files; each is one CUDA module. */
    public enum Module {
        COORDINATE_HASH("coordinate_hash"),
        KERNEL_MAP("kernel_map"),
        CONVOLUTION("convolution"),
        POOLING("pooling"),
        POINTWISE("pointwise");

        private final String fileName;

        Module(String fileName) {
            this.fileName = fileName;
        }

        /** The base name of the .cu source and of its .ptx/.fatbin resources. */
        public String fileName() {
            return fileName;
        }
    }

    private final Module module;
    private final String symbol;
    private final String signature;
    private final int requiredBlock;

    Kernel(Module module, String symbol, String signature, int requiredBlock) {
        this.module = module;
        this.symbol = symbol;
        this.signature = signature;
        this.requiredBlock = requiredBlock;
    }

    public Module module() {
        return module;
    }

    /** The extern "C" name in the module. */
    public String symbol() {
        return symbol;
    }

    public String signature() {
        return signature;
    }

    /** The block size this kernel must be launched with, or 0 when any size works. */
    public int requiredBlock() {
        return requiredBlock;
    }

    /** Throws when the arguments or the block size do not fit this kernel. */
    public void check(int grid, int block, KernelArgs args) {
        if (!signature.equals(args.signature())) {
            throw new IllegalArgumentException(symbol + " takes arguments " + signature + ", got " + args.signature());
        }
        if (requiredBlock != 0 && block != requiredBlock) {
            throw new IllegalArgumentException(symbol + " must be launched with " + requiredBlock + " threads per block, got " + block);
        }
        if (grid < 1 || block < 1 || block > 1024) {
            throw new IllegalArgumentException(symbol + ": invalid launch shape grid " + grid + " x block " + block);
        }
    }
}
