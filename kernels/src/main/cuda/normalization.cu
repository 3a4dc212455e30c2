// Softmax / log-softmax and layer norm over the last axis of dense [rows, C] tensors, forward and backward.
//   v1 thread per row: the plain loop, one thread walks a whole row (few, short rows only);
//   v2 warp per row: 32 lanes share a row, an online (max, sum) pair per lane merged by shuffles,
//      so softmax reads the row twice instead of three times;
//   v3 block per row (softmax): 256 threads share one long row, online states merged through shared memory;
//   v4 (softmax) / v3 (layer norm) register rows: warp per row, the row read once with float4 loads into
//      registers (VPL float4 per lane, rows up to 128*VPL columns, C % 4 == 0), so HBM sees one read and
//      one write per element, the minimum;
//   v5 (softmax) block register rows: v4's one read and one write for long rows, 256 threads holding one row
//      (VPT float4 per thread, rows up to 1024*VPT = 8192 columns), the max and the sum through shared memory.
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

extern "C" __global__ void kmerl_softmax_v2_warp_per_row(int rows, int C, const float* x, float* y, int logMode) {
    int lane = threadIdx.x & 31;
    int warpsPerBlock = blockDim.x >> 5;
    for (int r = blockIdx.x * warpsPerBlock + (threadIdx.x >> 5); r < rows; r += gridDim.x * warpsPerBlock) {
        const float* xr = x + (size_t) r * C;
        float* yr = y + (size_t) r * C;
        float m = -INFINITY, s = 0.f;
        for (int j = lane; j < C; j += 32) online_merge(m, s, xr[j], 1.f);
        warp_online_merge(m, s);
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
        warp_online_merge(m, s);
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

// ------------------------------------------------------------------------------ register-row kernels
// Loads row r (C % 4 == 0, 16-byte aligned) into v: lane owns float4 number lane, lane+32, ...
template <int VPL>
__device__ __forceinline__ void load_row(const float* xr, int C, float4 (&v)[VPL]) {
    int lane = threadIdx.x & 31;
#pragma unroll
    for (int i = 0; i < VPL; ++i) {
        int c = (i * 32 + lane) * 4;
        v[i] = c < C ? *reinterpret_cast<const float4*>(xr + c) : make_float4(0.f, 0.f, 0.f, 0.f);
    }
}

template <int VPL>
__device__ void softmax_register_rows(int rows, int C, const float* x, float* y, int logMode) {
    int lane = threadIdx.x & 31, warps = blockDim.x >> 5;
    for (int r = blockIdx.x * warps + (threadIdx.x >> 5); r < rows; r += gridDim.x * warps) {
        float4 v[VPL];
        load_row<VPL>(x + (size_t) r * C, C, v);
        float m = -INFINITY;
#pragma unroll
        for (int i = 0; i < VPL; ++i) {
            if ((i * 32 + lane) * 4 < C) m = fmaxf(m, fmaxf(fmaxf(v[i].x, v[i].y), fmaxf(v[i].z, v[i].w)));
        }
        m = warp_max(m);
        float s = 0.f;
#pragma unroll
        for (int i = 0; i < VPL; ++i) {
            if ((i * 32 + lane) * 4 < C) s += expf(v[i].x - m) + expf(v[i].y - m) + expf(v[i].z - m) + expf(v[i].w - m);
        }
        s = (float) warp_sum(s);
        float lse = m + logf(s), inv = 1.f / s;
        float* yr = y + (size_t) r * C;
#pragma unroll
        for (int i = 0; i < VPL; ++i) {
            int c = (i * 32 + lane) * 4;
            if (c >= C) continue;
            float4 o = logMode ? make_float4(v[i].x - lse, v[i].y - lse, v[i].z - lse, v[i].w - lse)
                               : make_float4(expf(v[i].x - m) * inv, expf(v[i].y - m) * inv, expf(v[i].z - m) * inv,
                                             expf(v[i].w - m) * inv);
            *reinterpret_cast<float4*>(yr + c) = o;
        }
    }
}

template <int VPL>
__device__ void layernorm_register_rows(int rows, int C, const float* x, const float* w, const float* b, float eps,
                                        float* y, float* mean, float* rstd) {
    int lane = threadIdx.x & 31, warps = blockDim.x >> 5;
    for (int r = blockIdx.x * warps + (threadIdx.x >> 5); r < rows; r += gridDim.x * warps) {
        float4 v[VPL];
        load_row<VPL>(x + (size_t) r * C, C, v);
        float part = 0.f;
#pragma unroll
        for (int i = 0; i < VPL; ++i) part += (v[i].x + v[i].y) + (v[i].z + v[i].w);   // padding is zero
        float mu = (float) (warp_sum(part) / C);
        float sq = 0.f;
#pragma unroll
        for (int i = 0; i < VPL; ++i) {
            if ((i * 32 + lane) * 4 >= C) continue;
            float a = v[i].x - mu, bb = v[i].y - mu, c = v[i].z - mu, d = v[i].w - mu;
            sq += a * a + bb * bb + c * c + d * d;
        }
        float inv = (float) (1.0 / sqrt(warp_sum(sq) / C + eps));
        if (lane == 0) { mean[r] = mu; rstd[r] = inv; }
        float* yr = y + (size_t) r * C;
#pragma unroll
        for (int i = 0; i < VPL; ++i) {
            int c = (i * 32 + lane) * 4;
            if (c >= C) continue;
            float4 wv = w ? *reinterpret_cast<const float4*>(w + c) : make_float4(1.f, 1.f, 1.f, 1.f);
            float4 bv = b ? *reinterpret_cast<const float4*>(b + c) : make_float4(0.f, 0.f, 0.f, 0.f);
            float4 o = make_float4((v[i].x - mu) * inv * wv.x + bv.x, (v[i].y - mu) * inv * wv.y + bv.y,
                                   (v[i].z - mu) * inv * wv.z + bv.z, (v[i].w - mu) * inv * wv.w + bv.w);
            *reinterpret_cast<float4*>(yr + c) = o;
        }
    }
}

// v5: a block's 256 threads hold row r, thread t float4 number t, t+256, ... (coalesced). v3 reads a long
// row twice and takes three exps per element (the online merge's two, then the output's); here HBM sees one
// read and one write, and each element one exp, kept in registers for the output (softmax) or only summed
// (log-softmax, which needs x again). The maximum is merged through shared memory, the sum by block_sum
// (double, fixed order), whose leading barrier also keeps `part` from being rewritten by the next row while
// slower threads still read it.
template <int VPT>
__device__ void softmax_block_rows(int rows, int C, const float* x, float* y, int logMode) {
    __shared__ float part[32];
    int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, warps = blockDim.x >> 5;
    for (int r = blockIdx.x; r < rows; r += gridDim.x) {
        const float* xr = x + (size_t) r * C;
        float4 v[VPT];
        float m = -INFINITY;
#pragma unroll
        for (int i = 0; i < VPT; ++i) {
            int c = (i * blockDim.x + threadIdx.x) * 4;
            v[i] = c < C ? *reinterpret_cast<const float4*>(xr + c) : make_float4(0.f, 0.f, 0.f, 0.f);
            if (c < C) m = fmaxf(m, fmaxf(fmaxf(v[i].x, v[i].y), fmaxf(v[i].z, v[i].w)));
        }
        m = warp_max(m);
        if (lane == 0) part[warp] = m;
        __syncthreads();
        m = part[0];
        for (int w = 1; w < warps; ++w) m = fmaxf(m, part[w]);
        float s = 0.f;
#pragma unroll
        for (int i = 0; i < VPT; ++i) {
            if ((i * blockDim.x + threadIdx.x) * 4 >= C) continue;
            float4 e = make_float4(expf(v[i].x - m), expf(v[i].y - m), expf(v[i].z - m), expf(v[i].w - m));
            s += (e.x + e.y) + (e.z + e.w);
            if (!logMode) v[i] = e;
        }
        s = (float) block_sum(s);
        float lse = m + logf(s), inv = 1.f / s;
        float* yr = y + (size_t) r * C;
#pragma unroll
        for (int i = 0; i < VPT; ++i) {
            int c = (i * blockDim.x + threadIdx.x) * 4;
            if (c >= C) continue;
            *reinterpret_cast<float4*>(yr + c) = logMode
                    ? make_float4(v[i].x - lse, v[i].y - lse, v[i].z - lse, v[i].w - lse)
                    : make_float4(v[i].x * inv, v[i].y * inv, v[i].z * inv, v[i].w * inv);
        }
    }
}

#define BLOCK_ROWS(VPT)                                                                                             \
    extern "C" __global__ void __launch_bounds__(256) kmerl_softmax_v5_block_rows_##VPT(int rows, int C,          \
                                                                                        const float* x, float* y, \
                                                                                        int logMode) {            \
        softmax_block_rows<VPT>(rows, C, x, y, logMode);                                                           \
    }

BLOCK_ROWS(1)
BLOCK_ROWS(2)
BLOCK_ROWS(4)
BLOCK_ROWS(8)   // 16 float4s per thread spilled (ptxas -v, sm_90: 128 registers): rows up to 8192

#define REGISTER_ROWS(VPL)                                                                                          \
    extern "C" __global__ void kmerl_softmax_v4_register_rows_##VPL(int rows, int C, const float* x, float* y,     \
                                                                    int logMode) {                                \
        softmax_register_rows<VPL>(rows, C, x, y, logMode);                                                        \
    }                                                                                                               \
    extern "C" __global__ void kmerl_layernorm_v3_register_rows_##VPL(int rows, int C, const float* x, const float* w, \
                                                                      const float* b, float eps, float* y,          \
                                                                      float* mean, float* rstd) {                   \
        layernorm_register_rows<VPL>(rows, C, x, w, b, eps, y, mean, rstd);                                          \
    }

REGISTER_ROWS(1)
REGISTER_ROWS(2)
REGISTER_ROWS(4)
REGISTER_ROWS(8)
