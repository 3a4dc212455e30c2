// Batched SGEMM  C[b] = A[b]·B[b] (+ bias[n])  for operands of any strides: A element (m, k) sits at
// aOff + m*sam + k*sak, B element (k, n) at bOff + k*sbk + n*sbn (a transposed operand is just swapped
// strides); C is dense [batch, M, N]. blockIdx.z is the batch index, decomposed over GemmBatch.
// The variants are the classic progression (after Simon Boehm's "How to optimize a CUDA matmul"):
//   v1 naive: one thread per C element, K loop straight from global memory;
//   v2 shared-memory tiling: 32x32 tiles of A and B staged in shared memory;
//   v3 2-D register tiling: 128x128 block tile, each thread computes an 8x8 sub-tile from registers;
//   v4 v3 with float4 (128-bit) global and shared loads, for row-major, 16-byte-aligned operands;
//   v5 warp tiling: each warp owns a 64x64 piece of the 128x128 block tile and each thread a 8x16
//      register tile spread over four 16-column warp sub-tiles, so a warp's shared-memory reads
//      cover few banks and the registers are reused more. Each operand may be row-major or
//      column-major (a transposed view, as in x·Wᵀ and the weight gradient xᵀ·dy): float4 loads run
//      along whichever axis is contiguous, so the same kernel serves all four combinations.
//   v6 v5's warp tiling on 64x64 block tiles, for products with few 128x128 tiles.
//   v7 v6 with register prefetch: the next k-tile's loads in flight while the current one is multiplied.
//   v8 v5's 128x128 tiles with v7's prefetch, for large products.
//   v9 TF32 tensor cores (mma.sync m16n8k8): inputs rounded to TF32 (10 mantissa bits), FP32 accumulation;
//      opt-in only, as PyTorch's allow_tf32 (KMERL_TF32=1 or --kernel gemm=v9).
//   v10 v7 with swizzled shared-memory tiles: the transposing stores free of bank conflicts.
//   v11 v10 with two shared-memory buffers: one barrier per k-tile instead of two.
//   v12 v9 with v10's swizzled tiles; v13 v12 with v11's two buffers (TF32, opt-in like v9).
// Every variant takes `accumulate`: C += A·B (+ bias) instead of C = A·B (+ bias).
#include "gemm_tiles.cuh"

#define GEMM_PARAMS GEMM_OPERANDS, float* C, const float* bias, int accumulate, GemmBatch batch
#define GEMM_PARAM_ARGS GEMM_OPERAND_ARGS, C, bias, accumulate, batch

extern "C" __global__ void kmerl_gemm_v1_naive(GEMM_PARAMS) {
    int ao = aOff, bo = bOff;
    batch_offsets(blockIdx.z, batch, ao, bo);
    int n = blockIdx.x * blockDim.x + threadIdx.x;
    int m = blockIdx.y * blockDim.y + threadIdx.y;
    if (m < M && n < N) {
        float acc = 0.f;
        for (int k = 0; k < K; ++k) acc += A[ao + m * sam + k * sak] * B[bo + k * sbk + n * sbn];
        StoreC{C, bias, accumulate}(blockIdx.z * M + m, n, acc, N);
    }
}

#define T2 32
extern "C" __global__ void kmerl_gemm_v2_smem_tiled(GEMM_PARAMS) {
    __shared__ float As[T2][T2];
    __shared__ float Bs[T2][T2 + 1];
    int ao = aOff, bo = bOff;
    batch_offsets(blockIdx.z, batch, ao, bo);
    int tx = threadIdx.x, ty = threadIdx.y;
    int m = blockIdx.y * T2 + ty, n = blockIdx.x * T2 + tx;
    float acc = 0.f;
    for (int k0 = 0; k0 < K; k0 += T2) {
        As[ty][tx] = (m < M && k0 + tx < K) ? A[ao + m * sam + (k0 + tx) * sak] : 0.f;
        Bs[ty][tx] = (k0 + ty < K && n < N) ? B[bo + (k0 + ty) * sbk + n * sbn] : 0.f;
        __syncthreads();
#pragma unroll
        for (int kk = 0; kk < T2; ++kk) acc += As[ty][kk] * Bs[kk][tx];
        __syncthreads();
    }
    if (m < M && n < N) StoreC{C, bias, accumulate}(blockIdx.z * M + m, n, acc, N);
}

#define BM 128
#define BN 128
#define BK 8
#define TM 8
#define TN 8
// 256 threads = (BM/TM) x (BN/TN); thread t owns rows (t / 16)*8.. and columns (t % 16)*8.. of the block tile.
__device__ __forceinline__ void store_tile(float acc[TM][TN], int M, int N, const StoreC& out, int row0, int col0,
                                           int z) {
#pragma unroll
    for (int i = 0; i < TM; ++i) {
        int m = row0 + i;
        if (m >= M) break;
#pragma unroll
        for (int j = 0; j < TN; ++j) {
            int n = col0 + j;
            if (n < N) out(z * M + m, n, acc[i][j], N);
        }
    }
}

extern "C" __global__ void __launch_bounds__(256) kmerl_gemm_v3_register_tiled(GEMM_PARAMS) {
    __shared__ float As[BK][BM];   // A tile stored transposed: a thread's 8 rows are contiguous
    __shared__ float Bs[BK][BN];
    int ao = aOff, bo = bOff;
    batch_offsets(blockIdx.z, batch, ao, bo);
    int m0 = blockIdx.y * BM, n0 = blockIdx.x * BN;
    int tid = threadIdx.x;
    int tr = tid / (BN / TN), tc = tid % (BN / TN);
    float acc[TM][TN] = {};
    float regM[TM], regN[TN];
    for (int k0 = 0; k0 < K; k0 += BK) {
        for (int i = tid; i < BM * BK; i += 256) {
            int r = i / BK, c = i % BK;
            As[c][r] = (m0 + r < M && k0 + c < K) ? A[ao + (m0 + r) * sam + (k0 + c) * sak] : 0.f;
        }
        for (int i = tid; i < BK * BN; i += 256) {
            int r = i / BN, c = i % BN;
            Bs[r][c] = (k0 + r < K && n0 + c < N) ? B[bo + (k0 + r) * sbk + (n0 + c) * sbn] : 0.f;
        }
        __syncthreads();
#pragma unroll
        for (int kk = 0; kk < BK; ++kk) {
#pragma unroll
            for (int i = 0; i < TM; ++i) regM[i] = As[kk][tr * TM + i];
#pragma unroll
            for (int j = 0; j < TN; ++j) regN[j] = Bs[kk][tc * TN + j];
#pragma unroll
            for (int i = 0; i < TM; ++i)
#pragma unroll
                for (int j = 0; j < TN; ++j) acc[i][j] += regM[i] * regN[j];
        }
        __syncthreads();
    }
    store_tile(acc, M, N, StoreC{C, bias, accumulate}, m0 + tr * TM, n0 + tc * TN, blockIdx.z);
}

// Requires (checked on the host): sak == 1, sbn == 1, K % 4 == 0, N % 4 == 0 and every offset and
// stride a multiple of 4 floats, so each float4 is 16-byte aligned and lies wholly inside or outside K, N.
extern "C" __global__ void __launch_bounds__(256) kmerl_gemm_v4_vectorized(GEMM_PARAMS) {
    __shared__ __align__(16) float As[BK][BM];
    __shared__ __align__(16) float Bs[BK][BN];
    int ao = aOff, bo = bOff;
    batch_offsets(blockIdx.z, batch, ao, bo);
    int m0 = blockIdx.y * BM, n0 = blockIdx.x * BN;
    int tid = threadIdx.x;
    int tr = tid / (BN / TN), tc = tid % (BN / TN);
    // Each thread moves one float4 of A (row tid/2, k 0-3 or 4-7) and one float4 of B (k tid/32, 4 columns).
    int aRow = tid / 2, aCol = (tid % 2) * 4;
    int bRow = tid / 32, bCol = (tid % 32) * 4;
    float acc[TM][TN] = {};
    float regM[TM], regN[TN];
    for (int k0 = 0; k0 < K; k0 += BK) {
        float4 a4 = make_float4(0.f, 0.f, 0.f, 0.f);
        if (m0 + aRow < M && k0 + aCol < K) a4 = *reinterpret_cast<const float4*>(&A[ao + (m0 + aRow) * sam + k0 + aCol]);
        As[aCol + 0][aRow] = a4.x;
        As[aCol + 1][aRow] = a4.y;
        As[aCol + 2][aRow] = a4.z;
        As[aCol + 3][aRow] = a4.w;
        float4 b4 = make_float4(0.f, 0.f, 0.f, 0.f);
        if (k0 + bRow < K && n0 + bCol < N) b4 = *reinterpret_cast<const float4*>(&B[bo + (k0 + bRow) * sbk + n0 + bCol]);
        *reinterpret_cast<float4*>(&Bs[bRow][bCol]) = b4;
        __syncthreads();
#pragma unroll
        for (int kk = 0; kk < BK; ++kk) {
            float4 m_lo = *reinterpret_cast<const float4*>(&As[kk][tr * TM]);
            float4 m_hi = *reinterpret_cast<const float4*>(&As[kk][tr * TM + 4]);
            float4 n_lo = *reinterpret_cast<const float4*>(&Bs[kk][tc * TN]);
            float4 n_hi = *reinterpret_cast<const float4*>(&Bs[kk][tc * TN + 4]);
            regM[0] = m_lo.x; regM[1] = m_lo.y; regM[2] = m_lo.z; regM[3] = m_lo.w;
            regM[4] = m_hi.x; regM[5] = m_hi.y; regM[6] = m_hi.z; regM[7] = m_hi.w;
            regN[0] = n_lo.x; regN[1] = n_lo.y; regN[2] = n_lo.z; regN[3] = n_lo.w;
            regN[4] = n_hi.x; regN[5] = n_hi.y; regN[6] = n_hi.z; regN[7] = n_hi.w;
#pragma unroll
            for (int i = 0; i < TM; ++i)
#pragma unroll
                for (int j = 0; j < TN; ++j) acc[i][j] += regM[i] * regN[j];
        }
        __syncthreads();
    }
    store_tile(acc, M, N, StoreC{C, bias, accumulate}, m0 + tr * TM, n0 + tc * TN, blockIdx.z);
}

// ------------------------------------------------------------------------------------------- v5 to v8
// The warp-tiled kernel is gemm_warp_tiled in gemm_tiles.cuh (also v10 and v11, at the end of this file).

extern "C" __global__ void __launch_bounds__(128) kmerl_gemm_v5_warp_tiled(GEMM_PARAMS, int aColMajor, int bColMajor) {
    gemm_warp_tiled<128, 128, 64, 64, 4, false>(GEMM_OPERAND_ARGS, batch, aColMajor, bColMajor,
                                                StoreC{C, bias, accumulate});
}

// v6: the same warp tiling on 64 x 64 block tiles (4 warps of 32 x 32): four times the blocks, for products
// whose 128 x 128 tiles would leave most SMs idle (a [11520, 256] output makes 180 of those for 132 SMs).
extern "C" __global__ void __launch_bounds__(128) kmerl_gemm_v6_small_tiles(GEMM_PARAMS, int aColMajor, int bColMajor) {
    gemm_warp_tiled<64, 64, 32, 32, 1, false>(GEMM_OPERAND_ARGS, batch, aColMajor, bColMajor,
                                              StoreC{C, bias, accumulate});
}

// v7: v6 with the next k-tile's global loads issued before the current tile's FMAs (register prefetch).
extern "C" __global__ void __launch_bounds__(128) kmerl_gemm_v7_prefetch(GEMM_PARAMS, int aColMajor, int bColMajor) {
    gemm_warp_tiled<64, 64, 32, 32, 1, true>(GEMM_OPERAND_ARGS, batch, aColMajor, bColMajor,
                                             StoreC{C, bias, accumulate});
}

// v8: v5's 128 x 128 block tiles with v7's register prefetch (223 registers, no spills on sm_90), for large
// products where v5's bigger tiles reuse each loaded element more.
extern "C" __global__ void __launch_bounds__(128) kmerl_gemm_v8_large_prefetch(GEMM_PARAMS, int aColMajor, int bColMajor) {
    gemm_warp_tiled<128, 128, 64, 64, 4, true>(GEMM_OPERAND_ARGS, batch, aColMajor, bColMajor,
                                               StoreC{C, bias, accumulate});
}

// ------------------------------------------------------------------------------------------------- v9
#ifndef KMERL_HOST_SHIM   // the host checks (kernels/src/test/cuda/host_shim.h) emulate these two
// x rounded to TF32 (10 mantissa bits, to nearest, ties away from zero), kept as a float.
__device__ __forceinline__ float tf32_round(float x) {
    uint32_t r;
    asm("cvt.rna.tf32.f32 %0, %1;" : "=r"(r) : "f"(x));
    return __uint_as_float(r);
}

// d += a·b for one warp's 16x8 tile over 8 k: TF32 inputs, FP32 accumulation (sm_80 and newer). With
// g = lane / 4 and t = lane % 4 each lane holds a = A(g, t), A(g+8, t), A(g, t+4), A(g+8, t+4);
// b = B(t, g), B(t+4, g); d = D(g, 2t), D(g, 2t+1), D(g+8, 2t), D(g+8, 2t+1) (PTX ISA, "Matrix
// Fragments for mma.m16n8k8", .tf32).
__device__ __forceinline__ void mma_tf32_16x8x8(float (&d)[4], const float (&a)[4], const float (&b)[2]) {
    asm volatile(
        "mma.sync.aligned.m16n8k8.row.col.f32.tf32.tf32.f32 {%0, %1, %2, %3}, {%4, %5, %6, %7}, {%8, %9}, "
        "{%0, %1, %2, %3};\n"
        : "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3])
        : "r"(__float_as_uint(a[0])), "r"(__float_as_uint(a[1])), "r"(__float_as_uint(a[2])),
          "r"(__float_as_uint(a[3])), "r"(__float_as_uint(b[0])), "r"(__float_as_uint(b[1])));
}
#endif

struct Tf32Round {
    __device__ __forceinline__ float operator()(float x) const { return tf32_round(x); }
};

// v9: 128x128 block tiles, BK = 16 (two k-steps of 8), 256 threads = 8 warps as 2 (m) x 4 (n); each warp
// owns a 64x32 piece, 4 x 4 mma tiles of 16x8, so each thread keeps 64 accumulators. The operands are
// staged as in v5-v8 (TileStager, register prefetch), rounded to TF32 on their way into shared memory
// (once per element rather than once per fragment load), with rows padded to 136 floats: a fragment load
// As[(k + t) * 136 + m + g] then falls on bank (8t + g) mod 32, 32 different banks for the 32 lanes.
// v12 and v13 refine the staging as v10 and v11 did v7's (SWIZZLE, DOUBLE_BUFFER below); all three issue the
// same mma instructions in the same order, so they return the same bits.
template <bool SWIZZLE, bool DOUBLE_BUFFER>
__device__ __forceinline__ void gemm_tf32(GEMM_PARAMS, int aColMajor, int bColMajor) {
    constexpr int TILE = 128, DEPTH = 16, THREADS = 256, WM = 64, WN = 32;
    constexpr int MT = WM / 16, NT = WN / 8;   // mma tiles per warp along m and n
    using Stager = TileStager<TILE, TILE, DEPTH, THREADS, 8, SWIZZLE>;
    constexpr int STAGES = DOUBLE_BUFFER ? 2 : 1, A_TILE = DEPTH * Stager::AS, B_TILE = DEPTH * Stager::BS;
    __shared__ __align__(16) float As[STAGES * A_TILE];
    __shared__ __align__(16) float Bs[STAGES * B_TILE];
    int ao = aOff, bo = bOff;
    batch_offsets(blockIdx.z, batch, ao, bo);
    int m0 = blockIdx.y * TILE, n0 = blockIdx.x * TILE;
    int warp = threadIdx.x / 32, lane = threadIdx.x % 32;
    int wm = warp / (TILE / WN) * WM, wn = warp % (TILE / WN) * WN;   // the warp's piece of the block tile
    int g = lane / 4, t = lane % 4;
    float acc[MT][NT][4] = {};
    Stager stage;
    // The k-tile in shared buffer `buffer` into the accumulators: two k-steps of 8, fragments per the PTX ISA.
    // With SWIZZLE, element (k, x) sits at column(k, x). Within one load instruction k >> 2 is the same for
    // every lane (k = kk + t or kk + t + 4 with t < 4 and kk a multiple of 8), so the XOR is one constant and
    // the 32 lanes still hit 32 banks. Spelled out so the compiler sees constants: the XOR touches bits 3 and
    // 4 only, wm and wn are multiples of 32 and g < 8, so column(kk, wm + i*16 + g) = wm + g + column(kk, i*16),
    // whose last term unrolls to a number (written as column(kk + t, ...), nvcc kept every address in a
    // register: 163 instead of 124, one block per SM instead of two).
    auto multiplyTile = [&](int buffer) {
        const float* as = As + buffer * A_TILE;
        const float* bs = Bs + buffer * B_TILE;
#pragma unroll
        for (int kk = 0; kk < DEPTH; kk += 8) {
            const float* a0 = as + (kk + t) * Stager::AS + wm + g;       // k = kk + t
            const float* a4 = as + (kk + t + 4) * Stager::AS + wm + g;   // k = kk + t + 4
            const float* b0 = bs + (kk + t) * Stager::BS + wn + g;
            const float* b4 = bs + (kk + t + 4) * Stager::BS + wn + g;
            float a[MT][4], b[NT][2];
#pragma unroll
            for (int i = 0; i < MT; ++i) {
                a[i][0] = a0[Stager::column(kk, i * 16)];
                a[i][1] = a0[Stager::column(kk, i * 16 + 8)];
                a[i][2] = a4[Stager::column(kk + 4, i * 16)];
                a[i][3] = a4[Stager::column(kk + 4, i * 16 + 8)];
            }
#pragma unroll
            for (int j = 0; j < NT; ++j) {
                b[j][0] = b0[Stager::column(kk, j * 8)];
                b[j][1] = b4[Stager::column(kk + 4, j * 8)];
            }
#pragma unroll
            for (int i = 0; i < MT; ++i)
#pragma unroll
                for (int j = 0; j < NT; ++j) mma_tf32_16x8x8(acc[i][j], a[i], b[j]);
        }
    };
    auto loadTiles = [&](int k0) { stage.load(GEMM_OPERAND_ARGS, ao, bo, m0, n0, k0, aColMajor, bColMajor); };
    auto storeTiles = [&](int buffer) {   // rounded to TF32 once per element, on the way in
        stage.store(As + buffer * A_TILE, Bs + buffer * B_TILE, aColMajor, bColMajor, Tf32Round{});
    };
    staged_k_loop<DEPTH, true, DOUBLE_BUFFER>(K, loadTiles, storeTiles, multiplyTile);
    StoreC out{C, bias, accumulate};
    int row = blockIdx.z * M;
#pragma unroll
    for (int i = 0; i < MT; ++i)
#pragma unroll
        for (int j = 0; j < NT; ++j)
#pragma unroll
            for (int r = 0; r < 4; ++r) {
                int m = m0 + wm + i * 16 + g + (r >= 2 ? 8 : 0), n = n0 + wn + j * 8 + 2 * t + (r & 1);
                if (m < M && n < N) out(row + m, n, acc[i][j][r], N);
            }
}

extern "C" __global__ void __launch_bounds__(256) kmerl_gemm_v9_tf32(GEMM_PARAMS, int aColMajor, int bColMajor) {
    gemm_tf32<false, false>(GEMM_PARAM_ARGS, aColMajor, bColMajor);
}

// ------------------------------------------------------------------------------------------ v10, v11
// Back to FP32 FMAs: v7 with the shared-memory tiles refined (gemm_tiles.cuh's SWIZZLE and DOUBLE_BUFFER).

// v10: v7 with swizzled shared-memory tiles: the transposing stores of a row-major A or a column-major B
// (4-way bank conflicts in v5-v8) spread over all 32 banks; the FMA loop's loads are unchanged in kind.
extern "C" __global__ void __launch_bounds__(128, 5) kmerl_gemm_v10_swizzled(GEMM_PARAMS, int aColMajor, int bColMajor) {
    gemm_warp_tiled<64, 64, 32, 32, 1, true, true>(GEMM_OPERAND_ARGS, batch, aColMajor, bColMajor,
                                                   StoreC{C, bias, accumulate});
}

// v11: v10 with two shared-memory buffers: the prefetched k-tile is stored into the other buffer after this
// tile's FMAs, one barrier per k-tile instead of two.
extern "C" __global__ void __launch_bounds__(128, 5) kmerl_gemm_v11_double_buffered(GEMM_PARAMS, int aColMajor,
                                                                                    int bColMajor) {
    gemm_warp_tiled<64, 64, 32, 32, 1, true, true, true>(GEMM_OPERAND_ARGS, batch, aColMajor, bColMajor,
                                                         StoreC{C, bias, accumulate});
}

// ------------------------------------------------------------------------------------------ v12, v13
// Back to TF32: v9 (gemm_tf32 above) with the shared-memory refinements of v10 and v11.

// v12: v9 with v10's swizzled shared-memory tiles. The pad alone does not help the transposing stores of a
// row-major A (or column-major B): a warp's store of a float4's element e writes rows 4c + e (c = 0..3),
// 4 x 136 floats apart, a multiple of 32 banks, so the four c's meet in bank 8e + m: a 4-way conflict, as in
// v7. XOR-ing the column with c << 3 moves them to banks 8e + m + 8c, 32 different ones.
extern "C" __global__ void __launch_bounds__(256) kmerl_gemm_v12_tf32_swizzled(GEMM_PARAMS, int aColMajor,
                                                                               int bColMajor) {
    gemm_tf32<true, false>(GEMM_PARAM_ARGS, aColMajor, bColMajor);
}

// v13: v12 with two shared-memory buffers, one barrier per k-tile instead of two (v11's change to v10). With
// 256 threads of ~126 registers, two blocks fit an SM: fewer other warps to run while one block waits at a
// barrier than v10's five blocks of 128.
extern "C" __global__ void __launch_bounds__(256) kmerl_gemm_v13_tf32_double_buffered(GEMM_PARAMS, int aColMajor,
                                                                                      int bColMajor) {
    gemm_tf32<true, true>(GEMM_PARAM_ARGS, aColMajor, bColMajor);
}
