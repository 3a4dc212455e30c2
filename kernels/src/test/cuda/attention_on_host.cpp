// attention.cu on the CPU (host_shim.h), against plain loops, with key padding (one batch fully padded) and
// dropout: the backward step from scores to dS (v3's elementwise kernels, v4's product epilogues), and the
// whole forward and backward of v1 (materialised) and v2 (fused, head sizes 16 and 64: one and two lanes
// per row), and v3's softmax rows.
#include "host_shim.h"
#include "../../main/cuda/attention.cu"
#include "check.h"

namespace {
// Tq and Tk pass v2's 32-row tiles (two tiles each, the second partial), so the online softmax merges across
// tiles and the barrier before a tile's rows are restaged is exercised (racecheck, KernelsOnHostTest); Tk stays
// a multiple of 4, as vᵀ's rows must be for the warp-tiled loads (CudaMatmul's float4 rule).
constexpr int B = 2, H = 2, Tq = 37, Tk = 44, Dv = 12;
constexpr int BH = B * H, ROWS = BH * Tq;
constexpr float SCALE = 0.3f;
constexpr uint64_t SEED = 42, OFFSET = 1000;

void check(float dropout) {
    std::string mode = dropout > 0 ? " (dropout)" : "";
    std::vector<float> S = random_floats((size_t) ROWS * Tk, 11), dO = random_floats((size_t) BH * Tq * Dv, 12);
    std::vector<float> v = random_floats((size_t) BH * Tk * Dv, 13), Drow = random_floats(ROWS, 14);
    std::vector<float> pad(B * Tk, 0.f);
    for (int j = 0; j < Tk; ++j) pad[j] = 1.f;    // batch 0: every key padded (lse -inf)
    pad[Tk + 3] = pad[Tk + 17] = 1.f;
    std::vector<float> lse(ROWS), vT((size_t) BH * Dv * Tk);
    for (int r = 0; r < ROWS; ++r) lse[r] = r / Tq / H == 0 ? -INFINITY : 0.1f * (r % 7) + 2.f;
    for (int z = 0; z < BH; ++z)
        for (int j = 0; j < Tk; ++j)
            for (int c = 0; c < Dv; ++c) vT[((size_t) z * Dv + c) * Tk + j] = v[((size_t) z * Tk + j) * Dv + c];
    // The reference: dP = dO·vᵀ, P = exp(scale S - lse) (0 where padded), dS = P (keep dP - Drow) scale, PK = P keep.
    std::vector<float> dP((size_t) ROWS * Tk), P(dP.size()), wantDs(dP.size()), wantPk(dP.size()), wantDsKept(dP.size());
    for (int r = 0; r < ROWS; ++r)
        for (int j = 0; j < Tk; ++j) {
            size_t idx = (size_t) r * Tk + j;
            int z = r / Tq, i = r % Tq;
            double acc = 0;
            for (int c = 0; c < Dv; ++c) acc += (double) dO[((size_t) z * Tq + i) * Dv + c] * v[((size_t) z * Tk + j) * Dv + c];
            dP[idx] = float(acc);
            bool off = lse[r] == -INFINITY || pad[(r / Tq / H) * Tk + j] != 0.f;
            float p = off ? 0.f : std::exp(S[idx] * SCALE - lse[r]);
            float keep = 1.f;
            if (dropout > 0) {
                float u = philox_uniform(SEED, OFFSET + (uint64_t) r * Tk + j);
                keep = u >= dropout ? 1.f / (1.f - dropout) : 0.f;
            }
            P[idx] = p;
            wantDs[idx] = p * (keep * dP[idx] - Drow[r]) * SCALE;
            wantPk[idx] = p * keep;
            wantDsKept[idx] = p * (dP[idx] - Drow[r]) * SCALE;
        }
    GemmBatch bt{};
    bt.rank = 1;
    bt.size[0] = BH;
    bt.aStride[0] = Tq * Dv;
    bt.bStride[0] = Dv * Tk;
    dim3 grid{unsigned((Tk + 63) / 64), unsigned((Tq + 63) / 64), unsigned(BH)}, threads{128, 1, 1};

    // v3: dP through memory, then the elementwise kernel (dS in place of S, PK in place of dP).
    std::vector<float> s3 = S, pk3 = dP;
    host_shim::launch(dim3{4, 1, 1}, dim3{64, 1, 1}, kmerl_attention_v3_dscores, ROWS, H, Tq, Tk, s3.data(),
                      (const float*) pk3.data(), lse.data(), Drow.data(), (const float*) pad.data(), SCALE, dropout,
                      SEED, OFFSET, pk3.data());
    expect_close(wantDs, s3, "v3 dS" + mode);
    expect_close(wantPk, pk3, "v3 PK" + mode);

    // v4: dO·vᵀ with dS (and PK over S) in the epilogue.
    std::vector<float> s4 = S, ds4(S.size(), NAN);
    host_shim::launch(grid, threads, kmerl_attention_v4_dp_to_dscores, Tq, Tk, Dv, (const float*) dO.data(), 0, Dv, 1,
                      (const float*) vT.data(), 0, Tk, 1, bt, 0, 0, s4.data(), ds4.data(), (const float*) lse.data(),
                      (const float*) Drow.data(), (const float*) pad.data(), H, Tq, SCALE, dropout, SEED, OFFSET);
    expect_close(wantDs, ds4, "v4 dS" + mode);
    expect_close(wantPk, s4, "v4 PK over S" + mode);

    if (dropout == 0) {   // from kept probabilities (no dropout): v3's kernel and v4's epilogue
        std::vector<float> d3 = dP;
        host_shim::launch(dim3{4, 1, 1}, dim3{64, 1, 1}, kmerl_attention_v3_dscores_from_p, ROWS, Tk, (const float*) P.data(),
                          d3.data(), (const float*) Drow.data(), SCALE);
        expect_close(wantDsKept, d3, "v3 dS from kept P");
        std::vector<float> d4(S.size(), NAN);
        host_shim::launch(grid, threads, kmerl_attention_v4_dp_to_dscores_kept, Tq, Tk, Dv, (const float*) dO.data(), 0,
                          Dv, 1, (const float*) vT.data(), 0, Tk, 1, bt, 0, 0, (const float*) P.data(), d4.data(),
                          (const float*) Drow.data(), SCALE);
        expect_close(wantDsKept, d4, "v4 dS from kept P");
        // v — not vᵀ — as a column-major B operand: the same product through the other load path.
        std::vector<float> d5(S.size(), NAN);
        host_shim::launch(grid, threads, kmerl_attention_v4_dp_to_dscores_kept, Tq, Tk, Dv, (const float*) dO.data(), 0,
                          Dv, 1, (const float*) v.data(), 0, 1, Dv, GemmBatch{1, {BH}, {Tq * Dv}, {Tk * Dv}}, 0, 1,
                          (const float*) P.data(), d5.data(), (const float*) Drow.data(), SCALE);
        expect_close(wantDsKept, d5, "v4 dS from kept P, column-major v");
    }
}
// q [BH, Tq, D], k [BH, Tk, D], v [BH, Tk, Dv], dO [BH, Tq, Dv]; the reference in double.
struct Problem {
    int D, Dv;
    float dropout;
    std::vector<float> q, k, v, dO, pad;
    std::vector<float> out, lse, gq, gk, gv, P;   // P: the dropped-out probabilities [rows, Tk]

    Problem(int d, int dv, float p) : D(d), Dv(dv), dropout(p) {
        q = random_floats((size_t) BH * Tq * D, 21);
        k = random_floats((size_t) BH * Tk * D, 22);
        v = random_floats((size_t) BH * Tk * Dv, 23);
        dO = random_floats((size_t) BH * Tq * Dv, 24);
        pad.assign(B * Tk, 0.f);
        for (int j = 0; j < Tk; ++j) pad[j] = 1.f;   // batch 0: every key padded
        pad[Tk + 3] = pad[Tk + 17] = 1.f;
        reference();
    }

    float keep(int row, int j) const {
        if (dropout == 0) return 1.f;
        return philox_uniform(SEED, OFFSET + (uint64_t) row * Tk + j) >= dropout ? 1.f / (1.f - dropout) : 0.f;
    }

    void reference() {
        out.assign((size_t) BH * Tq * Dv, 0.f);
        lse.assign(ROWS, 0.f);
        P.assign((size_t) ROWS * Tk, 0.f);
        gq.assign(q.size(), 0.f);
        gk.assign(k.size(), 0.f);
        gv.assign(v.size(), 0.f);
        std::vector<double> dk(k.size(), 0.0), dv(v.size(), 0.0);
        for (int z = 0; z < BH; ++z)
            for (int i = 0; i < Tq; ++i) {
                int row = z * Tq + i;
                std::vector<double> sc(Tk, -INFINITY), p(Tk, 0.0);
                double m = -INFINITY;
                for (int j = 0; j < Tk; ++j) {
                    if (pad[(z / H) * Tk + j] != 0) continue;
                    double dot = 0;
                    for (int c = 0; c < D; ++c) dot += (double) q[((size_t) row) * D + c] * k[((size_t) z * Tk + j) * D + c];
                    sc[j] = dot * SCALE;
                    m = std::max(m, sc[j]);
                }
                double sum = 0;
                for (int j = 0; j < Tk; ++j) sum += m == -INFINITY ? 0 : std::exp(sc[j] - m);
                double l = m == -INFINITY ? -INFINITY : m + std::log(sum);
                lse[row] = float(l);
                double drow = 0;
                for (int c = 0; c < Dv; ++c) {
                    double o = 0;
                    for (int j = 0; j < Tk; ++j) {
                        p[j] = l == -INFINITY ? 0 : std::exp(sc[j] - l);
                        o += p[j] * keep(row, j) * v[((size_t) z * Tk + j) * Dv + c];
                    }
                    out[(size_t) row * Dv + c] = float(o);
                    drow += o * dO[(size_t) row * Dv + c];
                }
                for (int j = 0; j < Tk; ++j) {
                    P[(size_t) row * Tk + j] = float(p[j] * keep(row, j));
                    double dp = 0;
                    for (int c = 0; c < Dv; ++c) dp += (double) dO[(size_t) row * Dv + c] * v[((size_t) z * Tk + j) * Dv + c];
                    double ds = p[j] * (keep(row, j) * dp - drow) * SCALE;
                    for (int c = 0; c < D; ++c) {
                        gq[(size_t) row * D + c] += float(ds * k[((size_t) z * Tk + j) * D + c]);
                        dk[((size_t) z * Tk + j) * D + c] += ds * q[(size_t) row * D + c];
                    }
                    for (int c = 0; c < Dv; ++c) dv[((size_t) z * Tk + j) * Dv + c] += p[j] * keep(row, j) * dO[(size_t) row * Dv + c];
                }
            }
        for (size_t e = 0; e < dk.size(); ++e) gk[e] = float(dk[e]);
        for (size_t e = 0; e < dv.size(); ++e) gv[e] = float(dv[e]);
    }

    std::string name() const {
        return " D=" + std::to_string(D) + " Dv=" + std::to_string(Dv) + (dropout > 0 ? " (dropout)" : "");
    }

    // Drow = rowsum(dO ∘ out), from the attention.cu kernel every variant's backward uses.
    std::vector<float> drow(const std::vector<float>& o) const {
        std::vector<float> d(ROWS, NAN);
        host_shim::launch(dim3{2, 1, 1}, dim3{64, 1, 1}, kmerl_attention_rowdot, ROWS, Dv, dO.data(), o.data(), d.data());
        return d;
    }
};

void materialised(const Problem& t) {
    std::vector<float> S((size_t) ROWS * Tk), lse(ROWS, NAN), out((size_t) BH * Tq * t.Dv, NAN);
    dim3 grid{3, 1, 1}, threads{64, 1, 1};
    host_shim::launch(grid, threads, kmerl_attention_v1_scores, BH, H, Tq, Tk, t.D, t.q.data(), t.k.data(), t.pad.data(), SCALE,
                      S.data());
    std::vector<float> scores = S;
    host_shim::launch(grid, threads, kmerl_attention_v1_softmax, ROWS, Tk, S.data(), lse.data(), t.dropout, SEED, OFFSET);
    host_shim::launch(grid, threads, kmerl_attention_v1_pv, BH, Tq, Tk, t.Dv, (const float*) S.data(), t.v.data(), out.data());
    expect_close(t.out, out, "v1 out" + t.name());
    expect_close(t.lse, lse, "v1 lse" + t.name());
    std::vector<float> drow = t.drow(out), pk(S.size(), NAN);
    std::vector<float> gq(t.q.size(), 0.f), gk(t.k.size(), 0.f), gv(t.v.size(), 0.f);
    host_shim::launch(grid, threads, kmerl_attention_v1_dscores, BH, Tq, Tk, t.Dv, scores.data(), (const float*) lse.data(),
                      t.dO.data(), t.v.data(), (const float*) drow.data(), t.dropout, SEED, OFFSET, SCALE, pk.data());
    host_shim::launch(grid, threads, kmerl_attention_v1_dv, BH, Tq, Tk, t.Dv, (const float*) pk.data(), t.dO.data(), gv.data());
    host_shim::launch(grid, threads, kmerl_attention_v1_dq, BH, Tq, Tk, t.D, (const float*) scores.data(), t.k.data(), gq.data());
    host_shim::launch(grid, threads, kmerl_attention_v1_dk, BH, Tq, Tk, t.D, (const float*) scores.data(), t.q.data(), gk.data());
    expect_close(t.gq, gq, "v1 dq" + t.name());
    expect_close(t.gk, gk, "v1 dk" + t.name());
    expect_close(t.gv, gv, "v1 dv" + t.name());
}

// v2 with the entry points for head-size bound MAXD, SPLIT lanes per row in backward (CudaAttention's
// ROWS_PER_BLOCK = 64 threads per block).
template <class Fwd, class Dq, class Dkdv>
void fused(const Problem& t, int split, Fwd forward, Dq dq, Dkdv dkdv) {
    std::vector<float> out((size_t) BH * Tq * t.Dv, NAN), lse(ROWS, NAN);
    host_shim::launch(dim3{unsigned((Tq + 63) / 64), unsigned(BH), 1}, dim3{64, 1, 1}, forward, H, Tq, Tk, t.D, t.Dv,
                      t.q.data(), t.k.data(), t.v.data(), t.pad.data(), SCALE, t.dropout, SEED, OFFSET, out.data(), lse.data());
    expect_close(t.out, out, "v2 out" + t.name());
    expect_close(t.lse, lse, "v2 lse" + t.name());
    std::vector<float> drow = t.drow(out), gq(t.q.size(), 0.f), gk(t.k.size(), 0.f), gv(t.v.size(), 0.f);
    int rowsPerBlock = 64 / split;
    host_shim::launch(dim3{unsigned((Tq + rowsPerBlock - 1) / rowsPerBlock), unsigned(BH), 1}, dim3{64, 1, 1}, dq, H, Tq, Tk,
                      t.D, t.Dv, t.q.data(), t.k.data(), t.v.data(), t.pad.data(), SCALE, t.dropout, SEED, OFFSET,
                      (const float*) lse.data(), t.dO.data(), (const float*) drow.data(), gq.data());
    host_shim::launch(dim3{unsigned((Tk + rowsPerBlock - 1) / rowsPerBlock), unsigned(BH), 1}, dim3{64, 1, 1}, dkdv, H, Tq,
                      Tk, t.D, t.Dv, t.q.data(), t.k.data(), t.v.data(), t.pad.data(), SCALE, t.dropout, SEED, OFFSET,
                      (const float*) lse.data(), t.dO.data(), (const float*) drow.data(), gk.data(), gv.data());
    expect_close(t.gq, gq, "v2 dq" + t.name());
    expect_close(t.gk, gk, "v2 dk" + t.name());
    expect_close(t.gv, gv, "v2 dv" + t.name());
}

// v3's softmax over the raw products q·k (from the reference's inputs): P' in place, lse.
void softmaxRows(const Problem& t) {
    std::vector<float> S((size_t) ROWS * Tk), lse(ROWS, NAN);
    for (int z = 0; z < BH; ++z)
        for (int i = 0; i < Tq; ++i)
            for (int j = 0; j < Tk; ++j) {
                float dot = 0;
                for (int c = 0; c < t.D; ++c) dot += t.q[((size_t) z * Tq + i) * t.D + c] * t.k[((size_t) z * Tk + j) * t.D + c];
                S[((size_t) z * Tq + i) * Tk + j] = dot;
            }
    host_shim::launch(dim3{3, 1, 1}, dim3{128, 1, 1}, kmerl_attention_v3_softmax_rows, ROWS, H, Tq, Tk, S.data(), t.pad.data(),
                      SCALE, t.dropout, SEED, OFFSET, lse.data());
    expect_close(t.P, S, "v3 softmax rows P'" + t.name());
    expect_close(t.lse, lse, "v3 softmax rows lse" + t.name());
}
}  // namespace

int main() {
    check(0.f);
    check(0.2f);
    for (float dropout : {0.f, 0.2f}) {
        Problem small(16, 12, dropout), wide(64, 40, dropout);
        materialised(small);
        softmaxRows(small);
        fused(small, 1, kmerl_attention_v2_fused_forward_d16, kmerl_attention_v2_fused_dq_d16, kmerl_attention_v2_fused_dkdv_d16);
        fused(wide, 2, kmerl_attention_v2_fused_forward_d64, kmerl_attention_v2_fused_dq_d64, kmerl_attention_v2_fused_dkdv_d64);
    }
    return report("attention.cu on the host");
}
