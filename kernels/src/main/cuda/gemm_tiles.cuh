// The tiling shared by the warp-tiled GEMM kernels (gemm.cu's v5 to v8) and the kernels that fuse an
// elementwise step into a product's output (attention.cu's v4): the operands and their batch layout,
// the warp-tiled main loop, and the epilogue that writes each output element.
#pragma once
#include "kmerl_common.cuh"

// A[b] (m, k) at aOff + m*sam + k*sak, B[b] (k, n) at bOff + k*sbk + n*sbn; the batch index b decomposed
// over GemmBatch (blockIdx.z).
#define GEMM_OPERANDS int M, int N, int K, const float* A, int aOff, int sam, int sak, \
                      const float* B, int bOff, int sbk, int sbn
#define GEMM_OPERAND_ARGS M, N, K, A, aOff, sam, sak, B, bOff, sbk, sbn

// The tiling of the kernels that fuse a step into a product's epilogue (attention v4's dS, the CLIP loss v2's
// statistics), launched by CudaMatmul.launchFused on 64x64 tiles of 128 threads: GEMM v10's, register prefetch and
// swizzled shared-memory tiles. Their kernels take v10's __launch_bounds__(128, 5): without the bound nvcc spends
// 127 registers, and 4 blocks per SM instead of 5 (KernelResourcesTest checks it).
#define GEMM_FUSED_TILES 64, 64, 32, 32, 1, true, true

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

// The plain epilogue: C (dense [batch, M, N]) = A·B (+ bias[n]) (+ C's old value when accumulating: the
// BLAS beta = 1, so a gradient is added to without a scratch product and an extra pass).
struct StoreC {
    float* C;
    const float* bias;
    int accumulate;

    // row: the output row over all batches (batch * M + m); the element is C[row * N + n].
    __device__ __forceinline__ void operator()(int row, int n, float acc, int N) const {
        size_t idx = (size_t) row * N + n;
        float v = acc + (bias ? bias[n] : 0.f);
        C[idx] = accumulate ? C[idx] + v : v;
    }
};

// Stages one BK-deep k-tile of A (BM x BK) and B (BK x BN) from global memory into shared memory, through
// registers so the next tile's loads can be in flight while the current one is used (load, then store).
// aColMajor: A(m, k) at m + k*sak (sam == 1), else at m*sam + k (sak == 1); bColMajor likewise for B(k, n).
// The host checks that the contiguous axis's length and every offset and stride are multiples of 4.
// Shared layout: As[k * AS + m], Bs[k * BS + n], rows padded by PAD floats (0 for the FMA kernels; the
// tensor-core kernel pads so its fragment loads hit 32 different banks). Out-of-range elements are staged as
// zeros. A and B are staged alike, as an X x BK operand tile (X: m for A, n for B), by OperandTile: a
// row-major A and a column-major B are contiguous along k (float4 along k, stored transposed), a column-major
// A and a row-major B along x (float4 along x, stored as they come).
//
// SWIZZLE (GEMM v10; v12 on padded rows): x is stored at swizzled(k, x) instead. The transposing stores write a warp's 32 values
// to rows k = 4*c' + c at x = 0..7: unswizzled, the four rows' words share 8 banks (the row stride is a
// multiple of 32 words), a 4-way conflict on each of the four stores per float4. XOR-ing bits 3 and 4 of the
// column with bits 2 and 3 of k spreads them over all 32 banks. The readers' runs of 4 and 8 aligned floats
// stay contiguous and aligned (only bits 3 and 4 move), and a warp's reads of one k row still cover distinct
// banks, so the FMA loop keeps its 128-bit loads.
__device__ __forceinline__ int swizzled(int k, int x) { return x ^ (((k >> 2) & 3) << 3); }

// One operand's X x BK tile in registers: LOADS float4 per thread.
template <int X, int BK, int THREADS, bool SWIZZLE>
struct OperandTile {
    static constexpr int LOADS = BK * X / (4 * THREADS);
    static constexpr int X_STEP = THREADS * 4 / BK;   // contiguous along k: x rows per pass of the block
    static constexpr int K_STEP = THREADS / (X / 4);  // contiguous along x: k rows per pass
    float4 reg[LOADS];

    // Where column x of shared-memory row k is stored.
    static __device__ __forceinline__ int column(int k, int x) { return SWIZZLE ? swizzled(k, x) : x; }

    // Element (x, k) of this operand at P[off + x*sx + k*sk]; xs: its extent in x (M or N).
    __device__ __forceinline__ void load(const float* P, int off, int sx, int sk, int x0, int k0, int xs, int K,
                                         bool kContiguous) {
#pragma unroll
        for (int l = 0; l < LOADS; ++l) {
            reg[l] = make_float4(0.f, 0.f, 0.f, 0.f);
            int x, k;
            if (kContiguous) {
                x = x0 + threadIdx.x / (BK / 4) + l * X_STEP;
                k = k0 + threadIdx.x % (BK / 4) * 4;
                if (x < xs && k < K) reg[l] = *reinterpret_cast<const float4*>(&P[off + x * sx + k]);
            } else {
                k = k0 + threadIdx.x / (X / 4) + l * K_STEP;
                x = x0 + threadIdx.x % (X / 4) * 4;
                if (k < K && x < xs) reg[l] = *reinterpret_cast<const float4*>(&P[off + k * sk + x]);
            }
        }
    }

    // Into S (rows of `stride` floats); `round` is applied to every value (tf32 rounding, or none).
    template <class Round>
    __device__ __forceinline__ void store(float* S, int stride, bool kContiguous, Round round) const {
#pragma unroll
        for (int l = 0; l < LOADS; ++l) {
            float4 v = make_float4(round(reg[l].x), round(reg[l].y), round(reg[l].z), round(reg[l].w));
            if (kContiguous) {
                int x = threadIdx.x / (BK / 4) + l * X_STEP, k = threadIdx.x % (BK / 4) * 4;
                S[(k + 0) * stride + column(k + 0, x)] = v.x;
                S[(k + 1) * stride + column(k + 1, x)] = v.y;
                S[(k + 2) * stride + column(k + 2, x)] = v.z;
                S[(k + 3) * stride + column(k + 3, x)] = v.w;
            } else {
                int k = threadIdx.x / (X / 4) + l * K_STEP;
                *reinterpret_cast<float4*>(&S[k * stride + column(k, threadIdx.x % (X / 4) * 4)]) = v;
            }
        }
    }
};

template <int BM, int BN, int BK, int THREADS, int PAD = 0, bool SWIZZLE = false>
struct TileStager {
    static_assert(!SWIZZLE || (BM % 32 == 0 && BN % 32 == 0), "the swizzle moves columns within 32");
    static constexpr int AS = BM + PAD, BS = BN + PAD;
    OperandTile<BM, BK, THREADS, SWIZZLE> a;
    OperandTile<BN, BK, THREADS, SWIZZLE> b;

    // Where column x of shared-memory row k is stored (the same rule for A and B).
    static __device__ __forceinline__ int column(int k, int x) { return OperandTile<BM, BK, THREADS, SWIZZLE>::column(k, x); }

    // Each thread moves a.LOADS + b.LOADS float4 per k-tile. A is (x = m, k); B is read as (x = n, k).
    __device__ __forceinline__ void load(GEMM_OPERANDS, int ao, int bo, int m0, int n0, int k0, int aColMajor,
                                         int bColMajor) {
        a.load(A, ao, sam, sak, m0, k0, M, K, !aColMajor);
        b.load(B, bo, sbn, sbk, n0, k0, N, K, bColMajor);
    }

    template <class Round>
    __device__ __forceinline__ void store(float* As, float* Bs, int aColMajor, int bColMajor, Round round) const {
        a.store(As, AS, !aColMajor, round);
        b.store(Bs, BS, bColMajor, round);
    }
};

// COUNT floats (a multiple of 4) from 16-byte-aligned shared memory into registers, as 128-bit loads: spelled
// out, because the compiler cannot always prove the alignment of a swizzled or double-buffered address.
template <int COUNT>
__device__ __forceinline__ void load_run(float* dst, const float* src) {
    static_assert(COUNT % 4 == 0, "whole float4s");
#pragma unroll
    for (int q = 0; q < COUNT; q += 4) {
        float4 v = *reinterpret_cast<const float4*>(src + q);
        dst[q] = v.x;
        dst[q + 1] = v.y;
        dst[q + 2] = v.z;
        dst[q + 3] = v.w;
    }
}

// Values go into shared memory as they are (the FMA kernels).
struct Unrounded {
    __device__ __forceinline__ float operator()(float x) const { return x; }
};

// The k-loop of the staged products (gemm_warp_tiled below, gemm.cu's TF32 kernels): BK-deep k-tiles go
// global -> registers (loadTiles(k0)) -> shared buffer (storeTiles(buffer)) and are multiplied from there
// (multiplyTile(buffer)).
template <int BK, bool PREFETCH, bool DOUBLE_BUFFER, class Load, class Store, class Multiply>
__device__ __forceinline__ void staged_k_loop(int K, const Load& loadTiles, const Store& storeTiles,
                                              const Multiply& multiplyTile) {
    static_assert(!DOUBLE_BUFFER || PREFETCH, "the second buffer is filled from the prefetched registers");
    loadTiles(0);
    if constexpr (DOUBLE_BUFFER) {
        // One barrier per k-tile: the prefetched tile goes into the other buffer after this tile's products,
        // and the barrier then both publishes it and tells every thread that this buffer has been read (it is
        // the one the next iteration fills).
        storeTiles(0);
        __syncthreads();
        for (int k0 = 0, buffer = 0; k0 < K; k0 += BK, buffer ^= 1) {
            bool more = k0 + BK < K;
            if (more) loadTiles(k0 + BK);
            multiplyTile(buffer);
            if (more) storeTiles(buffer ^ 1);
            __syncthreads();
        }
    } else {
        for (int k0 = 0; k0 < K; k0 += BK) {
            storeTiles(0);
            __syncthreads();
            // PREFETCH: the next k-tile's global loads are issued before this tile's products, so their latency
            // hides behind the arithmetic; without it they wait until the tile is done (v5, v6).
            if (PREFETCH && k0 + BK < K) loadTiles(k0 + BK);
            multiplyTile(0);
            __syncthreads();
            if (!PREFETCH && k0 + BK < K) loadTiles(k0 + BK);
        }
    }
}

// The block tile BM x BN is split among 4 warps of WM x WN; each thread computes TM x TN outputs in each of
// WMITER x WNITER warp sub-tiles. gemm.cu's v5 and v8 instantiate it with 128x128 block tiles, v6, v7, v10 and
// v11 with 64x64 (v10 with SWIZZLE: TileStager's conflict-free stores; v11 also with DOUBLE_BUFFER); every
// output element goes through the epilogue (StoreC, or attention.cu's fused ones).
template <int W_BM, int W_BN, int W_WM, int W_WN, int W_WNITER, bool PREFETCH, bool SWIZZLE = false,
          bool DOUBLE_BUFFER = false, class Epilogue>
__device__ __forceinline__ void gemm_warp_tiled(GEMM_OPERANDS, GemmBatch batch, int aColMajor, int bColMajor,
                                                const Epilogue& out) {
    constexpr int W_BK = 16, W_TM = 8, W_TN = 4, W_THREADS = 128;
    constexpr int W_WMITER = (W_WM * W_WN) / (32 * W_TM * W_TN * W_WNITER);
    constexpr int W_WSUBM = W_WM / W_WMITER;
    constexpr int W_WSUBN = W_WN / W_WNITER;
    static_assert((W_BM / W_WM) * (W_BN / W_WN) * 32 == W_THREADS, "one warp per warp tile");
    static_assert(W_WMITER >= 1 && (W_WSUBN / W_TN) * (W_WSUBM / W_TM) == 32, "a warp's lanes cover its sub-tile");
    // DOUBLE_BUFFER: two k-tiles of shared memory, so the next tile can be stored while this one is read.
    constexpr int STAGES = DOUBLE_BUFFER ? 2 : 1, A_TILE = W_BK * W_BM, B_TILE = W_BK * W_BN;
    __shared__ __align__(16) float As[STAGES * A_TILE];   // transposed: As[k * BM + m]
    __shared__ __align__(16) float Bs[STAGES * B_TILE];   // Bs[k * BN + n]
    int ao = aOff, bo = bOff;
    batch_offsets(blockIdx.z, batch, ao, bo);
    int m0 = blockIdx.y * W_BM, n0 = blockIdx.x * W_BN;
    int warp = threadIdx.x / 32, lane = threadIdx.x % 32;
    int warpCol = warp % (W_BN / W_WN), warpRow = warp / (W_BN / W_WN);
    int laneCol = lane % (W_WSUBN / W_TN), laneRow = lane / (W_WSUBN / W_TN);
    using Stager = TileStager<W_BM, W_BN, W_BK, W_THREADS, 0, SWIZZLE>;
    Stager stage;
    auto loadTiles = [&](int k0) { stage.load(GEMM_OPERAND_ARGS, ao, bo, m0, n0, k0, aColMajor, bColMajor); };
    auto storeTiles = [&](int buffer) {
        stage.store(As + buffer * A_TILE, Bs + buffer * B_TILE, aColMajor, bColMajor, Unrounded{});
    };
    float acc[W_WMITER * W_TM * W_WNITER * W_TN] = {};
    float regM[W_WMITER * W_TM], regN[W_WNITER * W_TN];
    // The k-tile in shared buffer `buffer` into the accumulators.
    auto multiplyTile = [&](int buffer) {
        const float* as = As + buffer * A_TILE;
        const float* bs = Bs + buffer * B_TILE;
#pragma unroll
        for (int kk = 0; kk < W_BK; ++kk) {
            // A thread's run of W_TM (W_TN) floats starts at a multiple of 8 (4), so the swizzle moves the run
            // whole: its first float's column, then the run contiguous and aligned.
#pragma unroll
            for (int sm = 0; sm < W_WMITER; ++sm) {
                int m = Stager::column(kk, warpRow * W_WM + sm * W_WSUBM + laneRow * W_TM);
                load_run<W_TM>(&regM[sm * W_TM], &as[kk * W_BM + m]);
            }
#pragma unroll
            for (int sn = 0; sn < W_WNITER; ++sn) {
                int n = Stager::column(kk, warpCol * W_WN + sn * W_WSUBN + laneCol * W_TN);
                load_run<W_TN>(&regN[sn * W_TN], &bs[kk * W_BN + n]);
            }
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
    };
    staged_k_loop<W_BK, PREFETCH, DOUBLE_BUFFER>(K, loadTiles, storeTiles, multiplyTile);
    int row = blockIdx.z * M;   // output rows of the batches before this one
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
                    if (n < N) out(row + m, n, acc[(sm * W_TM + i) * (W_WNITER * W_TN) + sn * W_TN + j], N);
                }
            }
}

