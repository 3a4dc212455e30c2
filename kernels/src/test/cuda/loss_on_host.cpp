// loss.cu on the CPU (host_shim.h), against double-precision loops: cross entropy (label smoothing, an ignored
// row, a target out of range), BCE with logits (pos_weight), and the CLIP loss's kernels around its products
// (row normalisation, 1/τ and row log-sum-exps, column log-sum-exps over two chunks of rows, the loss, the
// gradient of the logits with dτ, and the normalisation's backward).
#include "host_shim.h"
#include "../../main/cuda/loss.cu"
#include "check.h"

namespace {
void crossEntropy() {
    const int rows = 9, C = 37, ignore = -100;
    const float eps = 0.1f;
    std::vector<float> x = random_floats(rows * C, 31);
    std::vector<int> t = {3, 0, 36, ignore, 17, 5, 5, 20, 1};
    std::vector<float> wantLse(rows), wantRow(rows), wantGrad(rows * C);
    double total = 0;
    int counted = 0;
    for (int r = 0; r < rows; ++r) {
        double m = -INFINITY, s = 0, sx = 0;
        for (int j = 0; j < C; ++j) m = std::max(m, (double) x[r * C + j]);
        for (int j = 0; j < C; ++j) { s += std::exp(x[r * C + j] - m); sx += x[r * C + j]; }
        double l = m + std::log(s);
        wantLse[r] = float(l);
        wantRow[r] = t[r] == ignore ? 0.f : float(l - ((1 - eps) * x[r * C + t[r]] + eps * sx / C));
        total += wantRow[r];
        counted += t[r] != ignore;
    }
    float gradLoss = 2.f;
    for (int r = 0; r < rows; ++r)
        for (int j = 0; j < C; ++j)
            wantGrad[r * C + j] = t[r] == ignore ? 0.f
                    : float(gradLoss / counted * (std::exp(x[r * C + j] - wantLse[r]) - (eps / C + (j == t[r] ? 1 - eps : 0))));
    std::vector<float> lse(rows, NAN), rowLoss(rows, NAN), loss(1, NAN), scale(1, NAN), gx(rows * C, NAN);
    int error = 0;
    host_shim::launch(dim3{2, 1, 1}, dim3{128, 1, 1}, kmerl_cross_entropy_rows, rows, C, (const float*) x.data(),
                      (const int*) t.data(), eps, ignore, lse.data(), rowLoss.data(), &error);
    host_shim::launch(dim3{1, 1, 1}, dim3{64, 1, 1}, kmerl_cross_entropy_finish, rows, (const float*) rowLoss.data(),
                      (const int*) t.data(), ignore, 1, loss.data());
    expect_close(wantLse, lse, "cross entropy lse");
    expect_close(wantRow, rowLoss, "cross entropy rows");
    expect_close({float(total / counted)}, loss, "cross entropy mean");
    ++checks;
    if (error != 0) { std::printf("FAIL cross entropy: error flag %d with every target in range\n", error); ++failures; }
    host_shim::launch(dim3{1, 1, 1}, dim3{64, 1, 1}, kmerl_cross_entropy_grad_scale, rows, (const int*) t.data(), ignore,
                      (const float*) &gradLoss, 1, scale.data());
    host_shim::launch(dim3{3, 1, 1}, dim3{64, 1, 1}, kmerl_cross_entropy_backward, rows, C, (const float*) x.data(),
                      (const int*) t.data(), eps, ignore, (const float*) lse.data(), (const float*) scale.data(), gx.data());
    expect_close(wantGrad, gx, "cross entropy gradient");
    t[6] = C;   // out of range: the first such row + 1 is reported
    host_shim::launch(dim3{2, 1, 1}, dim3{128, 1, 1}, kmerl_cross_entropy_rows, rows, C, (const float*) x.data(),
                      (const int*) t.data(), eps, ignore, lse.data(), rowLoss.data(), &error);
    expect_close({7.f}, {float(error)}, "cross entropy error flag names row 6", 0.f);
}

void bce() {
    const int rows = 5, C = 7, n = rows * C;
    std::vector<float> x = random_floats(n, 41), pw = random_floats(C, 42), t(n);
    for (auto& v : x) v *= 6;
    for (auto& w : pw) w = w + 2;   // positive weights in (1, 3)
    for (int i = 0; i < n; ++i) t[i] = float((i * 7919) % 3 == 0);
    auto softplus = [](double v) { return v > 0 ? v + std::log1p(std::exp(-v)) : std::log1p(std::exp(v)); };
    std::vector<float> wantTerms(n), wantGrad(n);
    double sum = 0;
    float gradLoss = 1.5f;
    for (int i = 0; i < n; ++i) {
        double w = pw[i % C], sig = 1 / (1 + std::exp(-(double) x[i]));
        wantTerms[i] = float(w * t[i] * softplus(-x[i]) + (1 - t[i]) * softplus(x[i]));
        sum += wantTerms[i];
        wantGrad[i] = float(gradLoss / n * (sig * (w * t[i] + 1 - t[i]) - w * t[i]));
    }
    std::vector<float> terms(n, NAN), loss(1, NAN), gx(n, NAN);
    host_shim::launch(dim3{1, 1, 1}, dim3{32, 1, 1}, kmerl_bce_terms, n, C, (const float*) x.data(), (const float*) t.data(),
                      (const float*) pw.data(), terms.data());
    host_shim::launch(dim3{1, 1, 1}, dim3{64, 1, 1}, kmerl_sum_to_scalar, n, (const float*) terms.data(), (double) n, loss.data());
    host_shim::launch(dim3{1, 1, 1}, dim3{32, 1, 1}, kmerl_bce_backward, n, C, (const float*) x.data(), (const float*) t.data(),
                      (const float*) pw.data(), (const float*) &gradLoss, (double) n, gx.data());
    expect_close(wantTerms, terms, "bce terms");
    expect_close({float(sum / n)}, loss, "bce mean");
    expect_close(wantGrad, gx, "bce gradient");
}

void clip() {
    const int N = 70, D = 24;   // 70 rows: two chunks of CLIP_ROWS_PER_CHUNK for the column pass
    const float tau = 0.07f, gradLoss = 1.f;
    std::vector<float> a = random_floats(N * D, 51), b = random_floats(N * D, 52);
    // The reference: unit rows, logits L = â·b̂ᵀ/τ, both log-sum-exps, the mean loss, G, dτ, dâ and da.
    std::vector<double> ua(N * D), ub(N * D), na(N), nb(N), L(N * N), lr(N), lc(N);
    for (int r = 0; r < N; ++r) {
        double sa = 0, sb = 0;
        for (int c = 0; c < D; ++c) { sa += a[r * D + c] * a[r * D + c]; sb += b[r * D + c] * b[r * D + c]; }
        na[r] = std::max(std::sqrt(sa), 1e-12);
        nb[r] = std::max(std::sqrt(sb), 1e-12);
        for (int c = 0; c < D; ++c) { ua[r * D + c] = a[r * D + c] / na[r]; ub[r * D + c] = b[r * D + c] / nb[r]; }
    }
    for (int i = 0; i < N; ++i)
        for (int j = 0; j < N; ++j) {
            double dot = 0;
            for (int c = 0; c < D; ++c) dot += ua[i * D + c] * ub[j * D + c];
            L[i * N + j] = dot / tau;
        }
    double loss = 0, dtau = 0;
    for (int i = 0; i < N; ++i) {
        double mr = -INFINITY, mc = -INFINITY, sr = 0, sc = 0;
        for (int j = 0; j < N; ++j) { mr = std::max(mr, L[i * N + j]); mc = std::max(mc, L[j * N + i]); }
        for (int j = 0; j < N; ++j) { sr += std::exp(L[i * N + j] - mr); sc += std::exp(L[j * N + i] - mc); }
        lr[i] = mr + std::log(sr);
        lc[i] = mc + std::log(sc);
        loss += (lr[i] - L[i * N + i]) + (lc[i] - L[i * N + i]);
    }
    loss = loss / N / 2;
    std::vector<float> wantG(N * N);
    std::vector<double> dua(N * D, 0.0);
    double w = gradLoss * 0.5 / N / tau;
    for (int i = 0; i < N; ++i)
        for (int j = 0; j < N; ++j) {
            double g = w * (std::exp(L[i * N + j] - lr[i]) + std::exp(L[i * N + j] - lc[j]) - (i == j ? 2 : 0));
            wantG[i * N + j] = float(g);
            dtau -= g * L[i * N + j];
            for (int c = 0; c < D; ++c) dua[i * D + c] += g * ub[j * D + c];
        }
    std::vector<float> wantDa(N * D);
    for (int r = 0; r < N; ++r) {
        double dot = 0;
        for (int c = 0; c < D; ++c) dot += ua[r * D + c] * dua[r * D + c];
        for (int c = 0; c < D; ++c) wantDa[r * D + c] = float((dua[r * D + c] - ua[r * D + c] * dot) / na[r]);
    }

    // The kernels, with the products done here (in float, as the GEMM would).
    std::vector<float> unitA(N * D, NAN), unitB(N * D, NAN), normA(N, NAN), normB(N, NAN);
    host_shim::launch(dim3{3, 1, 1}, dim3{128, 1, 1}, kmerl_l2_normalize_rows, N, D, (const float*) a.data(), unitA.data(), normA.data());
    host_shim::launch(dim3{3, 1, 1}, dim3{128, 1, 1}, kmerl_l2_normalize_rows, N, D, (const float*) b.data(), unitB.data(), normB.data());
    std::vector<float> wantUnit(ua.begin(), ua.end()), wantNorm(na.begin(), na.end());
    expect_close(wantUnit, unitA, "clip unit rows");
    expect_close(wantNorm, normA, "clip norms");
    std::vector<float> logits(N * N);
    for (int i = 0; i < N; ++i)
        for (int j = 0; j < N; ++j) {
            float dot = 0;
            for (int c = 0; c < D; ++c) dot += unitA[i * D + c] * unitB[j * D + c];
            logits[i * N + j] = dot;
        }
    std::vector<float> lseRows(N, NAN), lseCols(N, NAN), out(1, NAN);
    int chunks = (N + CLIP_ROWS_PER_CHUNK - 1) / CLIP_ROWS_PER_CHUNK;
    std::vector<float> pm(chunks * N, NAN), ps(chunks * N, NAN);
    host_shim::launch(dim3{3, 1, 1}, dim3{128, 1, 1}, kmerl_clip_scale_lse_rows, N, logits.data(), (const float*) &tau, lseRows.data());
    host_shim::launch(dim3{2, 1, 1}, dim3{64, 1, 1}, kmerl_clip_lse_cols_partial, N, (const float*) logits.data(), pm.data(), ps.data());
    host_shim::launch(dim3{1, 1, 1}, dim3{64, 1, 1}, kmerl_clip_lse_merge, N, chunks, 1, (const float*) pm.data(),
                      (const float*) ps.data(), lseCols.data(), (float*) nullptr);
    host_shim::launch(dim3{1, 1, 1}, dim3{64, 1, 1}, kmerl_clip_loss, N, (const float*) logits.data(), (const float*) lseRows.data(),
                      (const float*) lseCols.data(), 1, out.data());
    expect_close(std::vector<float>(lr.begin(), lr.end()), lseRows, "clip row log-sum-exps");
    expect_close(std::vector<float>(lc.begin(), lc.end()), lseCols, "clip column log-sum-exps");
    expect_close({float(loss)}, out, "clip loss (mean)");

    // v2: the product on GEMM v7's tiles (b̂ᵀ read column-major) with the statistics in its epilogue; 70 rows
    // make a whole and a ragged tile each way.
    std::vector<float> logits2(N * N, NAN), lseRows2(N, NAN), lseCols2(N, NAN), out2(1, NAN);
    int tiles = (N + CLIP_TILE - 1) / CLIP_TILE;
    std::vector<float> tm(2 * tiles * N, NAN), ts(2 * tiles * N, NAN);
    GemmBatch single{};
    host_shim::launch(dim3{unsigned(tiles), unsigned(tiles), 1}, dim3{128, 1, 1}, kmerl_clip_v2_logits_stats, N, N, D,
                      (const float*) unitA.data(), 0, D, 1, (const float*) unitB.data(), 0, 1, D, single, 0, 1,
                      (const float*) &tau, logits2.data(), tm.data(), ts.data());
    host_shim::launch(dim3{1, 1, 1}, dim3{64, 1, 1}, kmerl_clip_lse_merge, N, tiles, 2, (const float*) tm.data(),
                      (const float*) ts.data(), lseRows2.data(), lseCols2.data());
    host_shim::launch(dim3{1, 1, 1}, dim3{64, 1, 1}, kmerl_clip_loss, N, (const float*) logits2.data(),
                      (const float*) lseRows2.data(), (const float*) lseCols2.data(), 1, out2.data());
    expect_close(std::vector<float>(L.begin(), L.end()), logits2, "clip v2 logits", 1e-5f);
    expect_close(std::vector<float>(lr.begin(), lr.end()), lseRows2, "clip v2 row log-sum-exps");
    expect_close(std::vector<float>(lc.begin(), lc.end()), lseCols2, "clip v2 column log-sum-exps");
    expect_close({float(loss)}, out2, "clip v2 loss (mean)");
    const int blocks = 3;
    std::vector<float> G(N * N, NAN), dtPartial(blocks, NAN), dt(1, NAN);
    host_shim::launch(dim3{blocks, 1, 1}, dim3{64, 1, 1}, kmerl_clip_dlogits, N, (const float*) logits.data(),
                      (const float*) lseRows.data(), (const float*) lseCols.data(), (const float*) &gradLoss,
                      (const float*) &tau, 1, G.data(), dtPartial.data());
    host_shim::launch(dim3{1, 1, 1}, dim3{32, 1, 1}, kmerl_sum_to_scalar, blocks, (const float*) dtPartial.data(), 1.0, dt.data());
    expect_close(wantG, G, "clip dlogits", 1e-5f);
    expect_close({float(dtau)}, dt, "clip dτ", 1e-4f);
    std::vector<float> dUnit(N * D, 0.f), da(N * D, NAN);
    for (int i = 0; i < N; ++i)
        for (int j = 0; j < N; ++j)
            for (int c = 0; c < D; ++c) dUnit[i * D + c] += G[i * N + j] * unitB[j * D + c];
    host_shim::launch(dim3{3, 1, 1}, dim3{128, 1, 1}, kmerl_l2_normalize_backward, N, D, (const float*) unitA.data(),
                      (const float*) normA.data(), (const float*) dUnit.data(), da.data());
    expect_close(wantDa, da, "clip gradient of a", 1e-5f);
}
}  // namespace

int main() {
    crossEntropy();
    bce();
    clip();
    return report("loss.cu on the host");
}
