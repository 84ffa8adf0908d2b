// Sparse convolution over a kernel map: out[o] = bias + sum over pairs (k, i, o) of in[i] . W[k],
// with W laid out as MinkowskiEngine's kernel[K][Cin][Cout]. Two dataflows:
//
// * convolution_fused (output-stationary, deterministic): a block owns a tile of
//   MS_CONV_TILE_ROWS output rows x MS_CONV_TILE_COUT output channels and walks the rows' CSR pairs
//   in rounds. Each round takes the smallest kernel index k still pending in the tile, stages the
//   weight tile W[k][ci..][co..] and the gathered input rows of the rows that have a pair with k in
//   shared memory, and accumulates in fp32 registers. Every output value is written once by one
//   thread: no atomics, and the summation order (ascending k, then ci) is fixed.
// * convolution_offset_batched (gather -> GEMM -> scatter): every tile of MS_CONV_TILE_PAIRS pairs
//   of one offset k is a small GEMM with W[k] reused across the tile; results are scattered with
//   atomicAdd into an output that convolution_init_output set to the bias. One launch covers all
//   offsets. Summation order depends on timing (not bitwise reproducible).
// The host chooses between them (see the gpu README, "Choosing the dataflow").
#include "minkstream_cuda.h"

extern "C" __global__ void convolution_init_output(float* out, int nOut, int cOut, const float* bias) {
    long long total = (long long) nOut * cOut;
    for (long long i = ms_global_thread(); i < total; i += ms_grid_stride()) {
        out[i] = bias != nullptr ? bias[i % cOut] : 0.0f;
    }
}

// Launch with blockDim.x == MS_CONV_THREADS (4 groups of 32 lanes; lane = output channel in the
// tile, group g owns tile rows g, g + 4, g + 8, g + 12).
extern "C" __global__ void convolution_fused(const float* in, int cIn, const float* weights, int cOut,
                                             const float* bias, const int* outStart, const int* kernelIndex,
                                             const int* inRow, int nOut, float* out) {
    __shared__ float ws[MS_CONV_TILE_CIN][MS_CONV_TILE_COUT + 1];
    __shared__ float xs[MS_CONV_TILE_ROWS][MS_CONV_TILE_CIN + 1];
    __shared__ int cursor[MS_CONV_TILE_ROWS];
    __shared__ int rowEnd[MS_CONV_TILE_ROWS];
    __shared__ int gatherRow[MS_CONV_TILE_ROWS];
    __shared__ int roundK;
    constexpr int ROWS_PER_GROUP = MS_CONV_TILE_ROWS / (MS_CONV_THREADS / MS_CONV_TILE_COUT);
    const int tid = threadIdx.x;
    const int lane = tid % MS_CONV_TILE_COUT;
    const int group = tid / MS_CONV_TILE_COUT;
    const int groups = MS_CONV_THREADS / MS_CONV_TILE_COUT;
    const long long coTiles = (cOut + MS_CONV_TILE_COUT - 1) / MS_CONV_TILE_COUT;
    const long long rowTiles = ((long long) nOut + MS_CONV_TILE_ROWS - 1) / MS_CONV_TILE_ROWS;
    const long long items = rowTiles * coTiles;
    for (long long item = blockIdx.x; item < items; item += gridDim.x) {
        const long long o0 = (item / coTiles) * MS_CONV_TILE_ROWS;
        const int co0 = (int) (item % coTiles) * MS_CONV_TILE_COUT;
        const int co = co0 + lane;
        if (tid < MS_CONV_TILE_ROWS) {
            long long o = o0 + tid;
            cursor[tid] = o < nOut ? outStart[o] : 0;
            rowEnd[tid] = o < nOut ? outStart[o + 1] : 0;
        }
        float acc[ROWS_PER_GROUP];
        for (int j = 0; j < ROWS_PER_GROUP; j++) acc[j] = (bias != nullptr && co < cOut) ? bias[co] : 0.0f;
        __syncthreads();
        while (true) {
            if (tid == 0) {
                int k = MS_NO_ROW;
                for (int r = 0; r < MS_CONV_TILE_ROWS; r++) {
                    if (cursor[r] < rowEnd[r]) k = ms_min_int(k, kernelIndex[cursor[r]]);
                }
                roundK = k;
            }
            __syncthreads();
            const int k = roundK;
            if (k == MS_NO_ROW) break;  // uniform: every thread read the same shared value
            if (tid < MS_CONV_TILE_ROWS) {
                int p = cursor[tid];
                gatherRow[tid] = (p < rowEnd[tid] && kernelIndex[p] == k) ? inRow[p] : -1;
            }
            __syncthreads();
            const float* wk = weights + (long long) k * cIn * cOut;
            for (int ci0 = 0; ci0 < cIn; ci0 += MS_CONV_TILE_CIN) {
                for (int e = tid; e < MS_CONV_TILE_CIN * MS_CONV_TILE_COUT; e += MS_CONV_THREADS) {
                    int ci = e / MS_CONV_TILE_COUT;
                    int c = e % MS_CONV_TILE_COUT;
                    ws[ci][c] = (ci0 + ci < cIn && co0 + c < cOut) ? wk[(long long) (ci0 + ci) * cOut + co0 + c] : 0.0f;
                }
                for (int e = tid; e < MS_CONV_TILE_ROWS * MS_CONV_TILE_CIN; e += MS_CONV_THREADS) {
                    int r = e / MS_CONV_TILE_CIN;
                    int ci = e % MS_CONV_TILE_CIN;
                    int g = gatherRow[r];
                    xs[r][ci] = (g >= 0 && ci0 + ci < cIn) ? in[(long long) g * cIn + ci0 + ci] : 0.0f;
                }
                __syncthreads();
                for (int j = 0; j < ROWS_PER_GROUP; j++) {
                    int r = group + j * groups;
                    if (gatherRow[r] >= 0) {
                        float a = acc[j];
                        for (int ci = 0; ci < MS_CONV_TILE_CIN; ci++) a += xs[r][ci] * ws[ci][lane];
                        acc[j] = a;
                    }
                }
                __syncthreads();
            }
            if (tid < MS_CONV_TILE_ROWS && gatherRow[tid] >= 0) cursor[tid]++;
            __syncthreads();
        }
        for (int j = 0; j < ROWS_PER_GROUP; j++) {
            long long o = o0 + group + j * groups;
            if (o < nOut && co < cOut) out[o * cOut + co] = acc[j];
        }
        __syncthreads();
    }
}

// Gather -> GEMM -> atomic scatter over the per-offset pair lists (pairs of offset k are
// [offsetStart[k], offsetStart[k+1]) in offsetIn/offsetOut). tileStart[k] = first pair tile of
// offset k (prefix sums of ceil(pairs_k / MS_CONV_TILE_PAIRS)), tileStart[K] = all tiles.
// `out` must hold the bias (convolution_init_output). Launch with blockDim.x == MS_CONV_THREADS.
extern "C" __global__ void convolution_offset_batched(const float* in, int cIn, const float* weights, int cOut,
                                                      const int* offsetStart, const int* tileStart, int K,
                                                      const int* offsetIn, const int* offsetOut, float* out) {
    __shared__ float ws[MS_CONV_TILE_CIN][MS_CONV_TILE_COUT + 1];
    __shared__ float xs[MS_CONV_TILE_PAIRS][MS_CONV_TILE_CIN + 1];
    constexpr int ROWS_PER_GROUP = MS_CONV_TILE_PAIRS / (MS_CONV_THREADS / MS_CONV_TILE_COUT);
    const int tid = threadIdx.x;
    const int lane = tid % MS_CONV_TILE_COUT;
    const int group = tid / MS_CONV_TILE_COUT;
    const int groups = MS_CONV_THREADS / MS_CONV_TILE_COUT;
    const long long coTiles = (cOut + MS_CONV_TILE_COUT - 1) / MS_CONV_TILE_COUT;
    const long long items = (long long) tileStart[K] * coTiles;
    for (long long item = blockIdx.x; item < items; item += gridDim.x) {
        const int tile = (int) (item / coTiles);
        const int co0 = (int) (item % coTiles) * MS_CONV_TILE_COUT;
        const int co = co0 + lane;
        // The offset owning this tile: the last k with tileStart[k] <= tile (binary search).
        int lo = 0;
        int hi = K - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) / 2;
            if (tileStart[mid] <= tile) lo = mid; else hi = mid - 1;
        }
        const int k = lo;
        const int p0 = offsetStart[k] + (tile - tileStart[k]) * MS_CONV_TILE_PAIRS;
        const int pEnd = offsetStart[k + 1];
        const float* wk = weights + (long long) k * cIn * cOut;
        float acc[ROWS_PER_GROUP];
        for (int j = 0; j < ROWS_PER_GROUP; j++) acc[j] = 0.0f;
        for (int ci0 = 0; ci0 < cIn; ci0 += MS_CONV_TILE_CIN) {
            for (int e = tid; e < MS_CONV_TILE_CIN * MS_CONV_TILE_COUT; e += MS_CONV_THREADS) {
                int ci = e / MS_CONV_TILE_COUT;
                int c = e % MS_CONV_TILE_COUT;
                ws[ci][c] = (ci0 + ci < cIn && co0 + c < cOut) ? wk[(long long) (ci0 + ci) * cOut + co0 + c] : 0.0f;
            }
            for (int e = tid; e < MS_CONV_TILE_PAIRS * MS_CONV_TILE_CIN; e += MS_CONV_THREADS) {
                int r = e / MS_CONV_TILE_CIN;
                int ci = e % MS_CONV_TILE_CIN;
                int p = p0 + r;
                xs[r][ci] = (p < pEnd && ci0 + ci < cIn) ? in[(long long) offsetIn[p] * cIn + ci0 + ci] : 0.0f;
            }
            __syncthreads();
            for (int j = 0; j < ROWS_PER_GROUP; j++) {
                int r = group + j * groups;
                float a = acc[j];
                for (int ci = 0; ci < MS_CONV_TILE_CIN; ci++) a += xs[r][ci] * ws[ci][lane];
                acc[j] = a;
            }
            __syncthreads();
        }
        if (co < cOut) {
            for (int j = 0; j < ROWS_PER_GROUP; j++) {
                int p = p0 + group + j * groups;
                if (p < pEnd) atomicAdd(&out[(long long) offsetOut[p] * cOut + co], acc[j]);
            }
        }
    }
}

// Depthwise: out[o][c] = bias[c] + sum over pairs of in[i][c] * W[k][c]; one thread per (o, c).
extern "C" __global__ void convolution_channelwise(const float* in, int channels, const float* weights,
                                                   const float* bias, const int* outStart, const int* kernelIndex,
                                                   const int* inRow, int nOut, float* out) {
    long long total = (long long) nOut * channels;
    for (long long i = ms_global_thread(); i < total; i += ms_grid_stride()) {
        long long o = i / channels;
        int c = (int) (i - o * channels);
        float acc = bias != nullptr ? bias[c] : 0.0f;
        for (int p = outStart[o]; p < outStart[o + 1]; p++) {
            acc += in[(long long) inRow[p] * channels + c] * weights[(long long) kernelIndex[p] * channels + c];
        }
        out[i] = acc;
    }
}
