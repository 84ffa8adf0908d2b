// Shared definitions of the minkstream CUDA kernels (one .cu file per engine family).
//
// Every kernel is `extern "C" __global__` so that the JCuda backend finds it by its plain name, and
// every kernel loops grid-stride over its work items, so any grid size is correct and the host may
// cap the grid. Kernels that use __shared__ tiles and __syncthreads() keep their loop bounds uniform
// across the block (they depend only on blockIdx, gridDim and shared values).
//
// The same sources compile with g++ through gpu/src/test/cuda/cuda_emulation.h, which defines the
// CUDA built-ins on the host; nothing here may use warp intrinsics or dynamic shared memory.
#ifndef MINKSTREAM_CUDA_H
#define MINKSTREAM_CUDA_H

// Coordinates are rows of `width` = 1 + D int32 values (batch index first). A coordinate map is
// hashed on a packed 64-bit key: axis a is stored as (c[a] - min[a]) << shift[a] in just enough
// bits for its range, as the engine's PackedCoordinateIndex does. The packing of a map is a small
// int array `pack` of 3 * width values: min[0..width), max[0..width), shift[0..width).
// Keys never use bit 63, so the all-ones word marks an empty slot.
#define MS_EMPTY_KEY 0xFFFFFFFFFFFFFFFFull
#define MS_NO_ROW 0x7FFFFFFF
#define MS_GOLDEN 0x9E3779B97F4A7C15ull

// Launch shapes the host must use for the kernels that tile through shared memory.
#define MS_SCAN_THREADS 256
#define MS_SCAN_ITEMS 4
#define MS_CONV_THREADS 128
#define MS_CONV_TILE_ROWS 16   // fused path: output rows per tile
#define MS_CONV_TILE_PAIRS 32  // per-offset path: pairs per tile
#define MS_CONV_TILE_COUT 32
#define MS_CONV_TILE_CIN 32
#define MS_REDUCE_THREADS 256

// Pooling modes, in the order of the engine's PoolMode enum.
#define MS_POOL_MAX 0
#define MS_POOL_AVG 1
#define MS_POOL_SUM 2

// Activations, in the order of the engine's Activation.Kind enum.
#define MS_ACT_IDENTITY 0
#define MS_ACT_RELU 1
#define MS_ACT_LEAKY_RELU 2
#define MS_ACT_ELU 3
#define MS_ACT_SIGMOID 4
#define MS_ACT_TANH 5
#define MS_ACT_GELU 6

__device__ __forceinline__ int ms_min_int(int a, int b) { return a < b ? a : b; }

__device__ __forceinline__ unsigned int ms_slot(unsigned long long key, int log2Capacity) {
    return (unsigned int) ((key * MS_GOLDEN) >> (64 - log2Capacity));
}

// The packed key of a stored row; the row must lie inside the packing's ranges.
__device__ __forceinline__ unsigned long long ms_pack_row(const int* c, int width, const int* pack) {
    unsigned long long key = 0;
    for (int a = 0; a < width; a++) {
        key |= (unsigned long long) ((long long) c[a] - pack[a]) << pack[2 * width + a];
    }
    return key;
}

// The packed key of c + sign * offset (the batch index is never offset); false when a value falls
// outside the map's range on some axis, which is a miss without probing.
__device__ __forceinline__ bool ms_pack_shifted(const int* c, const int* offset, int sign, int width, const int* pack,
                                                unsigned long long* key) {
    long long b = c[0];
    if (b < pack[0] || b > pack[width]) return false;
    unsigned long long k = (unsigned long long) (b - pack[0]) << pack[2 * width];
    for (int a = 1; a < width; a++) {
        long long v = (long long) c[a] + (long long) sign * offset[a - 1];
        if (v < pack[a] || v > pack[width + a]) return false;
        k |= (unsigned long long) (v - pack[a]) << pack[2 * width + a];
    }
    *key = k;
    return true;
}

// Linear probing lookup; MS_NO_ROW when absent.
__device__ __forceinline__ int ms_probe(unsigned long long key, const unsigned long long* keys, const int* values,
                                        int log2Capacity) {
    unsigned int mask = (1u << log2Capacity) - 1u;
    unsigned int slot = ms_slot(key, log2Capacity);
    while (true) {
        unsigned long long k = keys[slot];
        if (k == key) return values[slot];
        if (k == MS_EMPTY_KEY) return MS_NO_ROW;
        slot = (slot + 1u) & mask;
    }
}

__device__ __forceinline__ long long ms_grid_stride() { return (long long) blockDim.x * gridDim.x; }

__device__ __forceinline__ long long ms_global_thread() { return (long long) blockIdx.x * blockDim.x + threadIdx.x; }

#endif
