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
#include "kernel_registry.h"

#include <cinttypes>

namespace {

using registry::Arg;
using registry::LaunchError;

std::map<uintptr_t, size_t> g_allocations;   // address -> bytes
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
    registry::check_pointer = [](uint64_t address, const std::string& what) { check_range(address, 1, what); };
    static char inBuffer[1 << 16];
    static char outBuffer[1 << 16];
    std::setvbuf(stdin, inBuffer, _IOFBF, sizeof inBuffer);
    std::setvbuf(stdout, outBuffer, _IOFBF, sizeof outBuffer);
    const std::map<std::string, registry::TypedInvoker> kernels = registry::typed_kernels();
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
                    auto it = kernels.find(name);
                    if (it == kernels.end()) throw LaunchError("no kernel named " + name);
                    if (static_cast<uint64_t>(g[0]) * g[1] * g[2] == 0) throw LaunchError(name + ": empty grid");
                    it->second(dim3(g[0], g[1], g[2]), dim3(b[0], b[1], b[2]), args);
                    g_launches[name]++;
                    reply_ok();
                    break;
                }
                case 'K': {
                    reply_ok();
                    write_value<uint32_t>(static_cast<uint32_t>(kernels.size()));
                    for (const auto& entry : kernels) {
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
