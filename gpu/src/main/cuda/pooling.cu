// Pooling over a kernel map (CSR by output row): max, average (divided by the pairs that exist)
// and sum; an output without pairs gets zeros. Global pooling is the same operation over the
// engine's global map (one output row per batch index with every row of that batch as a pair).
//
// * pooling_rows: one thread per (output, channel), pairs in CSR order: the same operations in
//   the same order as the engine's CpuBackend, for local windows (a few to ~100 pairs).
// * pooling_segments: one block per (output, channel), a shared-memory tree reduction over the
//   output's pairs: for global pooling and other long segments.
#include "minkstream_cuda.h"

extern "C" __global__ void pooling_rows(int mode, const float* in, int channels, const int* outStart,
                                        const int* inRow, int nOut, float* out) {
    long long total = (long long) nOut * channels;
    for (long long i = ms_global_thread(); i < total; i += ms_grid_stride()) {
        long long o = i / channels;
        int c = (int) (i - o * channels);
        int p0 = outStart[o];
        int p1 = outStart[o + 1];
        if (p0 == p1) {
            out[i] = 0.0f;
            continue;
        }
        float acc = in[(long long) inRow[p0] * channels + c];
        for (int p = p0 + 1; p < p1; p++) {
            float v = in[(long long) inRow[p] * channels + c];
            acc = mode == MS_POOL_MAX ? fmaxf(acc, v) : acc + v;
        }
        out[i] = mode == MS_POOL_AVG ? acc / (float) (p1 - p0) : acc;
    }
}

// Launch with blockDim.x == MS_REDUCE_THREADS (a power of two).
extern "C" __global__ void pooling_segments(int mode, const float* in, int channels, const int* outStart,
                                            const int* inRow, int nOut, float* out) {
    __shared__ float partial[MS_REDUCE_THREADS];
    const int t = threadIdx.x;
    const long long items = (long long) nOut * channels;
    for (long long item = blockIdx.x; item < items; item += gridDim.x) {
        long long o = item / channels;
        int c = (int) (item - o * channels);
        int p0 = outStart[o];
        int p1 = outStart[o + 1];
        float acc = mode == MS_POOL_MAX ? -INFINITY : 0.0f;
        for (int p = p0 + t; p < p1; p += blockDim.x) {
            float v = in[(long long) inRow[p] * channels + c];
            acc = mode == MS_POOL_MAX ? fmaxf(acc, v) : acc + v;
        }
        partial[t] = acc;
        __syncthreads();
        for (int half = blockDim.x / 2; half > 0; half >>= 1) {
            if (t < half) {
                float other = partial[t + half];
                partial[t] = mode == MS_POOL_MAX ? fmaxf(partial[t], other) : partial[t] + other;
            }
            __syncthreads();
        }
        if (t == 0) {
            float r = partial[0];
            if (p1 == p0) r = 0.0f;
            else if (mode == MS_POOL_AVG) r = r / (float) (p1 - p0);
            out[item] = r;
        }
        __syncthreads();
    }
}
