// Scaled-dot-product attention, [B, H, T, D] dense, optional key padding [B, Tk] (non-zero = padded),
// attention dropout whose keep decision for (query row, key j) is Philox word offset + row*Tk + j (the
// same rule as the CPU backend), and the log-sum-exp of each query row saved for backward.
//   v1 materialised: scores, probabilities and their gradients as [B*H, Tq, Tk] buffers in global memory,
//      each step a plain one-thread-per-element kernel (easy to read, O(T^2) memory);
//   v2 fused: one thread per query row (forward, dQ) or key row (dK, dV) walks the other side in shared-
//      memory tiles with an online softmax; no [Tq, Tk] buffer exists, nothing is atomically accumulated;
//   v3 on the GEMM kernels (llm.c's way): q·kᵀ, P·v and the four backward products run through the fast
//      GEMM, with the two kernels below between them (a warp-per-row masked softmax, an elementwise dS);
//   v4 v3 with fewer passes over the [B*H, Tq, Tk] buffers: the forward keeps P for the backward, dP = dO·vᵀ
//      becomes dS in that product's epilogue (gemm_tiles.cuh), and the gradient products add into dQ, dK, dV.
#include "kmerl_common.cuh"
#include "gemm_tiles.cuh"

__device__ __forceinline__ bool key_padded(const float* pad, int b, int Tk, int j) {
    return pad != nullptr && pad[(size_t) b * Tk + j] != 0.f;
}

// 1/(1-p) if attention weight (row, j) survives dropout, else 0 (1 without dropout).
__device__ __forceinline__ float keep_factor(float dropout, uint64_t seed, uint64_t offset, int row, int Tk, int j) {
    if (dropout == 0.f) return 1.f;
    float u = philox_uniform(seed, offset + (uint64_t) row * Tk + j);
    return u >= dropout ? 1.f / (1.f - dropout) : 0.f;
}

// ------------------------------------------------------------------------------------ v1 materialised

extern "C" __global__ void kmerl_attention_v1_scores(int BH, int H, int Tq, int Tk, int D, const float* q, const float* k,
                                                     const float* pad, float scale, float* S) {
    int total = BH * Tq * Tk;
    GRID_STRIDE_LOOP(idx, total) {
        int row = idx / Tk, j = idx - row * Tk, bh = row / Tq;
        if (key_padded(pad, bh / H, Tk, j)) { S[idx] = -INFINITY; continue; }
        const float* qr = q + (size_t) row * D;
        const float* kr = k + ((size_t) bh * Tk + j) * D;
        float dot = 0.f;
        for (int c = 0; c < D; ++c) dot += qr[c] * kr[c];
        S[idx] = dot * scale;
    }
}

// Forward: lse per row; P = exp(S - lse) * keep in place. Backward (lse given): P and P*keep.
extern "C" __global__ void kmerl_attention_v1_softmax(int rows, int Tk, float* S, float* lse, float dropout,
                                                      uint64_t seed, uint64_t offset) {
    GRID_STRIDE_LOOP(row, rows) {
        float* s = S + (size_t) row * Tk;
        float mx = -INFINITY;
        for (int j = 0; j < Tk; ++j) mx = fmaxf(mx, s[j]);
        if (mx == -INFINITY) {   // every key padded: zero output
            lse[row] = -INFINITY;
            for (int j = 0; j < Tk; ++j) s[j] = 0.f;
            continue;
        }
        float sum = 0.f;
        for (int j = 0; j < Tk; ++j) sum += expf(s[j] - mx);
        float l = mx + logf(sum);
        lse[row] = l;
        for (int j = 0; j < Tk; ++j) s[j] = expf(s[j] - l) * keep_factor(dropout, seed, offset, row, Tk, j);
    }
}

extern "C" __global__ void kmerl_attention_v1_pv(int BH, int Tq, int Tk, int Dv, const float* P, const float* v, float* out) {
    int total = BH * Tq * Dv;
    GRID_STRIDE_LOOP(idx, total) {
        int row = idx / Dv, c = idx - row * Dv, bh = row / Tq;
        const float* p = P + (size_t) row * Tk;
        const float* vb = v + (size_t) bh * Tk * Dv + c;
        float acc = 0.f;
        for (int j = 0; j < Tk; ++j) acc += p[j] * vb[(size_t) j * Dv];
        out[idx] = acc;
    }
}

// Backward step 1: from the scores S (in place -> dS) and lse: P, PK = P * keep, dS = P (keep dO.v - Drow) * scale.
extern "C" __global__ void kmerl_attention_v1_dscores(int BH, int Tq, int Tk, int Dv, float* S, const float* lse,
                                                      const float* dO, const float* v, const float* Drow,
                                                      float dropout, uint64_t seed, uint64_t offset, float scale,
                                                      float* PK) {
    int total = BH * Tq * Tk;
    GRID_STRIDE_LOOP(idx, total) {
        int row = idx / Tk, j = idx - row * Tk, bh = row / Tq;
        float l = lse[row];
        float p = (l == -INFINITY || S[idx] == -INFINITY) ? 0.f : expf(S[idx] - l);
        float keep = keep_factor(dropout, seed, offset, row, Tk, j);
        const float* go = dO + (size_t) row * Dv;
        const float* vr = v + ((size_t) bh * Tk + j) * Dv;
        float dpv = 0.f;
        for (int c = 0; c < Dv; ++c) dpv += go[c] * vr[c];
        PK[idx] = p * keep;
        S[idx] = p * (keep * dpv - Drow[row]) * scale;
    }
}

// gV[bh, j, c] += sum_i PK[bh, i, j] dO[bh, i, c]
extern "C" __global__ void kmerl_attention_v1_dv(int BH, int Tq, int Tk, int Dv, const float* PK, const float* dO, float* gv) {
    int total = BH * Tk * Dv;
    GRID_STRIDE_LOOP(idx, total) {
        int kr = idx / Dv, c = idx - kr * Dv, bh = kr / Tk, j = kr - bh * Tk;
        float acc = 0.f;
        for (int i = 0; i < Tq; ++i) acc += PK[((size_t) bh * Tq + i) * Tk + j] * dO[((size_t) bh * Tq + i) * Dv + c];
        gv[idx] += acc;
    }
}

// gQ[row, c] += sum_j dS[row, j] k[bh, j, c]
extern "C" __global__ void kmerl_attention_v1_dq(int BH, int Tq, int Tk, int D, const float* dS, const float* k, float* gq) {
    int total = BH * Tq * D;
    GRID_STRIDE_LOOP(idx, total) {
        int row = idx / D, c = idx - row * D, bh = row / Tq;
        float acc = 0.f;
        for (int j = 0; j < Tk; ++j) acc += dS[(size_t) row * Tk + j] * k[((size_t) bh * Tk + j) * D + c];
        gq[idx] += acc;
    }
}

// gK[bh, j, c] += sum_i dS[bh, i, j] q[bh, i, c]
extern "C" __global__ void kmerl_attention_v1_dk(int BH, int Tq, int Tk, int D, const float* dS, const float* q, float* gk) {
    int total = BH * Tk * D;
    GRID_STRIDE_LOOP(idx, total) {
        int kr = idx / D, c = idx - kr * D, bh = kr / Tk, j = kr - bh * Tk;
        float acc = 0.f;
        for (int i = 0; i < Tq; ++i) acc += dS[((size_t) bh * Tq + i) * Tk + j] * q[((size_t) bh * Tq + i) * D + c];
        gk[idx] += acc;
    }
}

// Drow[row] = dO[row] . O[row] (shared by both variants' backward).
extern "C" __global__ void kmerl_attention_rowdot(int rows, int Dv, const float* dO, const float* O, float* Drow) {
    GRID_STRIDE_LOOP(row, rows) {
        float acc = 0.f;
        for (int c = 0; c < Dv; ++c) acc += dO[(size_t) row * Dv + c] * O[(size_t) row * Dv + c];
        Drow[row] = acc;
    }
}

// ---------------------------------------------------------------------------------- v3 on the GEMMs

// S holds the raw products q·k of one [B*H*Tq, Tk] row per query; in place it becomes the dropped-out
// probabilities P' = exp(scale*S - lse) * keep (padded keys: 0), and lse is saved. Warp per row.
extern "C" __global__ void kmerl_attention_v3_softmax_rows(int rows, int H, int Tq, int Tk, float* S, const float* pad,
                                                           float scale, float dropout, uint64_t seed, uint64_t offset,
                                                           float* lse) {
    int lane = threadIdx.x & 31, warps = blockDim.x >> 5;
    for (int row = blockIdx.x * warps + (threadIdx.x >> 5); row < rows; row += gridDim.x * warps) {
        float* s = S + (size_t) row * Tk;
        int b = row / Tq / H;
        float m = -INFINITY, sum = 0.f;
        for (int j = lane; j < Tk; j += 32) {
            if (!key_padded(pad, b, Tk, j)) online_merge(m, sum, s[j] * scale, 1.f);
        }
        warp_online_merge(m, sum);
        float l = m == -INFINITY ? -INFINITY : m + logf(sum);   // every key padded: zero output
        if (lane == 0) lse[row] = l;
        for (int j = lane; j < Tk; j += 32) {
            bool off = l == -INFINITY || key_padded(pad, b, Tk, j);
            s[j] = off ? 0.f : expf(s[j] * scale - l) * keep_factor(dropout, seed, offset, row, Tk, j);
        }
    }
}

// The softmax backward for one weight (query row, key j), from the raw product s = q·k and dp = (dO·vᵀ)[row, j]:
// P = exp(scale*s - lse) (0 for a padded key or a fully padded row), dS = P (keep dp - Drow) scale and
// PK = P*keep, returned as (dS, PK). v3's elementwise kernel and v4's product epilogue both use it.
struct ScoreGrad {
    float ds, pk;
};
__device__ __forceinline__ ScoreGrad score_grad(float s, float dp, int row, int j, int Tk, float lse, float drow,
                                                const float* pad, int b, float scale, float dropout, uint64_t seed,
                                                uint64_t offset) {
    bool off = lse == -INFINITY || key_padded(pad, b, Tk, j);
    float p = off ? 0.f : expf(s * scale - lse);
    float keep = keep_factor(dropout, seed, offset, row, Tk, j);
    return {p * (keep * dp - drow) * scale, p * keep};
}

// The same from the probability P the forward kept (no dropout): dS = P (dp - Drow) scale (padded keys and
// fully padded rows have P = 0, so dS = 0 there too).
__device__ __forceinline__ float score_grad_from_p(float p, float dp, float drow, float scale) {
    return p * (dp - drow) * scale;
}

// Backward, elementwise over [B*H*Tq, Tk]: from the raw products S and dP = dO·vᵀ, PK = P*keep (for
// dV = PKᵀ·dO) and, in place of S, dS (for dQ and dK).
extern "C" __global__ void kmerl_attention_v3_dscores(int rows, int H, int Tq, int Tk, float* S, const float* dP,
                                                      const float* lse, const float* Drow, const float* pad,
                                                      float scale, float dropout, uint64_t seed, uint64_t offset,
                                                      float* PK) {
    int total = rows * Tk;
    GRID_STRIDE_LOOP(idx, total) {
        int row = idx / Tk, j = idx - row * Tk;
        // dP is read before PK is written: the caller may pass the same buffer for both
        ScoreGrad g = score_grad(S[idx], dP[idx], row, j, Tk, lse[row], Drow[row], pad, row / Tq / H, scale, dropout,
                                 seed, offset);
        S[idx] = g.ds;
        PK[idx] = g.pk;
    }
}

// Backward from kept probabilities: in place of dP, dS.
extern "C" __global__ void kmerl_attention_v3_dscores_from_p(int rows, int Tk, const float* P, float* dP,
                                                             const float* Drow, float scale) {
    int total = rows * Tk;
    GRID_STRIDE_LOOP(idx, total) {
        int row = idx / Tk;
        dP[idx] = score_grad_from_p(P[idx], dP[idx], Drow[row], scale);
    }
}

// ------------------------------------------------------------------------- v4: dS in the product's epilogue
// dP = dO·vᵀ runs on GEMM v10's tiling (gemm_tiles.cuh) and each of its elements becomes dS as it leaves the
// registers: dP never reaches memory, which saves writing it and reading it back (2 x 4·B·H·Tq·Tk bytes).
// The row the epilogue gets is the query row over all heads (b*H + h)*Tq + i, as lse and Drow are indexed.

// From the raw scores S = q·kᵀ (P not kept): dS into dS, PK over S (each element read, then written, by the
// thread that owns it).
struct DScoresRecomputed {
    float* S;
    float* dS;
    const float* lse;
    const float* Drow;
    const float* pad;
    int H, Tq;
    float scale, dropout;
    uint64_t seed, offset;

    __device__ __forceinline__ void operator()(int row, int j, float dp, int Tk) const {
        size_t idx = (size_t) row * Tk + j;
        ScoreGrad g = score_grad(S[idx], dp, row, j, Tk, lse[row], Drow[row], pad, row / Tq / H, scale, dropout, seed,
                                 offset);
        dS[idx] = g.ds;
        S[idx] = g.pk;
    }
};

// From the probabilities the forward kept.
struct DScoresFromKeptP {
    const float* P;
    float* dS;
    const float* Drow;
    float scale;

    __device__ __forceinline__ void operator()(int row, int j, float dp, int Tk) const {
        size_t idx = (size_t) row * Tk + j;
        dS[idx] = score_grad_from_p(P[idx], dp, Drow[row], scale);
    }
};

extern "C" __global__ void __launch_bounds__(128, 5) kmerl_attention_v4_dp_to_dscores(
        GEMM_OPERANDS, GemmBatch batch, int aColMajor, int bColMajor, float* S, float* dS, const float* lse,
        const float* Drow, const float* pad, int H, int Tq, float scale, float dropout, uint64_t seed, uint64_t offset) {
    gemm_warp_tiled<GEMM_FUSED_TILES>(GEMM_OPERAND_ARGS, batch, aColMajor, bColMajor,
                              DScoresRecomputed{S, dS, lse, Drow, pad, H, Tq, scale, dropout, seed, offset});
}

extern "C" __global__ void __launch_bounds__(128, 5) kmerl_attention_v4_dp_to_dscores_kept(
        GEMM_OPERANDS, GemmBatch batch, int aColMajor, int bColMajor, const float* P, float* dS, const float* Drow,
        float scale) {
    gemm_warp_tiled<GEMM_FUSED_TILES>(GEMM_OPERAND_ARGS, batch, aColMajor, bColMajor, DScoresFromKeptP{P, dS, Drow, scale});
}

// ------------------------------------------------------------------------------------------ v2 fused

#define TILE 32   // rows of the other side staged in shared memory per step

// A shared-memory row read four floats at a time (one 128-bit load instead of four 32-bit ones: the
// per-thread loops below are bound by shared-memory instructions, not by arithmetic).
#define ROW4(row, c) (*reinterpret_cast<const float4*>(&(row)[c]))

template <int PART>
__device__ __forceinline__ float dot_part(const float* reg, const float* row) {
    float s = 0.f;
#pragma unroll
    for (int c = 0; c < PART; c += 4) {
        float4 r = ROW4(row, c);
        s += reg[c] * r.x + reg[c + 1] * r.y + reg[c + 2] * r.z + reg[c + 3] * r.w;
    }
    return s;
}

// acc = acc * keep + w * row
template <int MAXD>
__device__ __forceinline__ void axpy_row(float* acc, float keep, float w, const float* row) {
#pragma unroll
    for (int c = 0; c < MAXD; c += 4) {
        float4 r = ROW4(row, c);
        acc[c] = acc[c] * keep + w * r.x;
        acc[c + 1] = acc[c + 1] * keep + w * r.y;
        acc[c + 2] = acc[c + 2] * keep + w * r.z;
        acc[c + 3] = acc[c + 3] * keep + w * r.w;
    }
}

// Forward: thread = query row; K/V tiles in shared memory; online softmax (running max m, sum l).
template <int MAXD>
__device__ void attention_forward_fused(int H, int Tq, int Tk, int D, int Dv, const float* q, const float* k,
                                        const float* v, const float* pad, float scale, float dropout, uint64_t seed,
                                        uint64_t offset, float* out, float* lse) {
    __shared__ __align__(16) float Ks[TILE][MAXD];
    __shared__ __align__(16) float Vs[TILE][MAXD];
    int bh = blockIdx.y, b = bh / H;
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    bool active = i < Tq;
    int row = bh * Tq + i;
    float qv[MAXD], acc[MAXD];
#pragma unroll
    for (int c = 0; c < MAXD; ++c) { qv[c] = (active && c < D) ? q[(size_t) row * D + c] : 0.f; acc[c] = 0.f; }
    float m = -INFINITY, l = 0.f;
    for (int j0 = 0; j0 < Tk; j0 += TILE) {
        for (int e = threadIdx.x; e < TILE * MAXD; e += blockDim.x) {
            int r = e / MAXD, c = e % MAXD, j = j0 + r;
            Ks[r][c] = (j < Tk && c < D) ? k[((size_t) bh * Tk + j) * D + c] : 0.f;
            Vs[r][c] = (j < Tk && c < Dv) ? v[((size_t) bh * Tk + j) * Dv + c] : 0.f;
        }
        __syncthreads();
        if (active) {
            int n = min(TILE, Tk - j0);
            for (int r = 0; r < n; ++r) {
                int j = j0 + r;
                if (key_padded(pad, b, Tk, j)) continue;
                float s = dot_part<MAXD>(qv, Ks[r]) * scale;
                float mNew = fmaxf(m, s);
                float corr = m == -INFINITY ? 0.f : expf(m - mNew);
                float p = expf(s - mNew);
                l = l * corr + p;
                axpy_row<MAXD>(acc, corr, p * keep_factor(dropout, seed, offset, row, Tk, j), Vs[r]);
                m = mNew;
            }
        }
        __syncthreads();
    }
    if (!active) return;
    if (m == -INFINITY) {   // every key padded
        lse[row] = -INFINITY;
        for (int c = 0; c < Dv; ++c) out[(size_t) row * Dv + c] = 0.f;
        return;
    }
    lse[row] = m + logf(l);
    float inv = 1.f / l;
#pragma unroll
    for (int c = 0; c < MAXD; ++c) if (c < Dv) out[(size_t) row * Dv + c] = acc[c] * inv;
}

// Backward kernels split a row over SPLIT adjacent lanes (each owns MAXD/SPLIT of its columns; partial
// dot products are summed with shuffles), so that the three or four per-row arrays fit in registers for
// head sizes 64 and 128 instead of spilling. Every lane runs every shuffle: rows past the end compute
// on zeros and write nothing.
template <int SPLIT>
__device__ __forceinline__ float split_sum(float v) {
#pragma unroll
    for (int o = 1; o < SPLIT; o <<= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
    return v;
}


// dQ: SPLIT lanes per query row; dq += scale * p (keep dO.v_j - Drow) k_j over key tiles.
template <int MAXD, int SPLIT>
__device__ void attention_dq_fused(int H, int Tq, int Tk, int D, int Dv, const float* q, const float* k, const float* v,
                                   const float* pad, float scale, float dropout, uint64_t seed, uint64_t offset,
                                   const float* lse, const float* dO, const float* Drow, float* gq) {
    constexpr int PART = MAXD / SPLIT;
    __shared__ __align__(16) float Ks[TILE][MAXD];
    __shared__ __align__(16) float Vs[TILE][MAXD];
    int bh = blockIdx.y, b = bh / H;
    int i = blockIdx.x * (blockDim.x / SPLIT) + threadIdx.x / SPLIT;
    int c0 = (threadIdx.x % SPLIT) * PART;
    int row = bh * Tq + i;
    bool active = i < Tq && lse[min(row, bh * Tq + Tq - 1)] != -INFINITY;
    float qv[PART], go[PART], dq[PART];
#pragma unroll
    for (int c = 0; c < PART; ++c) {
        qv[c] = (active && c0 + c < D) ? q[(size_t) row * D + c0 + c] : 0.f;
        go[c] = (active && c0 + c < Dv) ? dO[(size_t) row * Dv + c0 + c] : 0.f;
        dq[c] = 0.f;
    }
    float l = active ? lse[row] : 0.f, dr = active ? Drow[row] : 0.f;
    for (int j0 = 0; j0 < Tk; j0 += TILE) {
        for (int e = threadIdx.x; e < TILE * MAXD; e += blockDim.x) {
            int r = e / MAXD, c = e % MAXD, j = j0 + r;
            Ks[r][c] = (j < Tk && c < D) ? k[((size_t) bh * Tk + j) * D + c] : 0.f;
            Vs[r][c] = (j < Tk && c < Dv) ? v[((size_t) bh * Tk + j) * Dv + c] : 0.f;
        }
        __syncthreads();
        int n = min(TILE, Tk - j0);
        for (int r = 0; r < n; ++r) {
            int j = j0 + r;
            if (key_padded(pad, b, Tk, j)) continue;   // the same for every lane
            float s = split_sum<SPLIT>(dot_part<PART>(qv, Ks[r] + c0));
            float dpv = split_sum<SPLIT>(dot_part<PART>(go, Vs[r] + c0));
            float p = active ? expf(s * scale - l) : 0.f;
            float ds = p * (keep_factor(dropout, seed, offset, row, Tk, j) * dpv - dr) * scale;
            axpy_row<PART>(dq, 1.f, ds, Ks[r] + c0);
        }
        __syncthreads();
    }
    if (!active) return;
#pragma unroll
    for (int c = 0; c < PART; ++c) if (c0 + c < D) gq[(size_t) row * D + c0 + c] += dq[c];
}

// dK, dV: SPLIT lanes per key row j; walks query tiles (q, dO, lse, Drow in shared memory).
template <int MAXD, int SPLIT>
__device__ void attention_dkdv_fused(int H, int Tq, int Tk, int D, int Dv, const float* q, const float* k, const float* v,
                                     const float* pad, float scale, float dropout, uint64_t seed, uint64_t offset,
                                     const float* lse, const float* dO, const float* Drow, float* gk, float* gv) {
    constexpr int PART = MAXD / SPLIT;
    __shared__ __align__(16) float Qs[TILE][MAXD];
    __shared__ __align__(16) float Gs[TILE][MAXD];
    __shared__ float Ls[TILE];
    __shared__ float Ds[TILE];
    int bh = blockIdx.y, b = bh / H;
    int j = blockIdx.x * (blockDim.x / SPLIT) + threadIdx.x / SPLIT;
    int c0 = (threadIdx.x % SPLIT) * PART;
    bool active = j < Tk && !key_padded(pad, b, Tk, min(j, Tk - 1));
    float kv[PART], vv[PART], dk[PART], dv[PART];
#pragma unroll
    for (int c = 0; c < PART; ++c) {
        kv[c] = (active && c0 + c < D) ? k[((size_t) bh * Tk + j) * D + c0 + c] : 0.f;
        vv[c] = (active && c0 + c < Dv) ? v[((size_t) bh * Tk + j) * Dv + c0 + c] : 0.f;
        dk[c] = 0.f;
        dv[c] = 0.f;
    }
    for (int i0 = 0; i0 < Tq; i0 += TILE) {
        for (int e = threadIdx.x; e < TILE * MAXD; e += blockDim.x) {
            int r = e / MAXD, c = e % MAXD, i = i0 + r;
            Qs[r][c] = (i < Tq && c < D) ? q[((size_t) bh * Tq + i) * D + c] : 0.f;
            Gs[r][c] = (i < Tq && c < Dv) ? dO[((size_t) bh * Tq + i) * Dv + c] : 0.f;
        }
        for (int r = threadIdx.x; r < TILE; r += blockDim.x) {
            int i = i0 + r;
            Ls[r] = i < Tq ? lse[bh * Tq + i] : -INFINITY;
            Ds[r] = i < Tq ? Drow[bh * Tq + i] : 0.f;
        }
        __syncthreads();
        int n = min(TILE, Tq - i0);
        for (int r = 0; r < n; ++r) {
            if (Ls[r] == -INFINITY) continue;   // a query with every key padded has no gradient (same for all lanes)
            float s = split_sum<SPLIT>(dot_part<PART>(kv, Qs[r] + c0));
            float dpv = split_sum<SPLIT>(dot_part<PART>(vv, Gs[r] + c0));
            float p = active ? expf(s * scale - Ls[r]) : 0.f;
            float keep = keep_factor(dropout, seed, offset, bh * Tq + i0 + r, Tk, j);
            float ds = p * (keep * dpv - Ds[r]) * scale;
            axpy_row<PART>(dv, 1.f, p * keep, Gs[r] + c0);
            axpy_row<PART>(dk, 1.f, ds, Qs[r] + c0);
        }
        __syncthreads();
    }
    if (!active) return;
#pragma unroll
    for (int c = 0; c < PART; ++c) {
        if (c0 + c < D) gk[((size_t) bh * Tk + j) * D + c0 + c] += dk[c];
        if (c0 + c < Dv) gv[((size_t) bh * Tk + j) * Dv + c0 + c] += dv[c];
    }
}

#define ATTN_FWD_PARAMS int H, int Tq, int Tk, int D, int Dv, const float* q, const float* k, const float* v, \
    const float* pad, float scale, float dropout, uint64_t seed, uint64_t offset
#define ATTN_FWD_ARGS H, Tq, Tk, D, Dv, q, k, v, pad, scale, dropout, seed, offset

// One entry point per head-size bound, so the per-thread rows live in registers (fully unrolled loops);
// SPLIT lanes share a row in backward (see CudaAttention.backwardSplit).
#define ATTENTION_V2(MAXD, SPLIT)                                                                                      \
    extern "C" __global__ void kmerl_attention_v2_fused_forward_d##MAXD(ATTN_FWD_PARAMS, float* out, float* lse) { \
        attention_forward_fused<MAXD>(ATTN_FWD_ARGS, out, lse);                                                   \
    }                                                                                                             \
    extern "C" __global__ void kmerl_attention_v2_fused_dq_d##MAXD(ATTN_FWD_PARAMS, const float* lse,            \
                                                                    const float* dO, const float* Drow, float* gq) { \
        attention_dq_fused<MAXD, SPLIT>(ATTN_FWD_ARGS, lse, dO, Drow, gq);                                               \
    }                                                                                                             \
    extern "C" __global__ void kmerl_attention_v2_fused_dkdv_d##MAXD(ATTN_FWD_PARAMS, const float* lse,          \
                                                                      const float* dO, const float* Drow,         \
                                                                      float* gk, float* gv) {                     \
        attention_dkdv_fused<MAXD, SPLIT>(ATTN_FWD_ARGS, lse, dO, Drow, gk, gv);                                         \
    }

ATTENTION_V2(16, 1)
ATTENTION_V2(32, 1)
ATTENTION_V2(64, 2)
ATTENTION_V2(128, 4)
