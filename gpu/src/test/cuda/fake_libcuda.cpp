// A stand-in for NVIDIA's libcuda.so.1, so that JCuda's real driver binding and JCudaDevice run on
// a machine without a GPU. build-emulation.sh adds a stub returning CUDA_ERROR_NOT_SUPPORTED for
// every other cu* symbol the JCuda natives import (generated from their symbol table).
//
// FAKE_CUDA selects the driver:
//   emulated (default): one "compute capability 9.0" device under a CUDA 13.0 driver; device memory
//                       is host memory, module loading accepts any image, cuModuleGetFunction finds
//                       the kernels of gpu/src/main/cuda compiled for the host, and cuLaunchKernel
//                       runs them with cuda_emulation.h's launcher (FAKE_CUDA_HOST_THREADS per block,
//                       default 1), reading kernelParams by each kernel's C signature. At exit it
//                       prints how many device allocations are still live.
//   old-driver:         a "compute capability 8.6" device under a CUDA 12.4 driver whose
//                       cuModuleLoadData fails with CUDA_ERROR_UNSUPPORTED_PTX_VERSION
//   no-device:          cuInit fails with CUDA_ERROR_NO_DEVICE
#include "kernel_registry.h"

#include <cstring>
#include <string>

namespace {

enum class Mode { EMULATED, OLD_DRIVER, NO_DEVICE };

Mode mode() {
    const char* m = std::getenv("FAKE_CUDA");
    if (m == nullptr || std::strcmp(m, "emulated") == 0) return Mode::EMULATED;
    if (std::strcmp(m, "old-driver") == 0) return Mode::OLD_DRIVER;
    return Mode::NO_DEVICE;
}

constexpr int CUDA_SUCCESS = 0;
constexpr int CUDA_ERROR_INVALID_VALUE = 1;
constexpr int CUDA_ERROR_OUT_OF_MEMORY = 2;
constexpr int CUDA_ERROR_NO_DEVICE = 100;
constexpr int CUDA_ERROR_UNSUPPORTED_PTX_VERSION = 222;
constexpr int CUDA_ERROR_NOT_FOUND = 500;
constexpr int CUDA_ERROR_LAUNCH_FAILED = 719;

int g_context;
int g_module;
int g_stream;
std::atomic<long> g_live{0};

const std::map<std::string, registry::RawInvoker>& kernels() {
    static const std::map<std::string, registry::RawInvoker> k = registry::raw_kernels();
    return k;
}

struct ReportAtExit {
    ~ReportAtExit() {
        if (mode() == Mode::EMULATED) std::fprintf(stderr, "fake libcuda: %ld device allocations live at exit\n", g_live.load());
    }
} g_report;

}  // namespace

extern "C" {

int cuInit(unsigned int) {
    return mode() == Mode::NO_DEVICE ? CUDA_ERROR_NO_DEVICE : CUDA_SUCCESS;
}

int cuDriverGetVersion(int* version) {
    *version = mode() == Mode::EMULATED ? 13000 : 12040;
    return CUDA_SUCCESS;
}

int cuDeviceGetCount(int* count) {
    *count = mode() == Mode::NO_DEVICE ? 0 : 1;
    return CUDA_SUCCESS;
}

int cuDeviceGet(int* device, int ordinal) {
    if (ordinal != 0) return CUDA_ERROR_INVALID_VALUE;
    *device = 0;
    return CUDA_SUCCESS;
}

int cuDeviceGetName(char* name, int len, int) {
    std::snprintf(name, static_cast<size_t>(len), "%s", "Fake GPU (minkstream test driver)");
    return CUDA_SUCCESS;
}

int cuDeviceGetAttribute(int* value, int attribute, int) {
    bool hopper = mode() == Mode::EMULATED;
    *value = attribute == 75 ? (hopper ? 9 : 8) : attribute == 76 ? (hopper ? 0 : 6) : 0;  // compute capability
    return CUDA_SUCCESS;
}

int cuDevicePrimaryCtxRetain(void** context, int) {
    *context = &g_context;
    return CUDA_SUCCESS;
}

int cuDevicePrimaryCtxRelease_v2(int) { return CUDA_SUCCESS; }

int cuCtxSetCurrent(void*) { return CUDA_SUCCESS; }

int cuCtxSynchronize() { return CUDA_SUCCESS; }

int cuModuleLoadData(void** module, const void*) {
    *module = &g_module;
    return mode() == Mode::EMULATED ? CUDA_SUCCESS : CUDA_ERROR_UNSUPPORTED_PTX_VERSION;
}

int cuModuleUnload(void*) { return CUDA_SUCCESS; }

int cuModuleGetFunction(void** function, void*, const char* name) {
    auto it = kernels().find(name);
    if (it == kernels().end()) return CUDA_ERROR_NOT_FOUND;
    *function = const_cast<registry::RawInvoker*>(&it->second);
    return CUDA_SUCCESS;
}

int cuLaunchKernel(void* function, unsigned int gx, unsigned int gy, unsigned int gz, unsigned int bx, unsigned int by,
                   unsigned int bz, unsigned int, void*, void** params, void** extra) {
    if (function == nullptr || params == nullptr || extra != nullptr) return CUDA_ERROR_INVALID_VALUE;
    static const bool configured = [] {
        const char* h = std::getenv("FAKE_CUDA_HOST_THREADS");
        emu::set_host_threads(h == nullptr ? 1 : std::atoi(h));
        return true;
    }();
    (void) configured;
    try {
        (*static_cast<registry::RawInvoker*>(function))(dim3(gx, gy, gz), dim3(bx, by, bz), params);
        return CUDA_SUCCESS;
    } catch (const std::exception&) {
        return CUDA_ERROR_LAUNCH_FAILED;
    }
}

int cuMemAlloc_v2(unsigned long long* pointer, size_t bytes) {
    void* p = nullptr;
    if (posix_memalign(&p, 256, bytes == 0 ? 1 : bytes) != 0) return CUDA_ERROR_OUT_OF_MEMORY;
    std::memset(p, 0x7F, bytes);
    *pointer = reinterpret_cast<uintptr_t>(p);
    g_live++;
    return CUDA_SUCCESS;
}

int cuMemFree_v2(unsigned long long pointer) {
    std::free(reinterpret_cast<void*>(static_cast<uintptr_t>(pointer)));
    g_live--;
    return CUDA_SUCCESS;
}

int cuMemAllocHost_v2(void** pointer, size_t bytes) {
    *pointer = std::malloc(bytes == 0 ? 1 : bytes);
    return *pointer == nullptr ? CUDA_ERROR_OUT_OF_MEMORY : CUDA_SUCCESS;
}

int cuMemFreeHost(void* pointer) {
    std::free(pointer);
    return CUDA_SUCCESS;
}

int cuMemcpyHtoDAsync_v2(unsigned long long dst, const void* src, size_t bytes, void*) {
    std::memcpy(reinterpret_cast<void*>(static_cast<uintptr_t>(dst)), src, bytes);
    return CUDA_SUCCESS;
}

int cuMemcpyDtoHAsync_v2(void* dst, unsigned long long src, size_t bytes, void*) {
    std::memcpy(dst, reinterpret_cast<const void*>(static_cast<uintptr_t>(src)), bytes);
    return CUDA_SUCCESS;
}

int cuMemsetD32Async(unsigned long long dst, unsigned int value, size_t count, void*) {
    unsigned int* p = reinterpret_cast<unsigned int*>(static_cast<uintptr_t>(dst));
    for (size_t i = 0; i < count; i++) p[i] = value;
    return CUDA_SUCCESS;
}

int cuStreamCreate(void** stream, unsigned int) {
    *stream = &g_stream;
    return CUDA_SUCCESS;
}

int cuStreamSynchronize(void*) { return CUDA_SUCCESS; }

int cuStreamDestroy_v2(void*) { return CUDA_SUCCESS; }

int cuGetErrorName(int error, const char** name) {
    *name = error == CUDA_ERROR_UNSUPPORTED_PTX_VERSION ? "CUDA_ERROR_UNSUPPORTED_PTX_VERSION" : "CUDA_ERROR_UNKNOWN";
    return CUDA_SUCCESS;
}

int cuGetErrorString(int error, const char** text) { return cuGetErrorName(error, text); }

}  // extern "C"
