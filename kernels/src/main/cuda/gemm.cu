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
#include "kmerl_common.cuh"

struct GemmBatch {
    int rank;
    int size[KMERL_MAX_RANK];
    int aStride[KMERL_MAX_RANK];
    int bStride[KMERL_MAX_RANK];
};

// Unrolled over every slot for the reason given at strided_offset (kmerl_common.cuh).
__device__ __forceinline__ void batch_offsets(int z, const GemmBatch& bt, int& ao, int& bo) {
#pragma unroll
    for (int a = KMERL_MAX_RANK - 1; a >= 0; --a) {
        if (a < bt.rank) {
            int n = bt.size[a];
            int q = z / n;
            int c = z - q * n;
            ao += c * bt.aStride[a];
            bo += c * bt.bStride[a];
            z = q;
        }
    }
}

#define GEMM_PARAMS int M, int N, int K, const float* A, int aOff, int sam, int sak, \
                    const float* B, int bOff, int sbk, int sbn, float* C, const float* bias, GemmBatch batch

extern "C" __global__ void kmerl_gemm_v1_naive(GEMM_PARAMS) {
    int ao = aOff, bo = bOff;
    batch_offsets(blockIdx.z, batch, ao, bo);
    int n = blockIdx.x * blockDim.x + threadIdx.x;
    int m = blockIdx.y * blockDim.y + threadIdx.y;
    if (m < M && n < N) {
        float acc = 0.f;
        for (int k = 0; k < K; ++k) acc += A[ao + m * sam + k * sak] * B[bo + k * sbk + n * sbn];
        C[(size_t) blockIdx.z * M * N + (size_t) m * N + n] = acc + (bias ? bias[n] : 0.f);
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
    if (m < M && n < N) C[(size_t) blockIdx.z * M * N + (size_t) m * N + n] = acc + (bias ? bias[n] : 0.f);
}

#define BM 128
#define BN 128
#define BK 8
#define TM 8
#define TN 8
// 256 threads = (BM/TM) x (BN/TN); thread t owns rows (t / 16)*8.. and columns (t % 16)*8.. of the block tile.
__device__ __forceinline__ void store_tile(float acc[TM][TN], int M, int N, float* C, const float* bias,
                                           int row0, int col0, int z) {
    float* Cz = C + (size_t) z * M * N;
#pragma unroll
    for (int i = 0; i < TM; ++i) {
        int m = row0 + i;
        if (m >= M) break;
#pragma unroll
        for (int j = 0; j < TN; ++j) {
            int n = col0 + j;
            if (n < N) Cz[(size_t) m * N + n] = acc[i][j] + (bias ? bias[n] : 0.f);
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
    store_tile(acc, M, N, C, bias, m0 + tr * TM, n0 + tc * TN, blockIdx.z);
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
    store_tile(acc, M, N, C, bias, m0 + tr * TM, n0 + tc * TN, blockIdx.z);
}

// ------------------------------------------------------------------------------------------- v5, v6
// aColMajor: A(m, k) at m + k*sak (sam == 1), else at m*sam + k (sak == 1); bColMajor likewise for B(k, n).
// The host checks that the contiguous axis's length and every offset and stride are multiples of 4.
// The block tile BM x BN is split among 4 warps of WM x WN; each thread computes TM x TN outputs in each of
// WMITER x WNITER warp sub-tiles. v5 instantiates it with 128x128 block tiles, v6 with 64x64.
template <int W_BM, int W_BN, int W_WM, int W_WN, int W_WNITER, bool PREFETCH>
__device__ __forceinline__ void gemm_warp_tiled(GEMM_PARAMS, int aColMajor, int bColMajor) {
    constexpr int W_BK = 16, W_TM = 8, W_TN = 4, W_THREADS = 128;
    constexpr int W_WMITER = (W_WM * W_WN) / (32 * W_TM * W_TN * W_WNITER);
    constexpr int W_WSUBM = W_WM / W_WMITER;
    constexpr int W_WSUBN = W_WN / W_WNITER;
    constexpr int A_LOADS = W_BK * W_BM / (4 * W_THREADS), B_LOADS = W_BK * W_BN / (4 * W_THREADS);
    static_assert((W_BM / W_WM) * (W_BN / W_WN) * 32 == W_THREADS, "one warp per warp tile");
    static_assert(W_WMITER >= 1 && (W_WSUBN / W_TN) * (W_WSUBM / W_TM) == 32, "a warp's lanes cover its sub-tile");
    __shared__ __align__(16) float As[W_BK * W_BM];   // transposed: As[k * BM + m]
    __shared__ __align__(16) float Bs[W_BK * W_BN];   // Bs[k * BN + n]
    int ao = aOff, bo = bOff;
    batch_offsets(blockIdx.z, batch, ao, bo);
    int m0 = blockIdx.y * W_BM, n0 = blockIdx.x * W_BN;
    int warp = threadIdx.x / 32, lane = threadIdx.x % 32;
    int warpCol = warp % (W_BN / W_WN), warpRow = warp / (W_BN / W_WN);
    int laneCol = lane % (W_WSUBN / W_TN), laneRow = lane / (W_WSUBN / W_TN);
    // Row-major A: float4 along k (4 per row of BK), stored transposed. Column-major A: float4 along m,
    // stored as it comes. Row-major B: float4 along n. Column-major B: float4 along k, stored transposed.
    // Each thread moves A_LOADS + B_LOADS float4 per k-tile, through registers (aReg, bReg).
    int aRow = threadIdx.x / (W_BK / 4), aCol = threadIdx.x % (W_BK / 4);
    constexpr int aRowStep = (W_THREADS * 4) / W_BK;
    int aK = threadIdx.x / (W_BM / 4), aM = threadIdx.x % (W_BM / 4);
    constexpr int aKStep = W_THREADS / (W_BM / 4);
    int bRow = threadIdx.x / (W_BN / 4), bCol = threadIdx.x % (W_BN / 4);
    constexpr int bRowStep = W_THREADS / (W_BN / 4);
    int bN = threadIdx.x / (W_BK / 4), bK = threadIdx.x % (W_BK / 4);
    constexpr int bNStep = (W_THREADS * 4) / W_BK;
    float4 aReg[A_LOADS], bReg[B_LOADS];
    auto loadTiles = [&](int k0) {
#pragma unroll
        for (int l = 0; l < A_LOADS; ++l) {
            aReg[l] = make_float4(0.f, 0.f, 0.f, 0.f);
            if (aColMajor) {
                int k = k0 + aK + l * aKStep, m = m0 + aM * 4;
                if (k < K && m < M) aReg[l] = *reinterpret_cast<const float4*>(&A[ao + k * sak + m]);
            } else {
                int m = m0 + aRow + l * aRowStep, k = k0 + aCol * 4;
                if (m < M && k < K) aReg[l] = *reinterpret_cast<const float4*>(&A[ao + m * sam + k]);
            }
        }
#pragma unroll
        for (int l = 0; l < B_LOADS; ++l) {
            bReg[l] = make_float4(0.f, 0.f, 0.f, 0.f);
            if (bColMajor) {
                int n = n0 + bN + l * bNStep, k = k0 + bK * 4;
                if (n < N && k < K) bReg[l] = *reinterpret_cast<const float4*>(&B[bo + n * sbn + k]);
            } else {
                int k = k0 + bRow + l * bRowStep, n = n0 + bCol * 4;
                if (k < K && n < N) bReg[l] = *reinterpret_cast<const float4*>(&B[bo + k * sbk + n]);
            }
        }
    };
    auto storeTiles = [&]() {
#pragma unroll
        for (int l = 0; l < A_LOADS; ++l) {
            float4 v = aReg[l];
            if (aColMajor) {
                *reinterpret_cast<float4*>(&As[(aK + l * aKStep) * W_BM + aM * 4]) = v;
            } else {
                int r = aRow + l * aRowStep;
                As[(aCol * 4 + 0) * W_BM + r] = v.x;
                As[(aCol * 4 + 1) * W_BM + r] = v.y;
                As[(aCol * 4 + 2) * W_BM + r] = v.z;
                As[(aCol * 4 + 3) * W_BM + r] = v.w;
            }
        }
#pragma unroll
        for (int l = 0; l < B_LOADS; ++l) {
            float4 v = bReg[l];
            if (bColMajor) {
                int c = bN + l * bNStep;
                Bs[(bK * 4 + 0) * W_BN + c] = v.x;
                Bs[(bK * 4 + 1) * W_BN + c] = v.y;
                Bs[(bK * 4 + 2) * W_BN + c] = v.z;
                Bs[(bK * 4 + 3) * W_BN + c] = v.w;
            } else {
                *reinterpret_cast<float4*>(&Bs[(bRow + l * bRowStep) * W_BN + bCol * 4]) = v;
            }
        }
    };
    float acc[W_WMITER * W_TM * W_WNITER * W_TN] = {};
    float regM[W_WMITER * W_TM], regN[W_WNITER * W_TN];
    loadTiles(0);
    for (int k0 = 0; k0 < K; k0 += W_BK) {
        storeTiles();
        __syncthreads();
        // PREFETCH: the next k-tile's global loads are issued before this tile's FMAs, so their latency
        // hides behind the arithmetic; without it they wait until the tile is done (v5, v6).
        if (PREFETCH && k0 + W_BK < K) loadTiles(k0 + W_BK);
#pragma unroll
        for (int kk = 0; kk < W_BK; ++kk) {
#pragma unroll
            for (int sm = 0; sm < W_WMITER; ++sm)
#pragma unroll
                for (int i = 0; i < W_TM; ++i)
                    regM[sm * W_TM + i] = As[kk * W_BM + warpRow * W_WM + sm * W_WSUBM + laneRow * W_TM + i];
#pragma unroll
            for (int sn = 0; sn < W_WNITER; ++sn)
#pragma unroll
                for (int j = 0; j < W_TN; ++j)
                    regN[sn * W_TN + j] = Bs[kk * W_BN + warpCol * W_WN + sn * W_WSUBN + laneCol * W_TN + j];
#pragma unroll
            for (int sm = 0; sm < W_WMITER; ++sm)
#pragma unroll
                for (int sn = 0; sn < W_WNITER; ++sn)
#pragma unroll
                    for (int i = 0; i < W_TM; ++i)
#pragma unroll
                        for (int j = 0; j < W_TN; ++j)
                            acc[(sm * W_TM + i) * (W_WNITER * W_TN) + sn * W_TN + j] += regM[sm * W_TM + i] * regN[sn * W_TN + j];
        }
        __syncthreads();
        if (!PREFETCH && k0 + W_BK < K) loadTiles(k0 + W_BK);
    }
    float* Cz = C + (size_t) blockIdx.z * M * N;
#pragma unroll
    for (int sm = 0; sm < W_WMITER; ++sm)
#pragma unroll
        for (int sn = 0; sn < W_WNITER; ++sn)
#pragma unroll
            for (int i = 0; i < W_TM; ++i) {
                int m = m0 + warpRow * W_WM + sm * W_WSUBM + laneRow * W_TM + i;
                if (m >= M) continue;
#pragma unroll
                for (int j = 0; j < W_TN; ++j) {
                    int n = n0 + warpCol * W_WN + sn * W_WSUBN + laneCol * W_TN + j;
                    if (n < N) Cz[(size_t) m * N + n] = acc[(sm * W_TM + i) * (W_WNITER * W_TN) + sn * W_TN + j] + (bias ? bias[n] : 0.f);
                }
            }
}

extern "C" __global__ void __launch_bounds__(128) kmerl_gemm_v5_warp_tiled(GEMM_PARAMS, int aColMajor, int bColMajor) {
    gemm_warp_tiled<128, 128, 64, 64, 4, false>(M, N, K, A, aOff, sam, sak, B, bOff, sbk, sbn, C, bias, batch, aColMajor,
                                         bColMajor);
}

// v6: the same warp tiling on 64 x 64 block tiles (4 warps of 32 x 32): four times the blocks, for products
// whose 128 x 128 tiles would leave most SMs idle (a [11520, 256] output makes 180 of those for 132 SMs).
extern "C" __global__ void __launch_bounds__(128) kmerl_gemm_v6_small_tiles(GEMM_PARAMS, int aColMajor, int bColMajor) {
    gemm_warp_tiled<64, 64, 32, 32, 1, false>(M, N, K, A, aOff, sam, sak, B, bOff, sbk, sbn, C, bias, batch, aColMajor,
                                              bColMajor);
}

// v7: v6 with the next k-tile's global loads issued before the current tile's FMAs (register prefetch).
extern "C" __global__ void __launch_bounds__(128) kmerl_gemm_v7_prefetch(GEMM_PARAMS, int aColMajor, int bColMajor) {
    gemm_warp_tiled<64, 64, 32, 32, 1, true>(M, N, K, A, aOff, sam, sak, B, bOff, sbk, sbn, C, bias, batch, aColMajor,
                                             bColMajor);
}

// v8: v5's 128 x 128 block tiles with v7's register prefetch (223 registers, no spills on sm_90), for large
// products where v5's bigger tiles reuse each loaded element more.
extern "C" __global__ void __launch_bounds__(128) kmerl_gemm_v8_large_prefetch(GEMM_PARAMS, int aColMajor, int bColMajor) {
    gemm_warp_tiled<128, 128, 64, 64, 4, true>(M, N, K, A, aOff, sam, sak, B, bOff, sbk, sbn, C, bias, batch, aColMajor,
                                               bColMajor);
}
