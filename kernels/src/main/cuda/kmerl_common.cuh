// Shared definitions of the kmerl CUDA kernels: operand layouts, op codes, Philox and block reductions.
// Every kernel file includes this header; the Java side (org.kmerl.kernels.launch.Layout) packs the
// same structs byte for byte, so field order and types must not change on one side only.
#pragma once
#include <stdint.h>

#define KMERL_MAX_RANK 8

// The sizes of the iteration space (the output's shape after merging contiguous axes).
struct Dims {
    int rank;
    int size[KMERL_MAX_RANK];
};

// One operand's element offset and strides over that space (stride 0 = broadcast).
struct Strides {
    int offset;
    int stride[KMERL_MAX_RANK];
};

// Element offset of flat (row-major) position i of the iteration space in one operand. The loop runs
// over all KMERL_MAX_RANK slots, unrolled, and skips the unused ones: with constant indices the sizes
// and strides are read straight from the kernel's parameter space. A loop bounded by d.rank indexes
// the structs dynamically, which makes every thread copy them to its stack first (112-144 bytes of
// local-memory traffic per thread, more than a strided copy moves).
__device__ __forceinline__ int strided_offset(int i, const Dims& d, const Strides& s) {
    int off = s.offset;
#pragma unroll
    for (int a = KMERL_MAX_RANK - 1; a >= 0; --a) {
        if (a < d.rank) {
            int n = d.size[a];
            int q = i / n;
            off += (i - q * n) * s.stride[a];
            i = q;
        }
    }
    return off;
}

#define GRID_STRIDE_LOOP(i, n) \
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < (n); i += blockDim.x * gridDim.x)

// Op codes: the Java enums UnaryOp / BinaryOp / ReduceOp map to these in org.kmerl.kernels.OpCodes.
enum { U_NEG, U_EXP, U_LOG, U_SQRT, U_RSQRT, U_RECIPROCAL, U_SQUARE, U_ABS, U_TANH, U_SIGMOID, U_RELU, U_GELU };
enum { B_ADD, B_SUB, B_MUL, B_DIV, B_POW, B_MAXIMUM, B_MINIMUM, B_EQ, B_NE, B_LT, B_LE, B_GT, B_GE };
enum { R_SUM, R_MAX, R_MIN };

// ---- Philox4x32-10, word layout as org.kmerl.tensor.Philox: word w = lane (w & 3) of block (w >> 2).
struct Words4 { uint32_t w[4]; };

__device__ __forceinline__ Words4 philox_block(uint64_t seed, uint64_t block) {
    uint32_t c0 = (uint32_t) block, c1 = (uint32_t) (block >> 32), c2 = 0, c3 = 0;
    uint32_t k0 = (uint32_t) seed, k1 = (uint32_t) (seed >> 32);
#pragma unroll
    for (int round = 0; round < 10; ++round) {
        uint32_t hi0 = __umulhi(0xD2511F53u, c0), lo0 = 0xD2511F53u * c0;
        uint32_t hi1 = __umulhi(0xCD9E8D57u, c2), lo1 = 0xCD9E8D57u * c2;
        uint32_t n0 = hi1 ^ c1 ^ k0, n1 = lo1, n2 = hi0 ^ c3 ^ k1, n3 = lo0;
        c0 = n0; c1 = n1; c2 = n2; c3 = n3;
        k0 += 0x9E3779B9u;
        k1 += 0xBB67AE85u;
    }
    Words4 r;
    r.w[0] = c0; r.w[1] = c1; r.w[2] = c2; r.w[3] = c3;
    return r;
}

// Uniform [0, 1) from the top 24 bits, exactly as Philox.toUnit.
__device__ __forceinline__ float philox_unit(uint32_t word) {
    return __fmul_rn((float) (word >> 8), 5.9604644775390625e-08f);
}

__device__ __forceinline__ float philox_uniform(uint64_t seed, uint64_t word) {
    return philox_unit(philox_block(seed, word >> 2).w[word & 3]);
}

// ---- NaN-propagating min/max as the CPU reference combines them.
__device__ __forceinline__ float reduce_combine(int op, float acc, float x) {
    switch (op) {
        case R_MAX: return (x > acc || isnan(x)) ? x : acc;
        case R_MIN: return (x < acc || isnan(x)) ? x : acc;
        default: return acc + x;
    }
}

__device__ __forceinline__ float reduce_identity(int op) {
    return op == R_MAX ? -INFINITY : (op == R_MIN ? INFINITY : 0.f);
}

// Warp-level sum in a fixed butterfly order (deterministic for a given launch shape).
__device__ __forceinline__ double warp_sum(double v) {
#pragma unroll
    for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
    return v;
}

__device__ __forceinline__ float warp_max(float v) {
#pragma unroll
    for (int o = 16; o > 0; o >>= 1) v = fmaxf(v, __shfl_xor_sync(0xffffffffu, v, o));
    return v;
}

// Sum over a whole block (blockDim.x a multiple of 32, at most 1024); every thread gets the result.
__device__ __forceinline__ double block_sum(double v) {
    __shared__ double partial[32];
    int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, warps = blockDim.x >> 5;
    v = warp_sum(v);
    __syncthreads();
    if (lane == 0) partial[warp] = v;
    __syncthreads();
    double total = 0;
    for (int w = 0; w < warps; ++w) total += partial[w];
    return total;
}

// ---- Online softmax: (m, s) with s = sum of exp(x - m) over the elements seen so far. Merging two such
// states rescales both to the larger maximum; an empty state (m = -inf) contributes nothing.
__device__ __forceinline__ void online_merge(float& m, float& s, float m2, float s2) {
    float mx = fmaxf(m, m2);
    float a = m == -INFINITY ? 0.f : s * expf(m - mx);
    float b = m2 == -INFINITY ? 0.f : s2 * expf(m2 - mx);
    m = mx;
    s = a + b;
}

// Merges the states of the 32 lanes of a warp (every lane gets the result).
__device__ __forceinline__ void warp_online_merge(float& m, float& s) {
#pragma unroll
    for (int o = 16; o > 0; o >>= 1) {
        float m2 = __shfl_xor_sync(0xffffffffu, m, o);
        float s2 = __shfl_xor_sync(0xffffffffu, s, o);
        online_merge(m, s, m2, s2);
    }
}
