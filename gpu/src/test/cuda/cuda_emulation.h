// Host emulation of the CUDA subset that gpu/src/main/cuda uses, so the unchanged .cu sources
// compile with g++ (-std=c++20) and run on the CPU, also under AddressSanitizer and ThreadSanitizer.
// Test code only: include it before the .cu files.
//
// Execution model
// * Blocks run one after another; gridDim/blockDim are globals, blockIdx/threadIdx thread_locals.
// * A block's CUDA threads run on a team of H host threads (emu::set_host_threads): host thread h
//   runs the CUDA threads t with t % H == h, each as a fiber (its own stack, switched with a few
//   lines of assembly), so __syncthreads() only suspends a fiber: when all fibers of a host thread
//   wait at the barrier, the host thread meets the others at a std::barrier, then resumes them.
//   H = 1 is the serial launcher (fully deterministic); H > 1 runs a block's threads concurrently,
//   which is what lets ThreadSanitizer see races between them.
// * A __syncthreads() that some threads of a block reach while others have exited aborts with a
//   message (on a GPU it is undefined behaviour).
// * __shared__ is `static`: one instance, correct because one block runs at a time.
// * Atomics are std::atomic_ref with relaxed order, as CUDA's atomics are relaxed.
//
// What this cannot show: warp-level behaviour, the GPU memory model across blocks (blocks never
// overlap here), occupancy and resource limits, nvcc's FMA contraction, performance.
#ifndef MINKSTREAM_CUDA_EMULATION_H
#define MINKSTREAM_CUDA_EMULATION_H

#include <atomic>
#include <barrier>
#include <climits>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>
#include <sys/mman.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#define EMU_ASAN 1
#include <sanitizer/common_interface_defs.h>
#endif
#if defined(__SANITIZE_THREAD__)
#define EMU_TSAN 1
#include <sanitizer/tsan_interface.h>
#endif
#if !defined(__x86_64__)
#error "cuda_emulation.h switches fibers with x86-64 assembly; port emu_switch to this architecture"
#endif

#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
#define __shared__ static
#define __restrict__ __restrict
#define __launch_bounds__(...)

struct dim3 {
    unsigned int x, y, z;
    constexpr dim3(unsigned int x_ = 1, unsigned int y_ = 1, unsigned int z_ = 1) : x(x_), y(y_), z(z_) {}
};

inline thread_local dim3 threadIdx;
inline thread_local dim3 blockIdx;
inline dim3 blockDim;
inline dim3 gridDim;

// ---- atomics (relaxed, like CUDA's) ----
template <class T>
inline T emu_fetch_add(T* p, T v) {
    return std::atomic_ref<T>(*p).fetch_add(v, std::memory_order_relaxed);
}
inline int atomicAdd(int* p, int v) { return emu_fetch_add(p, v); }
inline unsigned int atomicAdd(unsigned int* p, unsigned int v) { return emu_fetch_add(p, v); }
inline unsigned long long atomicAdd(unsigned long long* p, unsigned long long v) { return emu_fetch_add(p, v); }
inline float atomicAdd(float* p, float v) { return emu_fetch_add(p, v); }

template <class T>
inline T emu_cas(T* p, T expected, T desired) {
    std::atomic_ref<T>(*p).compare_exchange_strong(expected, desired, std::memory_order_relaxed);
    return expected;  // the old value, whether or not the exchange happened
}
inline int atomicCAS(int* p, int expected, int desired) { return emu_cas(p, expected, desired); }
inline unsigned int atomicCAS(unsigned int* p, unsigned int e, unsigned int d) { return emu_cas(p, e, d); }
inline unsigned long long atomicCAS(unsigned long long* p, unsigned long long e, unsigned long long d) {
    return emu_cas(p, e, d);
}

template <class T, class Pick>
inline T emu_update(T* p, T v, Pick pick) {
    std::atomic_ref<T> ref(*p);
    T old = ref.load(std::memory_order_relaxed);
    while (!ref.compare_exchange_weak(old, pick(old, v), std::memory_order_relaxed)) {
    }
    return old;
}
inline int atomicMin(int* p, int v) { return emu_update(p, v, [](int a, int b) { return a < b ? a : b; }); }
inline int atomicMax(int* p, int v) { return emu_update(p, v, [](int a, int b) { return a > b ? a : b; }); }
inline unsigned int atomicOr(unsigned int* p, unsigned int v) {
    return std::atomic_ref<unsigned int>(*p).fetch_or(v, std::memory_order_relaxed);
}
inline int atomicExch(int* p, int v) { return std::atomic_ref<int>(*p).exchange(v, std::memory_order_relaxed); }

inline void __threadfence() { std::atomic_thread_fence(std::memory_order_seq_cst); }

// ---- fibers ----
// emu_switch(save, next): pushes the callee-saved registers, stores the stack pointer in *save,
// loads `next` and pops the registers saved there; `ret` resumes that context.
extern "C" void emu_switch(void** save, void* next);
asm(R"(
    .text
    .weak emu_switch
    .type emu_switch, @function
emu_switch:
    pushq %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    movq %rsp, (%rdi)
    movq %rsi, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    ret
    .size emu_switch, .-emu_switch
)");

namespace emu {

enum class LaneState { READY, AT_BARRIER, DONE };

struct Lane {
    void* sp = nullptr;
    char* stack = nullptr;  // lowest usable address (a guard page lies below it)
    size_t stackSize = 0;
    dim3 thread;
    LaneState state = LaneState::READY;
    void* tsanFiber = nullptr;
};

struct Host {
    void* sp = nullptr;  // the scheduler's context while a lane runs
    std::vector<Lane> lanes;
    Lane* current = nullptr;
    const std::function<void()>* body = nullptr;
    const void* stackBottom = nullptr;  // the host thread's own stack, learnt from ASan
    size_t stackSize = 0;
    void* tsanFiber = nullptr;
};

inline thread_local Host* tl_host = nullptr;
inline int g_hostThreads = 1;

#if defined(EMU_ASAN)
inline constexpr size_t kStackSize = 1 << 20;
#elif defined(EMU_TSAN)
inline constexpr size_t kStackSize = 512 << 10;
#else
inline constexpr size_t kStackSize = 128 << 10;
#endif

[[noreturn]] inline void fail(const char* message) {
    std::fprintf(stderr, "cuda_emulation: %s\n", message);
    std::fflush(stderr);
    std::abort();
}

inline void set_host_threads(int h) { g_hostThreads = h < 1 ? 1 : h; }

// Lane -> scheduler. `dying` when the lane has finished for good.
inline void yield_to_scheduler(Host* h, Lane* lane, bool dying) {
#if defined(EMU_TSAN)
    __tsan_switch_to_fiber(h->tsanFiber, 0);
#endif
#if defined(EMU_ASAN)
    void* fake = nullptr;
    __sanitizer_start_switch_fiber(dying ? nullptr : &fake, h->stackBottom, h->stackSize);
#endif
    emu_switch(&lane->sp, h->sp);
#if defined(EMU_ASAN)
    __sanitizer_finish_switch_fiber(fake, nullptr, nullptr);
#endif
    (void) dying;
}

extern "C" inline void emu_lane_entry() {
    Host* h = tl_host;
#if defined(EMU_ASAN)
    __sanitizer_finish_switch_fiber(nullptr, &h->stackBottom, &h->stackSize);
#endif
    Lane* lane = h->current;
    (*h->body)();
    lane->state = LaneState::DONE;
    yield_to_scheduler(h, lane, true);
    fail("a finished CUDA thread was resumed");
}

// Scheduler -> lane.
inline void resume(Host* h, Lane* lane) {
    h->current = lane;
    threadIdx = lane->thread;
#if defined(EMU_TSAN)
    __tsan_switch_to_fiber(lane->tsanFiber, 0);
#endif
#if defined(EMU_ASAN)
    void* fake = nullptr;
    __sanitizer_start_switch_fiber(&fake, lane->stack, lane->stackSize);
#endif
    emu_switch(&h->sp, lane->sp);
#if defined(EMU_ASAN)
    __sanitizer_finish_switch_fiber(fake, nullptr, nullptr);
#endif
}

inline void start_lane(Lane* lane) {
    // Stack on entry to emu_lane_entry as after a call: rsp % 16 == 8, a zero return address.
    uintptr_t top = (reinterpret_cast<uintptr_t>(lane->stack) + lane->stackSize) & ~uintptr_t(15);
    void** sp = reinterpret_cast<void**>(top - 64);
    for (int i = 0; i < 6; i++) sp[i] = nullptr;  // r15 r14 r13 r12 rbx rbp
    sp[6] = reinterpret_cast<void*>(&emu_lane_entry);
    sp[7] = nullptr;
    lane->sp = sp;
    lane->state = LaneState::READY;
}

// Fiber stacks (and ThreadSanitizer fiber contexts) are kept for reuse by later launches.
struct FiberStack {
    char* stack;
    void* tsanFiber;
};
inline std::mutex g_stackLock;
inline std::vector<FiberStack> g_freeStacks;

inline void allocate_stacks(Host& h) {
    const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
    std::lock_guard<std::mutex> guard(g_stackLock);
    for (Lane& lane : h.lanes) {
        lane.stackSize = kStackSize;
        if (!g_freeStacks.empty()) {
            lane.stack = g_freeStacks.back().stack;
            lane.tsanFiber = g_freeStacks.back().tsanFiber;
            g_freeStacks.pop_back();
            continue;
        }
        void* mem = mmap(nullptr, kStackSize + page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (mem == MAP_FAILED) fail("cannot map a fiber stack");
        mprotect(mem, page, PROT_NONE);  // guard page: a stack overflow faults instead of corrupting memory
        lane.stack = static_cast<char*>(mem) + page;
#if defined(EMU_TSAN)
        lane.tsanFiber = __tsan_create_fiber(0);
#endif
    }
}

inline void free_stacks(Host& h) {
    std::lock_guard<std::mutex> guard(g_stackLock);
    for (Lane& lane : h.lanes) g_freeStacks.push_back(FiberStack{lane.stack, lane.tsanFiber});
}

// What one host thread saw in a round: its lanes all waiting at __syncthreads, all finished, a mix
// (an error), or no lanes at all.
enum class Round : int { NONE, BARRIER, END, MIXED };

struct Team {
    explicit Team(int n) : hosts(n), meet(n), rounds(2 * n, Round::NONE) {}
    int hosts;
    std::barrier<> meet;
    std::vector<Round> rounds;  // double-buffered by round parity, one entry per host thread
};

// Host thread `hostIndex` of a team runs its share of every block.
inline void run_host(Team& team, int hostIndex, const std::function<void()>& body) {
    const unsigned int threadsPerBlock = blockDim.x * blockDim.y * blockDim.z;
    Host h;
    h.body = &body;
    for (unsigned int t = hostIndex; t < threadsPerBlock; t += team.hosts) {
        Lane lane;
        lane.thread = dim3(t % blockDim.x, (t / blockDim.x) % blockDim.y, t / (blockDim.x * blockDim.y));
        h.lanes.push_back(lane);
    }
    allocate_stacks(h);
#if defined(EMU_TSAN)
    h.tsanFiber = __tsan_get_current_fiber();
#endif
    tl_host = &h;
    unsigned long round = 0;
    for (unsigned int bz = 0; bz < gridDim.z; bz++) {
        for (unsigned int by = 0; by < gridDim.y; by++) {
            for (unsigned int bx = 0; bx < gridDim.x; bx++) {
                blockIdx = dim3(bx, by, bz);
                for (Lane& lane : h.lanes) start_lane(&lane);
                while (true) {
                    int waiting = 0;
                    int done = 0;
                    for (Lane& lane : h.lanes) {
                        if (lane.state == LaneState::READY) resume(&h, &lane);
                        if (lane.state == LaneState::AT_BARRIER) waiting++; else done++;
                    }
                    Round mine = h.lanes.empty() ? Round::NONE
                            : waiting > 0 && done > 0 ? Round::MIXED
                            : waiting > 0 ? Round::BARRIER : Round::END;
                    int parity = static_cast<int>(round++ % 2);
                    team.rounds[parity * team.hosts + hostIndex] = mine;
                    team.meet.arrive_and_wait();
                    Round agreed = Round::NONE;
                    for (int i = 0; i < team.hosts; i++) {
                        Round r = team.rounds[parity * team.hosts + i];
                        if (r == Round::NONE) continue;
                        if (r == Round::MIXED || (agreed != Round::NONE && agreed != r)) {
                            char msg[160];
                            std::snprintf(msg, sizeof msg,
                                          "block (%u,%u,%u): __syncthreads() reached by some threads while others exited",
                                          bx, by, bz);
                            fail(msg);
                        }
                        agreed = r;
                    }
                    if (agreed != Round::BARRIER) break;
                    for (Lane& lane : h.lanes) lane.state = LaneState::READY;
                }
            }
        }
    }
    tl_host = nullptr;
    free_stacks(h);
}

// Runs `body` once per CUDA thread of the grid; returns when every block has finished.
inline void launch(dim3 grid, dim3 block, const std::function<void()>& body) {
    if (block.x * block.y * block.z == 0 || block.x * block.y * block.z > 1024) fail("invalid block size");
    if (grid.x == 0 || grid.y == 0 || grid.z == 0) fail("empty grid");
    gridDim = grid;
    blockDim = block;
    const int hosts = g_hostThreads;
    Team team(hosts);
    std::vector<std::thread> others;
    for (int i = 1; i < hosts; i++) others.emplace_back([&team, &body, i] { run_host(team, i, body); });
    run_host(team, 0, body);
    for (std::thread& t : others) t.join();
}

// Called by a lane: suspend until every thread of the block arrives.
inline void sync_threads() {
    Host* h = tl_host;
    if (h == nullptr || h->current == nullptr) fail("__syncthreads() outside a kernel launch");
    Lane* lane = h->current;
    lane->state = LaneState::AT_BARRIER;
    yield_to_scheduler(h, lane, false);
}

}  // namespace emu

inline void __syncthreads() { emu::sync_threads(); }

#endif
