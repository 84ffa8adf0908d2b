// Pointwise kernels: batch norm in inference mode folded into a per-channel scale and shift,
// fused with the activation (one pass over the features), and feature concatenation (U-Net skips).
#include "minkstream_cuda.h"

// PyTorch's definitions, as the engine's Activation.apply.
__device__ __forceinline__ float ms_activate(float x, int kind, float parameter) {
    switch (kind) {
        case MS_ACT_RELU: return x > 0.0f ? x : 0.0f;
        case MS_ACT_LEAKY_RELU: return x > 0.0f ? x : parameter * x;
        case MS_ACT_ELU: return x > 0.0f ? x : parameter * expm1f(x);
        case MS_ACT_SIGMOID: return 1.0f / (1.0f + expf(-x));
        case MS_ACT_TANH: return tanhf(x);
        case MS_ACT_GELU: return 0.5f * x * (1.0f + erff(x * 0.70710678118654752f));
        default: return x;
    }
}

// out[r][c] = act(x[r][c] * scale[c] + shift[c]); scale and shift may be null (1 and 0).
// n = rows * channels.
extern "C" __global__ void scale_shift_activate(const float* x, long long n, int channels, const float* scale,
                                                const float* shift, int activation, float parameter, float* out) {
    for (long long i = ms_global_thread(); i < n; i += ms_grid_stride()) {
        int c = (int) (i % channels);
        float v = x[i];
        if (scale != nullptr) v *= scale[c];
        if (shift != nullptr) v += shift[c];
        out[i] = ms_activate(v, activation, parameter);
    }
}

// Copies the rows x cSrc features of one part into columns [at, at + cSrc) of a rows x cDst output.
extern "C" __global__ void concatenate_columns(const float* src, int rows, int cSrc, float* dst, int cDst, int at) {
    long long total = (long long) rows * cSrc;
    for (long long i = ms_global_thread(); i < total; i += ms_grid_stride()) {
        long long r = i / cSrc;
        int c = (int) (i - r * cSrc);
        dst[r * cDst + at + c] = src[i];
    }
}
