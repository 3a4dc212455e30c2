// Fused losses. Each forward writes per-row (or per-element) terms, then one block sums them in a fixed
// order (deterministic, no atomics) and applies the reduction on the device: no host round trip.
#include "kmerl_common.cuh"
#include "gemm_tiles.cuh"

// ---- Cross entropy with label smoothing and ignore_index: loss_r = lse_r - [(1-eps) x[r,t] + eps/C sum_c x[r,c]].
// Warp per row. A target out of range sets *error to row+1 (read back by the host once, after the launch).
extern "C" __global__ void kmerl_cross_entropy_rows(int rows, int C, const float* x, const int* targets, float eps,
                                                    int ignoreIndex, float* lse, float* rowLoss, int* error) {
    int lane = threadIdx.x & 31, warps = blockDim.x >> 5;
    for (int r = blockIdx.x * warps + (threadIdx.x >> 5); r < rows; r += gridDim.x * warps) {
        const float* xr = x + (size_t) r * C;
        float mx = -INFINITY;
        for (int j = lane; j < C; j += 32) mx = fmaxf(mx, xr[j]);
        mx = warp_max(mx);
        float pe = 0.f, px = 0.f;   // per-lane sums in float, the warp total in double
        for (int j = lane; j < C; j += 32) { pe += expf(xr[j] - mx); px += xr[j]; }
        double se = warp_sum(pe);
        double sx = warp_sum(px);
        double l = mx + log(se);
        if (lane == 0) {
            lse[r] = (float) l;
            int t = targets[r];
            if (t == ignoreIndex) {
                rowLoss[r] = 0.f;
            } else if (t < 0 || t >= C) {
                atomicCAS(error, 0, r + 1);
                rowLoss[r] = 0.f;
            } else {
                rowLoss[r] = (float) (l - ((1.0 - eps) * xr[t] + eps * sx / C));
            }
        }
    }
}

// Number of rows whose target is not ignoreIndex (one block).
__device__ int counted_rows(int rows, const int* targets, int ignoreIndex) {
    double c = 0;
    for (int r = threadIdx.x; r < rows; r += blockDim.x) c += targets[r] != ignoreIndex ? 1.0 : 0.0;
    return (int) block_sum(c);
}

extern "C" __global__ void kmerl_cross_entropy_finish(int rows, const float* rowLoss, const int* targets, int ignoreIndex,
                                                      int mean, float* loss) {
    double s = 0;
    for (int r = threadIdx.x; r < rows; r += blockDim.x) s += rowLoss[r];
    double total = block_sum(s);
    int counted = counted_rows(rows, targets, ignoreIndex);
    if (threadIdx.x == 0) *loss = (float) (mean ? total / counted : total);
}

// *scale = gradLoss / (MEAN ? counted rows : 1), once per backward (one block).
extern "C" __global__ void kmerl_cross_entropy_grad_scale(int rows, const int* targets, int ignoreIndex,
                                                          const float* gradLoss, int mean, float* scale) {
    int counted = counted_rows(rows, targets, ignoreIndex);
    if (threadIdx.x == 0) *scale = mean ? *gradLoss / counted : *gradLoss;
}

// d loss / d x[r, j] = scale * (softmax_j - (1-eps)[j == t] - eps/C); ignored rows get 0.
extern "C" __global__ void kmerl_cross_entropy_backward(int rows, int C, const float* x, const int* targets, float eps,
                                                        int ignoreIndex, const float* lse, const float* scale, float* gx) {
    float g = *scale;
    int total = rows * C;
    GRID_STRIDE_LOOP(idx, total) {
        int r = idx / C, j = idx - r * C, t = targets[r];
        if (t == ignoreIndex) { gx[idx] = 0.f; continue; }
        float target = eps / C + (j == t ? 1.f - eps : 0.f);
        gx[idx] = g * (expf(x[idx] - lse[r]) - target);
    }
}

// ---- BCE with logits: pw*t*softplus(-x) + (1-t)*softplus(x); pw (optional) broadcasts over the last axis (C).
__device__ __forceinline__ double softplus(double x) { return x > 0 ? x + log1p(exp(-x)) : log1p(exp(x)); }

extern "C" __global__ void kmerl_bce_terms(int n, int C, const float* x, const float* t, const float* pw, float* terms) {
    GRID_STRIDE_LOOP(i, n) {
        double w = pw ? pw[i % C] : 1.0, xv = x[i], tv = t[i];
        terms[i] = (float) (w * tv * softplus(-xv) + (1.0 - tv) * softplus(xv));
    }
}

// *out = sum(x[0..n)) / divisor, one block, fixed order.
extern "C" __global__ void kmerl_sum_to_scalar(int n, const float* x, double divisor, float* out) {
    double s = 0;
    for (int i = threadIdx.x; i < n; i += blockDim.x) s += x[i];
    double total = block_sum(s);
    if (threadIdx.x == 0) *out = (float) (total / divisor);
}

extern "C" __global__ void kmerl_bce_backward(int n, int C, const float* x, const float* t, const float* pw,
                                              const float* gradLoss, double divisor, float* gx) {
    GRID_STRIDE_LOOP(i, n) {
        double g = *gradLoss / divisor, w = pw ? pw[i % C] : 1.0, tv = t[i], xv = x[i];
        double sig = xv >= 0 ? 1.0 / (1.0 + exp(-xv)) : exp(xv) / (1.0 + exp(xv));
        gx[i] = (float) (g * (sig * (w * tv + 1.0 - tv) - w * tv));
    }
}

// ---- CLIP: logits = â·b̂ᵀ / τ (the product runs through the GEMM kernels between these steps).

// unit[i] = x[i] / max(|x[i]|, 1e-12) (as F.normalize), norms saved for backward. Warp per row.
extern "C" __global__ void kmerl_l2_normalize_rows(int rows, int D, const float* x, float* unit, float* norms) {
    int lane = threadIdx.x & 31, warps = blockDim.x >> 5;
    for (int r = blockIdx.x * warps + (threadIdx.x >> 5); r < rows; r += gridDim.x * warps) {
        double sq = 0;
        for (int c = lane; c < D; c += 32) { double v = x[(size_t) r * D + c]; sq += v * v; }
        double norm = fmax(sqrt(warp_sum(sq)), 1e-12);
        for (int c = lane; c < D; c += 32) unit[(size_t) r * D + c] = (float) (x[(size_t) r * D + c] / norm);
        if (lane == 0) norms[r] = (float) norm;
    }
}

// Rows: logits /= τ in place (the GEMM wrote â·b̂ᵀ) and the log-sum-exp of each row, one pass, warp per row.
extern "C" __global__ void kmerl_clip_scale_lse_rows(int N, float* logits, const float* temperature, float* lseRows) {
    float inv = 1.f / *temperature;
    int lane = threadIdx.x & 31, warps = blockDim.x >> 5;
    for (int r = blockIdx.x * warps + (threadIdx.x >> 5); r < N; r += gridDim.x * warps) {
        float* row = logits + (size_t) r * N;
        float m = -INFINITY, s = 0.f;
        for (int j = lane; j < N; j += 32) {
            float v = row[j] * inv;
            row[j] = v;
            online_merge(m, s, v, 1.f);
        }
        warp_online_merge(m, s);
        if (lane == 0) lseRows[r] = m + logf(s);
    }
}

// Columns in two passes: thread (chunk, c) keeps an online (max, sum) over rows [chunk*64, ...) of
// column c (adjacent threads read adjacent columns: coalesced), then thread c merges its chunks in order.
#define CLIP_ROWS_PER_CHUNK 64
extern "C" __global__ void kmerl_clip_lse_cols_partial(int N, const float* logits, float* partialMax, float* partialSum) {
    int chunks = (N + CLIP_ROWS_PER_CHUNK - 1) / CLIP_ROWS_PER_CHUNK;
    int total = chunks * N;
    GRID_STRIDE_LOOP(idx, total) {
        int chunk = idx / N, c = idx - chunk * N;
        int end = min(N, (chunk + 1) * CLIP_ROWS_PER_CHUNK);
        float m = -INFINITY, s = 0.f;
        for (int r = chunk * CLIP_ROWS_PER_CHUNK; r < end; ++r) online_merge(m, s, logits[(size_t) r * N + c], 1.f);
        partialMax[idx] = m;
        partialSum[idx] = s;
    }
}

// Merges `parts` partial (max, sum) states per line, in part order: side 0's lines (partial k of line c at
// [k * N + c]) into lseFirst, then, when sides == 2, side 1's (at [(parts + k) * N + c]) into lseSecond.
// v1 merges the columns' chunks (one side); v2 the rows' and the columns' tile partials (two).
extern "C" __global__ void kmerl_clip_lse_merge(int N, int parts, int sides, const float* partialMax,
                                                const float* partialSum, float* lseFirst, float* lseSecond) {
    GRID_STRIDE_LOOP(idx, sides * N) {
        int side = idx / N, c = idx - side * N;
        size_t base = (size_t) side * parts * N + c;
        float m = -INFINITY, s = 0.f;
        for (int k = 0; k < parts; ++k) online_merge(m, s, partialMax[base + (size_t) k * N], partialSum[base + (size_t) k * N]);
        (side == 0 ? lseFirst : lseSecond)[c] = m + logf(s);
    }
}

// ---- CLIP v2: the statistics in the logits product's epilogue. Each 64x64 tile of L = â·b̂ᵀ/τ leaves the
// registers scaled by 1/τ, goes to the logits and to a shared-memory copy of the tile; the block then writes
// the tile's (max, sum of exp) for each of its rows and columns. kmerl_clip_lse_merge finishes both
// log-sum-exps from these partials, so the forward writes the N x N logits once and never reads them back
// (v1: written by the product, read and rewritten by the scaling, read again for the columns).
#define CLIP_TILE 64   // GEMM_FUSED_TILES' block tile
#define CLIP_TILE_STRIDE (CLIP_TILE + 1)   // padded: a row's and a column's walk both hit 32 banks

struct ScaledLogitsToTile {
    float* logits;
    float* tile;
    float inv;

    __device__ __forceinline__ void operator()(int row, int n, float acc, int N) const {
        float v = acc * inv;
        logits[(size_t) row * N + n] = v;
        tile[(row % CLIP_TILE) * CLIP_TILE_STRIDE + n % CLIP_TILE] = v;   // tiles start at multiples of 64
    }
};

// partialMax/Sum: [2, tiles, N] (the product is square, M = N: tiles = gridDim.x = gridDim.y): side 0 holds row i's
// state over column tile k at [k * N + i], side 1 column j's over row tile k at [(tiles + k) * N + j].
// Threads 0-63 take the tile's rows, 64-127 its columns; each walks 64 values twice (max, then sum).
extern "C" __global__ void __launch_bounds__(128, 5) kmerl_clip_v2_logits_stats(
        GEMM_OPERANDS, GemmBatch batch, int aColMajor, int bColMajor, const float* temperature, float* logits,
        float* partialMax, float* partialSum) {
    __shared__ float tile[CLIP_TILE * CLIP_TILE_STRIDE];
    gemm_warp_tiled<GEMM_FUSED_TILES>(GEMM_OPERAND_ARGS, batch, aColMajor, bColMajor,
                                      ScaledLogitsToTile{logits, tile, 1.f / *temperature});
    __syncthreads();
    int m0 = blockIdx.y * CLIP_TILE, n0 = blockIdx.x * CLIP_TILE;
    int rows = min(CLIP_TILE, M - m0), cols = min(CLIP_TILE, N - n0);
    bool rowSide = threadIdx.x < CLIP_TILE;
    int line = threadIdx.x % CLIP_TILE;
    if (line >= (rowSide ? rows : cols)) return;
    int length = rowSide ? cols : rows;
    const float* first = rowSide ? &tile[line * CLIP_TILE_STRIDE] : &tile[line];
    int step = rowSide ? 1 : CLIP_TILE_STRIDE;
    float m = -INFINITY, s = 0.f;
    for (int t = 0; t < length; ++t) m = fmaxf(m, first[t * step]);
    for (int t = 0; t < length; ++t) s += expf(first[t * step] - m);
    size_t at = rowSide ? (size_t) blockIdx.x * M + m0 + line : ((size_t) gridDim.x + blockIdx.y) * N + n0 + line;
    partialMax[at] = m;
    partialSum[at] = s;
}

// loss = mean_i(lseRow_i - L_ii) + mean_j(lseCol_j - L_jj), halved for MEAN. One block.
extern "C" __global__ void kmerl_clip_loss(int N, const float* logits, const float* lseRows, const float* lseCols,
                                           int mean, float* loss) {
    double s = 0;
    for (int i = threadIdx.x; i < N; i += blockDim.x) {
        double d = logits[(size_t) i * N + i];
        s += (lseRows[i] - d) + (lseCols[i] - d);
    }
    double total = block_sum(s) / N;
    if (threadIdx.x == 0) *loss = (float) (mean ? total / 2 : total);
}

// G_ij = w (softmax_row_i(j) + softmax_col_j(i) - 2 δ_ij) / τ,  w = gradLoss * (MEAN ? 0.5 : 1) / N;
// each block also writes its part of dτ = -sum_ij G_ij L_ij (finished by kmerl_sum_to_scalar).
extern "C" __global__ void kmerl_clip_dlogits(int N, const float* logits, const float* lseRows, const float* lseCols,
                                              const float* gradLoss, const float* temperature, int mean, float* G,
                                              float* dtPartial) {
    float w = (float) (*gradLoss * (mean ? 0.5 : 1.0) / N / *temperature);
    int total = N * N;
    float dt = 0.f;
    GRID_STRIDE_LOOP(idx, total) {
        int i = idx / N, j = idx - i * N;
        float l = logits[idx];
        float g = w * (expf(l - lseRows[i]) + expf(l - lseCols[j]) - (i == j ? 2.f : 0.f));
        G[idx] = g;
        dt -= g * l;
    }
    double blockTotal = block_sum(dt);
    if (threadIdx.x == 0) dtPartial[blockIdx.x] = (float) blockTotal;
}

// Through the normalisation: dx = (dx̂ - x̂ (x̂·dx̂)) / |x|. Warp per row.
extern "C" __global__ void kmerl_l2_normalize_backward(int rows, int D, const float* unit, const float* norms,
                                                       const float* dUnit, float* gx) {
    int lane = threadIdx.x & 31, warps = blockDim.x >> 5;
    for (int r = blockIdx.x * warps + (threadIdx.x >> 5); r < rows; r += gridDim.x * warps) {
        double dot = 0;
        for (int c = lane; c < D; c += 32) dot += (double) unit[(size_t) r * D + c] * dUnit[(size_t) r * D + c];
        dot = warp_sum(dot);
        double norm = norms[r];
        for (int c = lane; c < D; c += 32) {
            size_t e = (size_t) r * D + c;
            gx[e] = (float) ((dUnit[e] - unit[e] * dot) / norm);
        }
    }
}
