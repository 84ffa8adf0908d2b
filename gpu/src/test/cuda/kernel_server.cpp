// A CUDA device emulated on the host, driven over stdin/stdout by the Java test device
// (io.minkstream.gpu.EmulatedDevice): the same allocations, copies and launches JCudaDevice makes
// through the driver API, executed by the unchanged .cu kernels compiled with cuda_emulation.h.
//
// usage: kernel_server [host-threads]   (1 = serial launcher; default 1)
//
// Protocol (little-endian). Each request is one opcode byte and its fields; each reply starts with a
// status byte (0 ok, 1 error followed by u16 length + message).
//   'A' u64 bytes                       -> u64 address (256-aligned, exactly that long, filled with 0x7F bytes)
//   'F' u64 address
//   'W' u64 address u64 bytes <data>
//   'R' u64 address u64 bytes           -> <data>
//   'S' u64 address u64 count u32 value   (cuMemsetD32)
//   'L' u16 len <name> u32 grid[3] u32 block[3] u32 nargs {u8 type u64 bits}*
//        type 'P' pointer (0 or inside a live allocation), 'I' int32, 'F' float32 bits, 'J' int64
//   'K'                                 -> u32 count {u16 len <name>}*   (the kernels it knows)
//   'C'                                 -> u32 count {u16 len <name> u64 launches}*   (launches so far)
//   'Q'                                 -> exits 0
#include "cuda_emulation.h"

#include "coordinate_hash.cu"
#include "kernel_map.cu"
#include "convolution.cu"
#include "pooling.cu"
#include "pointwise.cu"

#include <bit>
#include <cinttypes>
#include <map>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>

namespace {

struct Arg {
    char type;
    uint64_t bits;
};

struct LaunchError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

std::map<uintptr_t, size_t> g_allocations;  // address -> bytes
std::map<std::string, uint64_t> g_launches;  // kernel -> launches

// Throws unless [address, address + bytes) lies inside one live allocation.
void check_range(uint64_t address, uint64_t bytes, const std::string& what) {
    auto it = g_allocations.upper_bound(static_cast<uintptr_t>(address));
    if (it != g_allocations.begin()) {
        --it;
        if (address >= it->first && address + bytes <= it->first + it->second) return;
    }
    char msg[200];
    std::snprintf(msg, sizeof msg, "%s: address 0x%" PRIx64 " (+%" PRIu64 " bytes) is not inside a live allocation",
                  what.c_str(), address, bytes);
    throw LaunchError(msg);
}

template <class T>
T convert(const Arg& a, const std::string& kernel, size_t index) {
    auto mismatch = [&](const char* expected) {
        char msg[200];
        std::snprintf(msg, sizeof msg, "%s: argument %zu has type '%c', the kernel expects %s", kernel.c_str(), index,
                      a.type, expected);
        return LaunchError(msg);
    };
    if constexpr (std::is_pointer_v<T>) {
        if (a.type != 'P') throw mismatch("a pointer ('P')");
        if (a.bits != 0) check_range(a.bits, 1, kernel + " argument " + std::to_string(index));
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

using Invoker = std::function<void(dim3, dim3, const std::vector<Arg>&)>;

template <class... P, size_t... I>
std::tuple<P...> unpack(const std::vector<Arg>& args, const std::string& name, std::index_sequence<I...>) {
    return std::tuple<P...>{convert<P>(args[I], name, I)...};
}

template <class... P>
Invoker invoker(const std::string& name, void (*kernel)(P...)) {
    return [name, kernel](dim3 grid, dim3 block, const std::vector<Arg>& args) {
        if (args.size() != sizeof...(P)) {
            throw LaunchError(name + ": " + std::to_string(args.size()) + " arguments given, the kernel takes " +
                              std::to_string(sizeof...(P)));
        }
        std::tuple<P...> values = unpack<P...>(args, name, std::index_sequence_for<P...>{});
        emu::launch(grid, block, [&values, kernel] { std::apply(kernel, values); });
    };
}

std::map<std::string, Invoker> kernels() {
    std::map<std::string, Invoker> k;
#define MS_REGISTER(fn) k[#fn] = invoker(#fn, &fn)
    MS_REGISTER(coordinate_hash_clear);
    MS_REGISTER(coordinate_hash_insert);
    MS_REGISTER(coordinate_hash_lookup);
    MS_REGISTER(coordinate_first_occurrence);
    MS_REGISTER(coordinate_compact);
    MS_REGISTER(kernel_map_lookup);
    MS_REGISTER(kernel_map_count);
    MS_REGISTER(kernel_map_fill);
    MS_REGISTER(kernel_map_offset_flags);
    MS_REGISTER(kernel_map_offset_fill);
    MS_REGISTER(kernel_map_offset_starts);
    MS_REGISTER(scan_exclusive_tiles);
    MS_REGISTER(scan_add_tile_offsets);
    MS_REGISTER(coordinate_stride);
    MS_REGISTER(coordinate_generate);
    MS_REGISTER(convolution_init_output);
    MS_REGISTER(convolution_fused);
    MS_REGISTER(convolution_offset_batched);
    MS_REGISTER(convolution_channelwise);
    MS_REGISTER(pooling_rows);
    MS_REGISTER(pooling_segments);
    MS_REGISTER(scale_shift_activate);
    MS_REGISTER(concatenate_columns);
#undef MS_REGISTER
    return k;
}

// ---- stdin/stdout framing ----
void read_exact(void* p, size_t n) {
    if (n > 0 && std::fread(p, 1, n, stdin) != n) std::exit(feof(stdin) ? 0 : 3);  // the JVM went away
}
template <class T>
T read_value() {
    T v;
    read_exact(&v, sizeof v);
    return v;
}
void write_exact(const void* p, size_t n) {
    if (n > 0 && std::fwrite(p, 1, n, stdout) != n) std::exit(4);
}
template <class T>
void write_value(T v) {
    write_exact(&v, sizeof v);
}
void reply_ok() { write_value<uint8_t>(0); }
void reply_error(const std::string& message) {
    write_value<uint8_t>(1);
    uint16_t len = static_cast<uint16_t>(std::min<size_t>(message.size(), 65535));
    write_value(len);
    write_exact(message.data(), len);
}

}  // namespace

int main(int argc, char** argv) {
    emu::set_host_threads(argc > 1 ? std::atoi(argv[1]) : 1);
    static char inBuffer[1 << 16];
    static char outBuffer[1 << 16];
    std::setvbuf(stdin, inBuffer, _IOFBF, sizeof inBuffer);
    std::setvbuf(stdout, outBuffer, _IOFBF, sizeof outBuffer);
    const std::map<std::string, Invoker> registry = kernels();
    while (true) {
        const uint8_t op = read_value<uint8_t>();
        try {
            switch (op) {
                case 'A': {
                    uint64_t bytes = read_value<uint64_t>();
                    // 256-byte aligned like cuMemAlloc, but exactly `bytes` long, so that
                    // AddressSanitizer's redzone starts right after the buffer.
                    void* p = nullptr;
                    if (posix_memalign(&p, 256, bytes == 0 ? 1 : bytes) != 0) throw LaunchError("out of memory");
                    std::memset(p, 0x7F, bytes);
                    g_allocations[reinterpret_cast<uintptr_t>(p)] = bytes;
                    reply_ok();
                    write_value<uint64_t>(reinterpret_cast<uintptr_t>(p));
                    break;
                }
                case 'F': {
                    uint64_t address = read_value<uint64_t>();
                    auto it = g_allocations.find(static_cast<uintptr_t>(address));
                    if (it == g_allocations.end()) throw LaunchError("free of an address that is not an allocation");
                    g_allocations.erase(it);
                    std::free(reinterpret_cast<void*>(static_cast<uintptr_t>(address)));
                    reply_ok();
                    break;
                }
                case 'W': {
                    uint64_t address = read_value<uint64_t>();
                    uint64_t bytes = read_value<uint64_t>();
                    std::vector<char> data(bytes);
                    read_exact(data.data(), bytes);
                    check_range(address, bytes, "copy to device");
                    std::memcpy(reinterpret_cast<void*>(static_cast<uintptr_t>(address)), data.data(), bytes);
                    reply_ok();
                    break;
                }
                case 'R': {
                    uint64_t address = read_value<uint64_t>();
                    uint64_t bytes = read_value<uint64_t>();
                    check_range(address, bytes, "copy from device");
                    reply_ok();
                    write_exact(reinterpret_cast<void*>(static_cast<uintptr_t>(address)), bytes);
                    break;
                }
                case 'S': {
                    uint64_t address = read_value<uint64_t>();
                    uint64_t count = read_value<uint64_t>();
                    uint32_t value = read_value<uint32_t>();
                    check_range(address, count * 4, "memset");
                    uint32_t* p = reinterpret_cast<uint32_t*>(static_cast<uintptr_t>(address));
                    for (uint64_t i = 0; i < count; i++) p[i] = value;
                    reply_ok();
                    break;
                }
                case 'L': {
                    uint16_t len = read_value<uint16_t>();
                    std::string name(len, '\0');
                    read_exact(name.data(), len);
                    uint32_t g[3], b[3];
                    for (uint32_t& v : g) v = read_value<uint32_t>();
                    for (uint32_t& v : b) v = read_value<uint32_t>();
                    uint32_t nargs = read_value<uint32_t>();
                    std::vector<Arg> args(nargs);
                    for (Arg& a : args) {
                        a.type = static_cast<char>(read_value<uint8_t>());
                        a.bits = read_value<uint64_t>();
                    }
                    auto it = registry.find(name);
                    if (it == registry.end()) throw LaunchError("no kernel named " + name);
                    if (static_cast<uint64_t>(g[0]) * g[1] * g[2] == 0) throw LaunchError(name + ": empty grid");
                    it->second(dim3(g[0], g[1], g[2]), dim3(b[0], b[1], b[2]), args);
                    g_launches[name]++;
                    reply_ok();
                    break;
                }
                case 'K': {
                    reply_ok();
                    write_value<uint32_t>(static_cast<uint32_t>(registry.size()));
                    for (const auto& entry : registry) {
                        write_value<uint16_t>(static_cast<uint16_t>(entry.first.size()));
                        write_exact(entry.first.data(), entry.first.size());
                    }
                    break;
                }
                case 'C': {
                    reply_ok();
                    write_value<uint32_t>(static_cast<uint32_t>(g_launches.size()));
                    for (const auto& entry : g_launches) {
                        write_value<uint16_t>(static_cast<uint16_t>(entry.first.size()));
                        write_exact(entry.first.data(), entry.first.size());
                        write_value<uint64_t>(entry.second);
                    }
                    break;
                }
                case 'Q':
                    reply_ok();
                    std::fflush(stdout);
                    return 0;
                default:
                    reply_error("unknown request " + std::to_string(op));
                    std::fflush(stdout);
                    return 2;
            }
        } catch (const LaunchError& e) {
            reply_error(e.what());
        }
        std::fflush(stdout);
    }
}
