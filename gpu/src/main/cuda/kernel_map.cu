// Kernel maps on the device, and the coordinates of strided and generative layers.
//
// A kernel map is built in passes that never depend on thread timing, so the result is the same
// CSR the engine's KernelMapBuilder returns, pair for pair:
//   1. kernel_map_lookup: for every (output row o, offset k) the input row of out[o] + sign * offset[k]
//      in the input map's hash table, or -1 (found[o * K + k]);
//   2. kernel_map_count + exclusive scan over outputs: the CSR row starts;
//   3. kernel_map_fill: each output row writes its pairs in ascending k;
//   4. (per-offset view) kernel_map_offset_flags + exclusive scan + kernel_map_offset_fill: the
//      pairs of offset k, ordered by output row, as the engine's KernelMap.inRows(k)/outRows(k).
// Exclusive scans run as scan_exclusive_tiles (one tile of MS_SCAN_THREADS * MS_SCAN_ITEMS values
// per block iteration) plus, for more than one tile, a scan of the tile sums and scan_add_tile_offsets.
#include "minkstream_cuda.h"

extern "C" __global__ void kernel_map_lookup(const int* outCoords, int nOut, int width, const int* offsets, int K,
                                             int sign, const int* pack, const unsigned long long* keys,
                                             const int* values, int log2Capacity, int* found) {
    long long total = (long long) nOut * K;
    for (long long i = ms_global_thread(); i < total; i += ms_grid_stride()) {
        long long o = i / K;
        int k = (int) (i - o * K);
        unsigned long long key;
        int row = MS_NO_ROW;
        if (ms_pack_shifted(outCoords + o * width, offsets + (long long) k * (width - 1), sign, width, pack, &key)) {
            row = ms_probe(key, keys, values, log2Capacity);
        }
        found[i] = row == MS_NO_ROW ? -1 : row;
    }
}

// counts[o] = pairs of output o; counts has nOut + 1 entries and counts[nOut] = 0, so that the
// exclusive scan of counts is the CSR outStart with the pair total in its last entry.
extern "C" __global__ void kernel_map_count(const int* found, int nOut, int K, int* counts) {
    for (long long o = ms_global_thread(); o <= nOut; o += ms_grid_stride()) {
        int c = 0;
        if (o < nOut) {
            for (int k = 0; k < K; k++) c += found[o * K + k] >= 0 ? 1 : 0;
        }
        counts[o] = c;
    }
}

extern "C" __global__ void kernel_map_fill(const int* found, int nOut, int K, const int* outStart, int* kernelIndex,
                                           int* inRow) {
    for (long long o = ms_global_thread(); o < nOut; o += ms_grid_stride()) {
        int p = outStart[o];
        for (int k = 0; k < K; k++) {
            int row = found[o * K + k];
            if (row >= 0) {
                kernelIndex[p] = k;
                inRow[p] = row;
                p++;
            }
        }
    }
}

// flags[k * nOut + o] = 1 when output o has a pair with offset k: offset-major, so one exclusive
// scan orders the pairs by (k, o). flags has K * nOut + 1 entries, the last one 0.
extern "C" __global__ void kernel_map_offset_flags(const int* found, int nOut, int K, int* flags) {
    long long total = (long long) nOut * K;
    for (long long i = ms_global_thread(); i <= total; i += ms_grid_stride()) {
        if (i == total) {
            flags[i] = 0;
            continue;
        }
        long long o = i / K;
        long long k = i - o * K;
        flags[k * nOut + o] = found[i] >= 0 ? 1 : 0;
    }
}

extern "C" __global__ void kernel_map_offset_fill(const int* found, int nOut, int K, const int* positions,
                                                  int* offsetIn, int* offsetOut) {
    long long total = (long long) nOut * K;
    for (long long i = ms_global_thread(); i < total; i += ms_grid_stride()) {
        int row = found[i];
        if (row >= 0) {
            long long o = i / K;
            long long k = i - o * K;
            int p = positions[k * nOut + o];
            offsetIn[p] = row;
            offsetOut[p] = (int) o;
        }
    }
}

// offsetStart[k] = first pair of offset k in the per-offset arrays (k in [0, K]).
extern "C" __global__ void kernel_map_offset_starts(const int* positions, int nOut, int K, int* offsetStart) {
    for (long long k = ms_global_thread(); k <= K; k += ms_grid_stride()) {
        offsetStart[k] = positions[k * nOut];
    }
}

// Exclusive scan of each tile of blockDim.x * MS_SCAN_ITEMS values; tileSums[t] = tile t's total.
// Launch with blockDim.x == MS_SCAN_THREADS.
extern "C" __global__ void scan_exclusive_tiles(const int* in, int* out, long long n, int* tileSums) {
    __shared__ int partial[MS_SCAN_THREADS];
    const int t = threadIdx.x;
    const long long tileSize = (long long) blockDim.x * MS_SCAN_ITEMS;
    const long long tiles = (n + tileSize - 1) / tileSize;
    for (long long tile = blockIdx.x; tile < tiles; tile += gridDim.x) {
        long long base = tile * tileSize + (long long) t * MS_SCAN_ITEMS;
        int v[MS_SCAN_ITEMS];
        int local = 0;
        for (int i = 0; i < MS_SCAN_ITEMS; i++) {
            v[i] = base + i < n ? in[base + i] : 0;
            local += v[i];
        }
        partial[t] = local;
        __syncthreads();
        // Hillis-Steele inclusive scan of the per-thread totals.
        for (int step = 1; step < (int) blockDim.x; step <<= 1) {
            int add = t >= step ? partial[t - step] : 0;
            __syncthreads();
            partial[t] += add;
            __syncthreads();
        }
        int running = t > 0 ? partial[t - 1] : 0;
        for (int i = 0; i < MS_SCAN_ITEMS; i++) {
            if (base + i < n) out[base + i] = running;
            running += v[i];
        }
        if (t == (int) blockDim.x - 1) tileSums[tile] = partial[t];
        __syncthreads();
    }
}

// data[i] += tileOffsets[i / tileSize]: turns per-tile scans into one scan.
extern "C" __global__ void scan_add_tile_offsets(int* data, long long n, long long tileSize, const int* tileOffsets) {
    for (long long i = ms_global_thread(); i < n; i += ms_grid_stride()) {
        data[i] += tileOffsets[i / tileSize];
    }
}

// floored[r] = [b, floor(c_a / s_a) * s_a ...] with floor toward -infinity (MinkowskiEngine's
// strided output rule); unique() of these rows is the output map of a strided layer.
extern "C" __global__ void coordinate_stride(const int* coords, int n, int width, const int* outStride, int* floored) {
    for (long long r = ms_global_thread(); r < n; r += ms_grid_stride()) {
        const int* c = coords + r * width;
        int* f = floored + r * width;
        f[0] = c[0];
        for (int a = 1; a < width; a++) {
            int s = outStride[a - 1];
            int q = c[a] / s;
            if ((c[a] % s != 0) && ((c[a] < 0) != (s < 0))) q--;
            f[a] = q * s;
        }
    }
}

// generated[r * K + k] = in[r] + offset[k] (batch kept): the candidate outputs of a generative
// transposed convolution, in the engine's order; unique() of them is the output map.
extern "C" __global__ void coordinate_generate(const int* coords, int n, int width, const int* offsets, int K,
                                               int* generated) {
    long long total = (long long) n * K;
    for (long long i = ms_global_thread(); i < total; i += ms_grid_stride()) {
        long long r = i / K;
        long long k = i - r * K;
        const int* c = coords + r * width;
        int* g = generated + i * width;
        g[0] = c[0];
        for (int a = 1; a < width; a++) g[a] = c[a] + offsets[k * (width - 1) + a - 1];
    }
}
