// Runs kmerl's CUDA C on the CPU, for checking kernel logic on machines without a GPU: every CUDA thread
// of a block is an OS thread, __syncthreads a barrier over the block, a warp shuffle an exchange through
// a per-warp slot array and a barrier over the warp, __shared__ a static (blocks run one at a time).
// Slow and only for small shapes; it checks indexing, bounds and arithmetic, not timing or memory models.
// Built with -fsanitize=thread it is a host racecheck (shared memory read and written by two threads with no
// barrier between them), with -fsanitize=address,undefined a host memcheck (reads past a buffer, misaligned
// float4s: float4 is 16-byte aligned here as in CUDA); KernelsOnHostTest runs all three builds.
#pragma once
#define KMERL_HOST_SHIM 1   // kernel files leave out their inline PTX; the emulations below stand in
#include <atomic>
#include <barrier>
#include <cmath>
#include <math.h>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
#define __launch_bounds__(...)
#define __shared__ static
#define __align__(n) __attribute__((aligned(n)))

struct dim3 {
    unsigned x = 1, y = 1, z = 1;
};
struct alignas(16) float4 {
    float x, y, z, w;
};
struct alignas(16) int4 {
    int x, y, z, w;
};
inline float4 make_float4(float x, float y, float z, float w) { return {x, y, z, w}; }
inline int4 make_int4(int x, int y, int z, int w) { return {x, y, z, w}; }

inline thread_local dim3 threadIdx, blockIdx;
inline dim3 blockDim, gridDim;

namespace host_shim {
// Shuffles and mmas go through per-thread slots in two sets used in turn, so that one barrier over the warp
// per exchange is enough: a lane writes a set again two exchanges later, after every lane of its warp has
// reached the barrier of the exchange in between, which each reaches only after its read of this one.
struct Block {
    std::unique_ptr<std::barrier<>> all;
    std::vector<std::unique_ptr<std::barrier<>>> warps;
    std::vector<uint64_t> slots[2];   // one 8-byte slot per thread for shuffles and ballots
    std::vector<float> fragments[2];  // FRAGMENT floats per thread for the tensor-core emulation
};
constexpr int FRAGMENT = 8;
inline Block* block = nullptr;
inline thread_local unsigned exchanges = 0, mmas = 0;   // this thread's calls, for the set it uses next

inline int flat_thread() { return (threadIdx.z * blockDim.y + threadIdx.y) * blockDim.x + threadIdx.x; }

// The value of `v` in lane `source_of_lane` of this warp (every lane of the warp takes part, as in the kernels).
template <class T>
T exchange(T v, int source_of_lane) {
    int t = flat_thread(), warp = t / 32, base = warp * 32;
    std::vector<uint64_t>& slots = block->slots[exchanges++ & 1];
    uint64_t bits = 0;
    std::memcpy(&bits, &v, sizeof(T));
    slots[t] = bits;
    block->warps[warp]->arrive_and_wait();
    uint64_t got = slots[base + source_of_lane];
    T out;
    std::memcpy(&out, &got, sizeof(T));
    return out;
}

// Runs kernel(args...) over the grid, one block at a time: one OS thread per CUDA thread of a block, the
// same threads for every block (a barrier between blocks), so a launch costs one thread start per thread.
template <class Kernel, class... Args>
void launch(dim3 grid, dim3 threads, Kernel kernel, Args... args) {
    gridDim = grid;
    blockDim = threads;
    int n = threads.x * threads.y * threads.z;
    Block b;
    b.all = std::make_unique<std::barrier<>>(n);
    for (int w = 0; w < (n + 31) / 32; ++w) b.warps.push_back(std::make_unique<std::barrier<>>(std::min(32, n - 32 * w)));
    for (int set = 0; set < 2; ++set) {
        b.slots[set].assign(n, 0);
        b.fragments[set].assign((size_t) n * FRAGMENT, 0.f);
    }
    block = &b;
    std::vector<std::thread> pool;
    for (int t = 0; t < n; ++t) {
        pool.emplace_back([=, &b] {
            threadIdx = {unsigned(t % threads.x), unsigned(t / threads.x % threads.y), unsigned(t / (threads.x * threads.y))};
            for (unsigned bz = 0; bz < grid.z; ++bz)
                for (unsigned by = 0; by < grid.y; ++by)
                    for (unsigned bx = 0; bx < grid.x; ++bx) {
                        blockIdx = {bx, by, bz};
                        kernel(args...);
                        b.all->arrive_and_wait();   // the block is done before the next one starts
                    }
        });
    }
    for (auto& th : pool) th.join();
    block = nullptr;
}
}  // namespace host_shim

inline void __syncthreads() { host_shim::block->all->arrive_and_wait(); }
template <class T>
inline T __shfl_xor_sync(unsigned, T v, int mask) {
    return host_shim::exchange(v, (host_shim::flat_thread() % 32) ^ mask);
}
// Bit l of the result: lane l's predicate (every lane publishes its own, then reads lane l's, for each l).
inline unsigned __ballot_sync(unsigned, int predicate) {
    unsigned bits = 0;
    for (int l = 0; l < 32; ++l) {
        if (host_shim::exchange(predicate != 0 ? 1 : 0, l)) bits |= 1u << l;
    }
    return bits;
}
inline unsigned __float_as_uint(float v) { unsigned u; std::memcpy(&u, &v, 4); return u; }
inline float __uint_as_float(unsigned u) { float v; std::memcpy(&v, &u, 4); return v; }

// cvt.rna.tf32.f32: 10 mantissa bits, to nearest, ties away from zero (on the magnitude's bits: add half
// of the dropped 13 bits' range, then cut them).
inline float tf32_round(float x) {
    if (!std::isfinite(x)) return x;
    return __uint_as_float((__float_as_uint(x) + 0x1000u) & 0xFFFFE000u);
}

// mma.sync.aligned.m16n8k8.row.col.f32.tf32.tf32.f32 for the warp of the calling thread, with the PTX ISA's
// fragment layout: lane = 4g + t holds a = A(g, t), A(g+8, t), A(g, t+4), A(g+8, t+4); b = B(t, g), B(t+4, g);
// d = D(g, 2t), D(g, 2t+1), D(g+8, 2t), D(g+8, 2t+1). Every lane publishes its fragments, then computes its
// own four outputs from the warp's.
inline void mma_tf32_16x8x8(float (&d)[4], const float (&a)[4], const float (&b)[2]) {
    using namespace host_shim;
    int self = flat_thread(), warp = self / 32, base = warp * 32, lane = self % 32;
    std::vector<float>& fragments = block->fragments[mmas++ & 1];
    float* mine = &fragments[(size_t) self * FRAGMENT];
    for (int i = 0; i < 4; ++i) mine[i] = a[i];
    mine[4] = b[0];
    mine[5] = b[1];
    block->warps[warp]->arrive_and_wait();
    // A(r, k) is in lane 4 (r mod 8) + (k mod 4), register (r >= 8) + 2 (k >= 4); B(k, c) in lane 4c + (k mod 4).
    auto A = [&](int r, int k) {
        return fragments[(size_t) (base + (r % 8) * 4 + k % 4) * FRAGMENT + (r >= 8) + 2 * (k >= 4)];
    };
    auto B = [&](int k, int c) { return fragments[(size_t) (base + c * 4 + k % 4) * FRAGMENT + 4 + (k >= 4)]; };
    int g = lane / 4, t = lane % 4;
    for (int r = 0; r < 4; ++r) {
        int row = g + (r >= 2 ? 8 : 0), col = 2 * t + (r & 1);
        float sum = d[r];
        for (int k = 0; k < 8; ++k) sum += A(row, k) * B(k, col);
        d[r] = sum;
    }
}

inline int atomicCAS(int* address, int compare, int value) {
    std::atomic_ref<int> a(*address);
    a.compare_exchange_strong(compare, value);
    return compare;   // the old value, as CUDA's atomicCAS returns
}
inline int __popc(unsigned v) { return __builtin_popcount(v); }
inline uint32_t __umulhi(uint32_t a, uint32_t b) { return uint32_t((uint64_t(a) * b) >> 32); }
inline float __int_as_float(int v) { float f; std::memcpy(&f, &v, 4); return f; }
inline double __longlong_as_double(long long v) { double d; std::memcpy(&d, &v, 8); return d; }
inline float __fmul_rn(float a, float b) { return a * b; }
inline float __fadd_rn(float a, float b) { return a + b; }
// cvt.rzi.s32.f32: toward zero, saturating, NaN to 0.
inline int __float2int_rz(float v) {
    if (std::isnan(v)) return 0;
    if (v >= 2147483648.f) return 2147483647;
    if (v <= -2147483648.f) return -2147483647 - 1;
    return int(v);
}
using std::isinf;
using std::isnan;
// CUDA's integer min/max overloads.
inline int min(int a, int b) { return a < b ? a : b; }
inline int max(int a, int b) { return a > b ? a : b; }
inline unsigned min(unsigned a, unsigned b) { return a < b ? a : b; }
inline unsigned max(unsigned a, unsigned b) { return a > b ? a : b; }
