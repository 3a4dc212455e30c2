// Softmax / log-softmax and layer norm over the last axis of dense [rows, C] tensors, forward and backward.
//   v1 thread per row: the plain loop, one thread walks a whole row (few, short rows only);
//   v2 warp per row: 32 lanes share a row, an online (max, sum) pair per lane merged by shuffles,
//      so softmax reads the row twice instead of three times;
//   v3 block per row (softmax): 256 threads share one long row, online states merged through shared memory.
#include "kmerl_common.cuh"

extern "C" __global__ void kmerl_softmax_v1_thread_per_row(int rows, int C, const float* x, float* y, int logMode) {
    GRID_STRIDE_LOOP(r, rows) {
        const float* xr = x + (size_t) r * C;
        float* yr = y + (size_t) r * C;
        float mx = -INFINITY;
        for (int j = 0; j < C; ++j) mx = fmaxf(mx, xr[j]);
        double sum = 0;
        for (int j = 0; j < C; ++j) sum += exp((double) (xr[j] - mx));
        if (logMode) {
            float lse = mx + (float) log(sum);
            for (int j = 0; j < C; ++j) yr[j] = xr[j] - lse;
        } else {
            for (int j = 0; j < C; ++j) yr[j] = (float) (exp((double) (xr[j] - mx)) / sum);
        }
    }
}

// Merge of two online-softmax states (m, s): s = sum of exp(x - m) over the elements seen.
__device__ __forceinline__ void online_merge(float& m, float& s, float m2, float s2) {
    float mx = fmaxf(m, m2);
    float a = m == -INFINITY ? 0.f : s * expf(m - mx);
    float b = m2 == -INFINITY ? 0.f : s2 * expf(m2 - mx);
    m = mx;
    s = a + b;
}

extern "C" __global__ void kmerl_softmax_v2_warp_per_row(int rows, int C, const float* x, float* y, int logMode) {
    int lane = threadIdx.x & 31;
    int warpsPerBlock = blockDim.x >> 5;
    for (int r = blockIdx.x * warpsPerBlock + (threadIdx.x >> 5); r < rows; r += gridDim.x * warpsPerBlock) {
        const float* xr = x + (size_t) r * C;
        float* yr = y + (size_t) r * C;
        float m = -INFINITY, s = 0.f;
        for (int j = lane; j < C; j += 32) online_merge(m, s, xr[j], 1.f);
#pragma unroll
        for (int o = 16; o > 0; o >>= 1) {
            float m2 = __shfl_xor_sync(0xffffffffu, m, o);
            float s2 = __shfl_xor_sync(0xffffffffu, s, o);
            online_merge(m, s, m2, s2);
        }
        if (logMode) {
            float lse = m + logf(s);
            for (int j = lane; j < C; j += 32) yr[j] = xr[j] - lse;
        } else {
            float inv = 1.f / s;
            for (int j = lane; j < C; j += 32) yr[j] = expf(xr[j] - m) * inv;
        }
    }
}

extern "C" __global__ void kmerl_softmax_v3_block_per_row(int rows, int C, const float* x, float* y, int logMode) {
    __shared__ float ms[32], ss[32];
    int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, warps = blockDim.x >> 5;
    for (int r = blockIdx.x; r < rows; r += gridDim.x) {
        const float* xr = x + (size_t) r * C;
        float* yr = y + (size_t) r * C;
        float m = -INFINITY, s = 0.f;
        for (int j = threadIdx.x; j < C; j += blockDim.x) online_merge(m, s, xr[j], 1.f);
#pragma unroll
        for (int o = 16; o > 0; o >>= 1) {
            float m2 = __shfl_xor_sync(0xffffffffu, m, o);
            float s2 = __shfl_xor_sync(0xffffffffu, s, o);
            online_merge(m, s, m2, s2);
        }
        if (lane == 0) { ms[warp] = m; ss[warp] = s; }
        __syncthreads();
        m = -INFINITY;
        s = 0.f;
        for (int w = 0; w < warps; ++w) online_merge(m, s, ms[w], ss[w]);
        __syncthreads();   // ms/ss are rewritten by the next row
        if (logMode) {
            float lse = m + logf(s);
            for (int j = threadIdx.x; j < C; j += blockDim.x) yr[j] = xr[j] - lse;
        } else {
            float inv = 1.f / s;
            for (int j = threadIdx.x; j < C; j += blockDim.x) yr[j] = expf(xr[j] - m) * inv;
        }
    }
}

// softmax: gx = y * (g - sum(g*y));  log-softmax: gx = g - exp(y) * sum(g).
extern "C" __global__ void kmerl_softmax_backward_v1_thread_per_row(int rows, int C, const float* y, const float* g,
                                                                    float* gx, int logMode) {
    GRID_STRIDE_LOOP(r, rows) {
        const float* yr = y + (size_t) r * C;
        const float* gr = g + (size_t) r * C;
        float* out = gx + (size_t) r * C;
        double dot = 0;
        for (int j = 0; j < C; ++j) dot += logMode ? (double) gr[j] : (double) gr[j] * yr[j];
        for (int j = 0; j < C; ++j) {
            out[j] = logMode ? (float) (gr[j] - exp((double) yr[j]) * dot) : (float) (yr[j] * (gr[j] - dot));
        }
    }
}

extern "C" __global__ void kmerl_softmax_backward_v2_warp_per_row(int rows, int C, const float* y, const float* g,
                                                                  float* gx, int logMode) {
    int lane = threadIdx.x & 31;
    int warpsPerBlock = blockDim.x >> 5;
    for (int r = blockIdx.x * warpsPerBlock + (threadIdx.x >> 5); r < rows; r += gridDim.x * warpsPerBlock) {
        const float* yr = y + (size_t) r * C;
        const float* gr = g + (size_t) r * C;
        float* out = gx + (size_t) r * C;
        float part = 0.f;
        for (int j = lane; j < C; j += 32) part += logMode ? gr[j] : gr[j] * yr[j];
        float dot = (float) warp_sum(part);
        for (int j = lane; j < C; j += 32) out[j] = logMode ? gr[j] - expf(yr[j]) * dot : yr[j] * (gr[j] - dot);
    }
}

// ---- Layer norm: y = (x - mean) * rstd * w + b, biased variance in two passes (no E[x^2]-E[x]^2).

extern "C" __global__ void kmerl_layernorm_v1_thread_per_row(int rows, int C, const float* x, const float* w,
                                                             const float* b, float eps, float* y, float* mean,
                                                             float* rstd) {
    GRID_STRIDE_LOOP(r, rows) {
        const float* xr = x + (size_t) r * C;
        double sum = 0;
        for (int j = 0; j < C; ++j) sum += xr[j];
        double mu = sum / C;
        double sq = 0;
        for (int j = 0; j < C; ++j) { double d = xr[j] - mu; sq += d * d; }
        float inv = (float) (1.0 / sqrt(sq / C + eps));
        float muf = (float) mu;
        mean[r] = muf;
        rstd[r] = inv;
        for (int j = 0; j < C; ++j) {
            float v = (xr[j] - muf) * inv;
            y[(size_t) r * C + j] = (w ? v * w[j] : v) + (b ? b[j] : 0.f);
        }
    }
}

extern "C" __global__ void kmerl_layernorm_v2_warp_per_row(int rows, int C, const float* x, const float* w,
                                                           const float* b, float eps, float* y, float* mean,
                                                           float* rstd) {
    int lane = threadIdx.x & 31;
    int warpsPerBlock = blockDim.x >> 5;
    for (int r = blockIdx.x * warpsPerBlock + (threadIdx.x >> 5); r < rows; r += gridDim.x * warpsPerBlock) {
        const float* xr = x + (size_t) r * C;
        float part = 0.f;
        for (int j = lane; j < C; j += 32) part += xr[j];
        float mu = (float) (warp_sum(part) / C);
        float sq = 0.f;
        for (int j = lane; j < C; j += 32) { float d = xr[j] - mu; sq += d * d; }
        float inv = (float) (1.0 / sqrt(warp_sum(sq) / C + eps));
        if (lane == 0) { mean[r] = mu; rstd[r] = inv; }
        for (int j = lane; j < C; j += 32) {
            float v = (xr[j] - mu) * inv;
            y[(size_t) r * C + j] = (w ? v * w[j] : v) + (b ? b[j] : 0.f);
        }
    }
}

// gx = rstd * (d - mean(d) - xhat * mean(d * xhat)),  d = g * w,  xhat = (x - mean) * rstd.
extern "C" __global__ void kmerl_layernorm_backward_v1_thread_per_row(int rows, int C, const float* g, const float* x,
                                                                      const float* w, const float* mean,
                                                                      const float* rstd, float* gx) {
    GRID_STRIDE_LOOP(r, rows) {
        size_t base = (size_t) r * C;
        float mu = mean[r], inv = rstd[r];
        double sd = 0, sdx = 0;
        for (int j = 0; j < C; ++j) {
            double d = (double) g[base + j] * (w ? w[j] : 1.f);
            sd += d;
            sdx += d * ((x[base + j] - mu) * inv);
        }
        double md = sd / C, mdx = sdx / C;
        for (int j = 0; j < C; ++j) {
            double d = (double) g[base + j] * (w ? w[j] : 1.f);
            double xhat = (x[base + j] - mu) * inv;
            gx[base + j] = (float) (inv * (d - md - xhat * mdx));
        }
    }
}

extern "C" __global__ void kmerl_layernorm_backward_v2_warp_per_row(int rows, int C, const float* g, const float* x,
                                                                    const float* w, const float* mean,
                                                                    const float* rstd, float* gx) {
    int lane = threadIdx.x & 31;
    int warpsPerBlock = blockDim.x >> 5;
    for (int r = blockIdx.x * warpsPerBlock + (threadIdx.x >> 5); r < rows; r += gridDim.x * warpsPerBlock) {
        size_t base = (size_t) r * C;
        float mu = mean[r], inv = rstd[r];
        float sd = 0.f, sdx = 0.f;
        for (int j = lane; j < C; j += 32) {
            float d = g[base + j] * (w ? w[j] : 1.f);
            sd += d;
            sdx += d * ((x[base + j] - mu) * inv);
        }
        float md = (float) (warp_sum(sd) / C), mdx = (float) (warp_sum(sdx) / C);
        for (int j = lane; j < C; j += 32) {
            float d = g[base + j] * (w ? w[j] : 1.f);
            float xhat = (x[base + j] - mu) * inv;
            gx[base + j] = inv * (d - md - xhat * mdx);
        }
    }
}

// Column sums over rows for the affine parameters, in two deterministic passes (no atomics):
// pass 1: thread (chunk, c) sums rows [chunk*rowsPerChunk, ...) of column c (adjacent threads read
// adjacent columns: coalesced) into partials [chunks, 2, C]; pass 2: thread c adds its chunks in order.
extern "C" __global__ void kmerl_layernorm_backward_params_partial(int rows, int C, int rowsPerChunk, const float* g,
                                                                   const float* x, const float* mean, const float* rstd,
                                                                   float* partial) {
    int chunks = (rows + rowsPerChunk - 1) / rowsPerChunk;
    int total = chunks * C;
    GRID_STRIDE_LOOP(idx, total) {
        int chunk = idx / C, c = idx - chunk * C;
        int end = min(rows, (chunk + 1) * rowsPerChunk);
        float sw = 0.f, sb = 0.f;
        for (int r = chunk * rowsPerChunk; r < end; ++r) {
            float gv = g[(size_t) r * C + c];
            sw += gv * ((x[(size_t) r * C + c] - mean[r]) * rstd[r]);
            sb += gv;
        }
        partial[(size_t) chunk * 2 * C + c] = sw;
        partial[(size_t) chunk * 2 * C + C + c] = sb;
    }
}

extern "C" __global__ void kmerl_layernorm_backward_params_finish(int chunks, int C, const float* partial, float* gw,
                                                                  float* gb) {
    GRID_STRIDE_LOOP(c, C) {
        double sw = 0, sb = 0;
        for (int k = 0; k < chunks; ++k) {
            sw += partial[(size_t) k * 2 * C + c];
            sb += partial[(size_t) k * 2 * C + C + c];
        }
        if (gw) gw[c] = (float) sw;
        if (gb) gb[c] = (float) sb;
    }
}
