// gemm.cu on the CPU (host_shim.h): every variant against a plain loop, with bias and accumulate, row- and
// column-major operands, two batches; odd sizes where the variant takes them. v9, v12 and v13 (TF32 tensor
// cores, the mma emulated from the PTX ISA's fragment layout) against the loop over TF32-rounded inputs. And
// attention v5's q·kᵀ on head-split views (kᵀ read in place as a column-major B, a rank-2 batch).
#include "host_shim.h"
#include "../../main/cuda/gemm.cu"
#include "check.h"

namespace {
struct Case {
    int M, N, K;
    bool aCol, bCol, bias, accumulate;
};

// Runs variant `name` on case c, checks it against the loop and returns its output.
std::vector<float> run(const char* name, int tile, int threadsX, int threadsY, bool warpTiled, const Case& c) {
    bool tf32 = std::string(name) == "v9" || std::string(name) == "v12" || std::string(name) == "v13";
    const int batch = 2;
    int M = c.M, N = c.N, K = c.K;
    std::vector<float> A = random_floats((size_t) batch * M * K, 1), B = random_floats((size_t) batch * K * N, 2);
    std::vector<float> bias = random_floats(N, 3), C = random_floats((size_t) batch * M * N, 4);
    std::vector<float> want = C;
    // A(m, k) of batch z: row-major at z*M*K + m*K + k, column-major at z*M*K + k*M + m; B likewise.
    int sam = c.aCol ? 1 : K, sak = c.aCol ? M : 1, sbk = c.bCol ? 1 : N, sbn = c.bCol ? K : 1;
    for (int z = 0; z < batch; ++z)
        for (int m = 0; m < M; ++m)
            for (int n = 0; n < N; ++n) {
                double acc = 0;
                for (int k = 0; k < K; ++k) {
                    float x = A[(size_t) z * M * K + m * sam + k * sak], y = B[(size_t) z * K * N + k * sbk + n * sbn];
                    acc += tf32 ? (double) tf32_round(x) * tf32_round(y) : (double) x * y;
                }
                float v = float(acc) + (c.bias ? bias[n] : 0.f);
                float& w = want[((size_t) z * M + m) * N + n];
                w = c.accumulate ? w + v : v;
            }
    GemmBatch bt{};
    bt.rank = 1;
    bt.size[0] = batch;
    bt.aStride[0] = M * K;
    bt.bStride[0] = K * N;
    dim3 grid{unsigned((N + tile - 1) / tile), unsigned((M + tile - 1) / tile), unsigned(batch)};
    dim3 threads{unsigned(threadsX), unsigned(threadsY), 1};
    const float* bp = c.bias ? bias.data() : nullptr;
    std::string what = std::string(name) + " " + std::to_string(M) + "x" + std::to_string(N) + "x" + std::to_string(K) +
                       (c.aCol ? " colA" : "") + (c.bCol ? " colB" : "") + (c.bias ? " bias" : "") +
                       (c.accumulate ? " accumulate" : "");
    auto launch = [&](auto kernel) {
        if (warpTiled) {
            host_shim::launch(grid, threads, kernel, M, N, K, A.data(), 0, sam, sak, B.data(), 0, sbk, sbn, C.data(), bp,
                              (int) c.accumulate, bt, (int) c.aCol, (int) c.bCol);
        }
    };
    std::string n(name);
    if (n == "v5") launch(kmerl_gemm_v5_warp_tiled);
    if (n == "v6") launch(kmerl_gemm_v6_small_tiles);
    if (n == "v7") launch(kmerl_gemm_v7_prefetch);
    if (n == "v8") launch(kmerl_gemm_v8_large_prefetch);
    if (n == "v9") launch(kmerl_gemm_v9_tf32);
    if (n == "v10") launch(kmerl_gemm_v10_swizzled);
    if (n == "v11") launch(kmerl_gemm_v11_double_buffered);
    if (n == "v12") launch(kmerl_gemm_v12_tf32_swizzled);
    if (n == "v13") launch(kmerl_gemm_v13_tf32_double_buffered);
    auto plain = [&](auto kernel) {
        host_shim::launch(grid, threads, kernel, M, N, K, A.data(), 0, sam, sak, B.data(), 0, sbk, sbn, C.data(), bp,
                          (int) c.accumulate, bt);
    };
    if (n == "v1") plain(kmerl_gemm_v1_naive);
    if (n == "v2") plain(kmerl_gemm_v2_smem_tiled);
    if (n == "v3") plain(kmerl_gemm_v3_register_tiled);
    if (n == "v4") plain(kmerl_gemm_v4_vectorized);
    expect_close(want, C, what);
    return C;
}
// Attention v5's products: S = q·kᵀ with q and k head-split views of [B, T, H, D] storage, as CudaAttention
// hands them over: A = q row-major with row stride H*D, B = kᵀ column-major with column stride H*D (k's
// rows, read in place instead of copied dense), a batch of rank 2 over (b, h) whose strides are T*H*D and D.
void headSplitViews() {
    const int Bn = 2, H = 3, Tq = 37, Tk = 44, D = 16;
    std::vector<float> q = random_floats((size_t) Bn * Tq * H * D, 31), k = random_floats((size_t) Bn * Tk * H * D, 32);
    std::vector<float> want((size_t) Bn * H * Tq * Tk), wantTf32(want.size());
    for (int b = 0; b < Bn; ++b)
        for (int h = 0; h < H; ++h)
            for (int i = 0; i < Tq; ++i)
                for (int j = 0; j < Tk; ++j) {
                    double acc = 0, accTf32 = 0;
                    for (int d = 0; d < D; ++d) {
                        float x = q[((size_t) (b * Tq + i) * H + h) * D + d], y = k[((size_t) (b * Tk + j) * H + h) * D + d];
                        acc += (double) x * y;
                        accTf32 += (double) tf32_round(x) * tf32_round(y);
                    }
                    size_t at = ((size_t) (b * H + h) * Tq + i) * Tk + j;
                    want[at] = float(acc);
                    wantTf32[at] = float(accTf32);
                }
    GemmBatch bt{};
    bt.rank = 2;
    bt.size[0] = Bn;
    bt.size[1] = H;
    bt.aStride[0] = Tq * H * D;
    bt.aStride[1] = D;
    bt.bStride[0] = Tk * H * D;
    bt.bStride[1] = D;
    auto check = [&](const char* name, int tile, int threads, bool tf32, auto kernel) {
        std::vector<float> S(want.size(), NAN);
        dim3 grid{unsigned((Tk + tile - 1) / tile), unsigned((Tq + tile - 1) / tile), unsigned(Bn * H)};
        host_shim::launch(grid, dim3{unsigned(threads), 1, 1}, kernel, Tq, Tk, D, (const float*) q.data(), 0, H * D, 1,
                          (const float*) k.data(), 0, 1, H * D, S.data(), (const float*) nullptr, 0, bt, 0, 1);
        expect_close(tf32 ? wantTf32 : want, S, std::string(name) + " q·kᵀ on head-split views (rank-2 batch)");
    };
    check("v5", 128, 128, false, kmerl_gemm_v5_warp_tiled);
    check("v7", 64, 128, false, kmerl_gemm_v7_prefetch);
    check("v8", 128, 128, false, kmerl_gemm_v8_large_prefetch);
    check("v10", 64, 128, false, kmerl_gemm_v10_swizzled);
    check("v11", 64, 128, false, kmerl_gemm_v11_double_buffered);
    check("v9", 128, 256, true, kmerl_gemm_v9_tf32);
    check("v13", 128, 256, true, kmerl_gemm_v13_tf32_double_buffered);
}
}  // namespace

int main() {
    headSplitViews();
    for (bool bias : {false, true})
        for (bool accumulate : {false, true}) {
            Case odd{37, 45, 19, false, false, bias, accumulate};
            Case oddT{37, 45, 19, true, true, bias, accumulate};
            run("v1", 16, 16, 16, false, odd);
            run("v1", 16, 16, 16, false, oddT);
            run("v2", 32, 32, 32, false, odd);
            run("v3", 128, 256, 1, false, oddT);
            run("v4", 128, 256, 1, false, Case{36, 44, 20, false, false, bias, accumulate});
            for (bool aCol : {false, true})
                for (bool bCol : {false, true}) {
                    Case c{36, 68, 20, aCol, bCol, bias, accumulate};
                    run("v5", 128, 128, 1, true, c);
                    run("v6", 64, 128, 1, true, c);
                    run("v7", 64, 128, 1, true, c);
                    run("v8", 128, 128, 1, true, c);
                    run("v10", 64, 128, 1, true, c);
                    run("v11", 64, 128, 1, true, c);
                    run("v9", 128, 256, 1, true, c);
                    // 2x2 blocks of 8 warps each (fewer cases: 256 OS threads a block; under the sanitizers, one
                    // epilogue and the two layouts that between them take each staging path of A and B)
                    if (bias == accumulate && !(SANITIZED && (bias || aCol != bCol))) {
                        Case big{136, 132, 40, aCol, bCol, bias, accumulate};
                        std::vector<float> v9 = run("v9", 128, 256, 1, true, big);
                        // v12 and v13 issue v9's mmas in v9's order: the same bits.
                        expect_close(v9, run("v12", 128, 256, 1, true, big), "v12 bits = v9 bits", 0.f);
                        expect_close(v9, run("v13", 128, 256, 1, true, big), "v13 bits = v9 bits", 0.f);
                    }
                }
        }
    // v6, v8, v10 and v11 sum each output over k in v7's order with the same FMAs: the same bits, which lets
    // GemmTuner pick among them per shape without changing a result.
    for (bool aCol : {false, true})
        for (bool bCol : {false, true}) {
            Case c{68, 76, 40, aCol, bCol, false, false};   // column-major operands take M, N multiples of 4 (float4 rule)
            std::vector<float> v7 = run("v7", 64, 128, 1, true, c);
            expect_close(v7, run("v6", 64, 128, 1, true, c), "v6 bits = v7 bits", 0.f);
            expect_close(v7, run("v8", 128, 128, 1, true, c), "v8 bits = v7 bits", 0.f);
            expect_close(v7, run("v10", 64, 128, 1, true, c), "v10 bits = v7 bits", 0.f);
            expect_close(v7, run("v11", 64, 128, 1, true, c), "v11 bits = v7 bits", 0.f);
        }
    return report("gemm.cu on the host");
}
