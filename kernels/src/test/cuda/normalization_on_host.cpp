// normalization.cu on the CPU (host_shim.h): softmax and log-softmax v1-v5 forward and v1/v2 backward, layer
// norm v1-v3 forward (with and without the affine parameters) and v1/v2 backward with the parameters'
// gradients, against plain double-precision loops; rows both shorter and longer than a warp.
#include "host_shim.h"
#include "../../main/cuda/normalization.cu"
#include "check.h"

namespace {
const dim3 WARPS{128, 1, 1};   // 4 warps per block, as the Java side's warpsPerRow grids

dim3 blocks(int rows, int perBlock) { return dim3{unsigned((rows + perBlock - 1) / perBlock), 1, 1}; }

void softmax(int rows, int C) {
    std::vector<float> x = random_floats((size_t) rows * C, 1), g = random_floats((size_t) rows * C, 2);
    for (auto& v : x) v *= 4;
    for (int logMode = 0; logMode < 2; ++logMode) {
        std::vector<float> want(x.size()), wantGrad(x.size());
        for (int r = 0; r < rows; ++r) {
            double m = -INFINITY, s = 0, dot = 0;
            for (int j = 0; j < C; ++j) m = std::max(m, (double) x[r * C + j]);
            for (int j = 0; j < C; ++j) s += std::exp(x[r * C + j] - m);
            for (int j = 0; j < C; ++j) {
                double p = std::exp(x[r * C + j] - m) / s;
                want[r * C + j] = float(logMode ? std::log(p) : p);
                dot += logMode ? g[r * C + j] : g[r * C + j] * want[r * C + j];
            }
            for (int j = 0; j < C; ++j) {
                double y = want[r * C + j];
                wantGrad[r * C + j] = float(logMode ? g[r * C + j] - std::exp(y) * dot : y * (g[r * C + j] - dot));
            }
        }
        std::string what = " " + std::to_string(rows) + "x" + std::to_string(C) + (logMode ? " log" : "");
        std::vector<float> y(x.size(), NAN);
        host_shim::launch(blocks(rows, 128), dim3{128, 1, 1}, kmerl_softmax_v1_thread_per_row, rows, C, (const float*) x.data(), y.data(), logMode);
        expect_close(want, y, "softmax v1" + what);
        std::fill(y.begin(), y.end(), NAN);
        host_shim::launch(blocks(rows, 4), WARPS, kmerl_softmax_v2_warp_per_row, rows, C, (const float*) x.data(), y.data(), logMode);
        expect_close(want, y, "softmax v2" + what);
        std::fill(y.begin(), y.end(), NAN);
        host_shim::launch(dim3{unsigned(std::min(rows, 3)), 1, 1}, dim3{256, 1, 1}, kmerl_softmax_v3_block_per_row, rows, C,
                          (const float*) x.data(), y.data(), logMode);
        expect_close(want, y, "softmax v3" + what);
        if (C % 4 == 0 && C <= 128) {
            std::fill(y.begin(), y.end(), NAN);
            host_shim::launch(blocks(rows, 4), WARPS, kmerl_softmax_v4_register_rows_1, rows, C, (const float*) x.data(), y.data(), logMode);
            expect_close(want, y, "softmax v4 (1 float4 per lane)" + what);
        }
        if (C % 4 == 0 && C <= 256) {
            std::fill(y.begin(), y.end(), NAN);
            host_shim::launch(blocks(rows, 4), WARPS, kmerl_softmax_v4_register_rows_2, rows, C, (const float*) x.data(), y.data(), logMode);
            expect_close(want, y, "softmax v4 (2 float4 per lane)" + what);
        }
        if (C % 4 == 0) {   // v5: the smallest float4s-per-thread that holds the row, as CudaNormalization picks
            using Kernel = void (*)(int, int, const float*, float*, int);
            const std::pair<int, Kernel> v5[] = {{1, kmerl_softmax_v5_block_rows_1}, {2, kmerl_softmax_v5_block_rows_2},
                                                 {4, kmerl_softmax_v5_block_rows_4}, {8, kmerl_softmax_v5_block_rows_8}};
            for (auto [vpt, kernel] : v5) {
                if (1024 * vpt < C) continue;
                std::fill(y.begin(), y.end(), NAN);   // two blocks for three or more rows: the grid-stride loop too
                host_shim::launch(dim3{unsigned(std::min(rows, 2)), 1, 1}, dim3{256, 1, 1}, kernel, rows, C,
                                  (const float*) x.data(), y.data(), logMode);
                expect_close(want, y, "softmax v5 (" + std::to_string(vpt) + " float4 per thread)" + what);
                break;
            }
        }
        std::vector<float> gx(x.size(), NAN);
        host_shim::launch(blocks(rows, 128), dim3{128, 1, 1}, kmerl_softmax_backward_v1_thread_per_row, rows, C,
                          (const float*) want.data(), (const float*) g.data(), gx.data(), logMode);
        expect_close(wantGrad, gx, "softmax backward v1" + what, 1e-4f);
        std::fill(gx.begin(), gx.end(), NAN);
        host_shim::launch(blocks(rows, 4), WARPS, kmerl_softmax_backward_v2_warp_per_row, rows, C,
                          (const float*) want.data(), (const float*) g.data(), gx.data(), logMode);
        expect_close(wantGrad, gx, "softmax backward v2" + what, 1e-4f);
    }
}

void layernorm(int rows, int C, bool affine) {
    const float eps = 1e-5f;
    std::vector<float> x = random_floats((size_t) rows * C, 3), g = random_floats((size_t) rows * C, 4);
    std::vector<float> w = random_floats(C, 5), b = random_floats(C, 6);
    const float* wp = affine ? w.data() : nullptr;
    const float* bp = affine ? b.data() : nullptr;
    std::vector<float> want(x.size()), wantMean(rows), wantRstd(rows), wantGx(x.size()), wantGw(C, 0.f), wantGb(C, 0.f);
    for (int r = 0; r < rows; ++r) {
        double mu = 0, sq = 0;
        for (int j = 0; j < C; ++j) mu += x[r * C + j];
        mu /= C;
        for (int j = 0; j < C; ++j) sq += (x[r * C + j] - mu) * (x[r * C + j] - mu);
        double inv = 1 / std::sqrt(sq / C + eps), md = 0, mdx = 0;
        wantMean[r] = float(mu);
        wantRstd[r] = float(inv);
        for (int j = 0; j < C; ++j) {
            double xhat = (x[r * C + j] - mu) * inv, d = g[r * C + j] * (affine ? w[j] : 1.0);
            want[r * C + j] = float(xhat * (affine ? w[j] : 1.0) + (affine ? b[j] : 0.0));
            md += d / C;
            mdx += d * xhat / C;
            wantGw[j] += float(g[r * C + j] * xhat);
            wantGb[j] += g[r * C + j];
        }
        for (int j = 0; j < C; ++j) {
            double xhat = (x[r * C + j] - mu) * inv, d = g[r * C + j] * (affine ? w[j] : 1.0);
            wantGx[r * C + j] = float(inv * (d - md - xhat * mdx));
        }
    }
    std::string what = " " + std::to_string(rows) + "x" + std::to_string(C) + (affine ? " affine" : "");
    auto forward = [&](const std::string& name, dim3 grid, dim3 threads, auto kernel) {
        std::vector<float> y(x.size(), NAN), mean(rows, NAN), rstd(rows, NAN);
        host_shim::launch(grid, threads, kernel, rows, C, (const float*) x.data(), wp, bp, eps, y.data(), mean.data(), rstd.data());
        expect_close(want, y, name + what);
        expect_close(wantMean, mean, name + " mean" + what);
        expect_close(wantRstd, rstd, name + " rstd" + what);
    };
    forward("layernorm v1", blocks(rows, 128), dim3{128, 1, 1}, kmerl_layernorm_v1_thread_per_row);
    forward("layernorm v2", blocks(rows, 4), WARPS, kmerl_layernorm_v2_warp_per_row);
    if (C % 4 == 0 && C <= 256) forward("layernorm v3", blocks(rows, 4), WARPS, kmerl_layernorm_v3_register_rows_2);
    std::vector<float> gx(x.size(), NAN);
    host_shim::launch(blocks(rows, 128), dim3{128, 1, 1}, kmerl_layernorm_backward_v1_thread_per_row, rows, C,
                      (const float*) g.data(), (const float*) x.data(), wp, (const float*) wantMean.data(),
                      (const float*) wantRstd.data(), gx.data());
    expect_close(wantGx, gx, "layernorm backward v1" + what, 1e-4f);
    std::fill(gx.begin(), gx.end(), NAN);
    host_shim::launch(blocks(rows, 4), WARPS, kmerl_layernorm_backward_v2_warp_per_row, rows, C, (const float*) g.data(),
                      (const float*) x.data(), wp, (const float*) wantMean.data(), (const float*) wantRstd.data(), gx.data());
    expect_close(wantGx, gx, "layernorm backward v2" + what, 1e-4f);
    int rowsPerChunk = 3, chunks = (rows + rowsPerChunk - 1) / rowsPerChunk;
    std::vector<float> partial((size_t) chunks * 2 * C, NAN), gw(C, NAN), gb(C, NAN);
    host_shim::launch(dim3{2, 1, 1}, dim3{64, 1, 1}, kmerl_layernorm_backward_params_partial, rows, C, rowsPerChunk,
                      (const float*) g.data(), (const float*) x.data(), (const float*) wantMean.data(),
                      (const float*) wantRstd.data(), partial.data());
    host_shim::launch(dim3{1, 1, 1}, dim3{64, 1, 1}, kmerl_layernorm_backward_params_finish, chunks, C,
                      (const float*) partial.data(), gw.data(), gb.data());
    expect_close(wantGw, gw, "layernorm weight gradient" + what, 1e-4f);
    expect_close(wantGb, gb, "layernorm bias gradient" + what, 1e-4f);
}
}  // namespace

int main() {
    for (auto [rows, C] : {std::pair{7, 20}, {5, 100}, {3, 256}, {2, 300}, {3, 1028}, {2, 2052}, {3, 4100}}) softmax(rows, C);
    for (auto [rows, C] : {std::pair{7, 20}, {10, 100}, {3, 256}, {2, 300}})
        for (bool affine : {false, true}) layernorm(rows, C, affine);
    return report("normalization.cu on the host");
}
