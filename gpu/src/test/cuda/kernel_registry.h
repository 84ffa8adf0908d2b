// The kernels of gpu/src/main/cuda compiled for the host (through cuda_emulation.h), callable by
// name with their arguments either as typed 64-bit words (kernel_server.cpp: each checked against
// the kernel's C signature) or as CUDA's `void** kernelParams` (fake_libcuda.cpp's cuLaunchKernel,
// which JCuda calls). One translation unit includes this header.
#ifndef MINKSTREAM_KERNEL_REGISTRY_H
#define MINKSTREAM_KERNEL_REGISTRY_H

#include "cuda_emulation.h"

#include "coordinate_hash.cu"
#include "kernel_map.cu"
#include "convolution.cu"
#include "pooling.cu"
#include "pointwise.cu"

#include <bit>
#include <map>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>

#define MS_KERNELS(X)                                                                                             \
    X(coordinate_hash_clear) X(coordinate_hash_insert) X(coordinate_hash_lookup) X(coordinate_first_occurrence)   \
    X(coordinate_compact) X(kernel_map_lookup) X(kernel_map_count) X(kernel_map_fill) X(kernel_map_offset_flags)  \
    X(kernel_map_offset_fill) X(kernel_map_offset_starts) X(scan_exclusive_tiles) X(scan_add_tile_offsets)        \
    X(coordinate_stride) X(coordinate_generate) X(convolution_init_output) X(convolution_fused)                   \
    X(convolution_offset_batched) X(convolution_channelwise) X(pooling_rows) X(pooling_segments)                  \
    X(scale_shift_activate) X(concatenate_columns)

namespace registry {

// One argument as the kernel server receives it: 'P' pointer, 'I' int32, 'F' float32 bits, 'J' int64.
struct Arg {
    char type;
    uint64_t bits;
};

struct LaunchError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Called for every non-null pointer argument of a typed launch (the server checks it against its
// live allocations); may throw LaunchError.
inline void (*check_pointer)(uint64_t address, const std::string& what) = nullptr;

template <class T>
T convert(const Arg& a, const std::string& kernel, size_t index) {
    auto mismatch = [&](const char* expected) {
        char msg[200];
        std::snprintf(msg, sizeof msg, "%s: argument %zu has type '%c', the kernel expects %s", kernel.c_str(), index, a.type,
                      expected);
        return LaunchError(msg);
    };
    if constexpr (std::is_pointer_v<T>) {
        if (a.type != 'P') throw mismatch("a pointer ('P')");
        if (a.bits != 0 && check_pointer != nullptr) check_pointer(a.bits, kernel + " argument " + std::to_string(index));
        return reinterpret_cast<T>(static_cast<uintptr_t>(a.bits));
    } else if constexpr (std::is_same_v<T, float>) {
        if (a.type != 'F') throw mismatch("a float ('F')");
        return std::bit_cast<float>(static_cast<uint32_t>(a.bits));
    } else if constexpr (std::is_integral_v<T> && sizeof(T) == 4) {
        if (a.type != 'I') throw mismatch("a 32-bit int ('I')");
        return static_cast<T>(static_cast<int32_t>(a.bits));
    } else if constexpr (std::is_integral_v<T> && sizeof(T) == 8) {
        if (a.type != 'J') throw mismatch("a 64-bit int ('J')");
        return static_cast<T>(a.bits);
    } else {
        static_assert(sizeof(T) == 0, "unsupported kernel parameter type");
    }
}

using TypedInvoker = std::function<void(dim3, dim3, const std::vector<Arg>&)>;
using RawInvoker = std::function<void(dim3, dim3, void**)>;

template <class... P, size_t... I>
std::tuple<P...> unpack(const std::vector<Arg>& args, const std::string& name, std::index_sequence<I...>) {
    return std::tuple<P...>{convert<P>(args[I], name, I)...};
}

template <class... P>
TypedInvoker typed(const std::string& name, void (*kernel)(P...)) {
    return [name, kernel](dim3 grid, dim3 block, const std::vector<Arg>& args) {
        if (args.size() != sizeof...(P)) {
            throw LaunchError(name + ": " + std::to_string(args.size()) + " arguments given, the kernel takes " +
                              std::to_string(sizeof...(P)));
        }
        std::tuple<P...> values = unpack<P...>(args, name, std::index_sequence_for<P...>{});
        emu::launch(grid, block, [&values, kernel] { std::apply(kernel, values); });
    };
}

// CUDA's convention: params[i] points to the value of argument i.
template <class... P, size_t... I>
std::tuple<P...> unpack_raw(void** params, std::index_sequence<I...>) {
    return std::tuple<P...>{*static_cast<P*>(params[I])...};
}

template <class... P>
RawInvoker raw(void (*kernel)(P...)) {
    return [kernel](dim3 grid, dim3 block, void** params) {
        std::tuple<P...> values = unpack_raw<P...>(params, std::index_sequence_for<P...>{});
        emu::launch(grid, block, [&values, kernel] { std::apply(kernel, values); });
    };
}

inline std::map<std::string, TypedInvoker> typed_kernels() {
    std::map<std::string, TypedInvoker> k;
#define MS_TYPED(fn) k[#fn] = typed(#fn, &fn);
    MS_KERNELS(MS_TYPED)
#undef MS_TYPED
    return k;
}

inline std::map<std::string, RawInvoker> raw_kernels() {
    std::map<std::string, RawInvoker> k;
#define MS_RAW(fn) k[#fn] = raw(&fn);
    MS_KERNELS(MS_RAW)
#undef MS_RAW
    return k;
}

}  // namespace registry

#endif
