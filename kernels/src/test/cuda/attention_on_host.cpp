// attention.cu's backward step from scores to dS on the CPU (host_shim.h): v3's elementwise kernels and
// v4's product epilogues against a plain loop, with key padding (one batch fully padded) and dropout.
#include "host_shim.h"
#include "../../main/cuda/attention.cu"
#include "check.h"

namespace {
constexpr int B = 2, H = 2, Tq = 13, Tk = 20, Dv = 12;
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
}  // namespace

int main() {
    check(0.f);
    check(0.2f);
    return report("attention.cu (dS) on the host");
}
