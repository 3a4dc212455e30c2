// elementwise.cu on the CPU (host_shim.h): every unary op, its derivative and every binary op against the
// C++ library's functions, through the strided form (a permuted operand, a broadcast one), the contiguous
// form and the float4 form with a ragged tail; clamp and where.
#include "host_shim.h"
#include "../../main/cuda/elementwise.cu"
#include "check.h"

namespace {
constexpr int A = 3, Bd = 5, C = 7, N = A * Bd * C;   // 105 elements: 26 float4s and a tail of 1

double unary(int op, double x) {
    switch (op) {
        case U_NEG: return -x;
        case U_EXP: return std::exp(x);
        case U_LOG: return std::log(x);
        case U_SQRT: return std::sqrt(x);
        case U_RSQRT: return 1 / std::sqrt(x);
        case U_RECIPROCAL: return 1 / x;
        case U_SQUARE: return x * x;
        case U_ABS: return std::fabs(x);
        case U_TANH: return std::tanh(x);
        case U_SIGMOID: return 1 / (1 + std::exp(-x));
        case U_RELU: return x > 0 ? x : 0;
        default: return x * 0.5 * std::erfc(-x / std::sqrt(2.0));   // GELU
    }
}

double derivative(int op, double x) {
    double y = unary(op, x);
    switch (op) {
        case U_NEG: return -1;
        case U_EXP: return y;
        case U_LOG: return 1 / x;
        case U_SQRT: return 0.5 / y;
        case U_RSQRT: return -0.5 * y * y * y;
        case U_RECIPROCAL: return -y * y;
        case U_SQUARE: return 2 * x;
        case U_ABS: return x > 0 ? 1 : x < 0 ? -1 : 0;
        case U_TANH: return 1 - y * y;
        case U_SIGMOID: return y * (1 - y);
        case U_RELU: return x > 0 ? 1 : 0;
        default: return 0.5 * std::erfc(-x / std::sqrt(2.0)) + x * std::exp(-0.5 * x * x) / std::sqrt(2 * M_PI);
    }
}

double binary(int op, double a, double b) {
    switch (op) {
        case B_ADD: return a + b;
        case B_SUB: return a - b;
        case B_MUL: return a * b;
        case B_DIV: return a / b;
        case B_POW: return std::pow(a, b);
        case B_MAXIMUM: return std::max(a, b);
        case B_MINIMUM: return std::min(a, b);
        case B_EQ: return a == b;
        case B_NE: return a != b;
        case B_LT: return a < b;
        case B_LE: return a <= b;
        case B_GT: return a > b;
        default: return a >= b;
    }
}

Dims dims3() { return Dims{3, {A, Bd, C}}; }
Strides dense() { return Strides{0, {Bd * C, C, 1}}; }
Strides permuted() { return Strides{0, {1, A * C, A}}; }   // element (a, b, c) of x stored at [b][c][a]

void unaryOps() {
    std::vector<float> x = random_floats(N, 61), g = random_floats(N, 62);
    for (auto& v : x) v = std::fabs(v) * 2 + 0.05f;   // positive: log, sqrt, rsqrt defined
    x[4] = -x[4];
    x[9] = -x[9];                                    // a few negatives for abs, relu, tanh, gelu
    std::vector<float> xp(N);   // x laid out permuted
    for (int a = 0; a < A; ++a)
        for (int b = 0; b < Bd; ++b)
            for (int c = 0; c < C; ++c) xp[(b * C + c) * A + a] = x[(a * Bd + b) * C + c];
    for (int op = U_NEG; op <= U_GELU; ++op) {
        bool defined = op != U_LOG && op != U_SQRT && op != U_RSQRT;   // at the negatives only these are NaN
        std::vector<float> want(N), wantGrad(N);
        for (int i = 0; i < N; ++i) {
            double v = defined || x[i] > 0 ? unary(op, x[i]) : NAN;
            want[i] = float(v);
            wantGrad[i] = float(g[i] * derivative(op, x[i]));
        }
        auto skipNan = [&](std::vector<float> got) {   // the NaNs of log/sqrt at negatives: compared as zeros
            for (int i = 0; i < N; ++i) if (std::isnan(want[i]) && std::isnan(got[i])) got[i] = 0;
            return got;
        };
        std::vector<float> w0 = want;
        for (auto& v : w0) if (std::isnan(v)) v = 0;
        std::string name = "unary op " + std::to_string(op);
        std::vector<float> out(N, -7.f);
        host_shim::launch(dim3{2, 1, 1}, dim3{32, 1, 1}, kmerl_unary_strided, op, N, dims3(), out.data(), dense(),
                          (const float*) xp.data(), permuted());
        expect_close(w0, skipNan(out), name + " strided (permuted input)", 1e-5f);
        std::fill(out.begin(), out.end(), -7.f);
        host_shim::launch(dim3{2, 1, 1}, dim3{32, 1, 1}, kmerl_unary_contiguous, op, N, out.data(), (const float*) x.data());
        expect_close(w0, skipNan(out), name + " contiguous", 1e-5f);
        std::fill(out.begin(), out.end(), -7.f);
        host_shim::launch(dim3{2, 1, 1}, dim3{32, 1, 1}, kmerl_unary_contiguous_vec4, op, N, out.data(), (const float*) x.data());
        expect_close(w0, skipNan(out), name + " float4 with a tail", 1e-5f);
        if (!defined) continue;   // derivatives at the NaNs are NaN either way
        std::vector<float> gx(N, -7.f);
        host_shim::launch(dim3{2, 1, 1}, dim3{32, 1, 1}, kmerl_unary_backward_contiguous, op, N, gx.data(),
                          (const float*) x.data(), (const float*) want.data(), (const float*) g.data());
        expect_close(wantGrad, gx, name + " backward", 1e-4f);
        std::fill(gx.begin(), gx.end(), -7.f);
        host_shim::launch(dim3{2, 1, 1}, dim3{32, 1, 1}, kmerl_unary_backward_strided, op, N, dims3(), gx.data(), dense(),
                          (const float*) xp.data(), permuted(), (const float*) want.data(), dense(), (const float*) g.data(), dense());
        expect_close(wantGrad, gx, name + " backward strided", 1e-4f);
    }
}

void binaryOps() {
    std::vector<float> a = random_floats(N, 63), b = random_floats(Bd, 64);   // b [5] broadcast over a's axes 0 and 2
    for (auto& v : a) v = std::fabs(v) + 0.1f;
    for (auto& v : b) v = std::fabs(v) * 3 + 0.1f;
    a[7] = b[1];   // one tie, for the comparisons ((0, 1, 0) lines up with b[1])
    std::vector<float> bFull(N);
    for (int i = 0; i < N; ++i) bFull[i] = b[i / C % Bd];
    for (int op = B_ADD; op <= B_GE; ++op) {
        std::vector<float> want(N);
        for (int i = 0; i < N; ++i) want[i] = float(binary(op, a[i], bFull[i]));
        std::string name = "binary op " + std::to_string(op);
        std::vector<float> out(N, -7.f);
        host_shim::launch(dim3{2, 1, 1}, dim3{32, 1, 1}, kmerl_binary_strided, op, N, dims3(), out.data(), dense(),
                          (const float*) a.data(), dense(), (const float*) b.data(), Strides{0, {0, 1, 0}});
        expect_close(want, out, name + " strided (broadcast b)", 1e-5f);
        std::fill(out.begin(), out.end(), -7.f);
        host_shim::launch(dim3{2, 1, 1}, dim3{32, 1, 1}, kmerl_binary_contiguous_vec4, op, N, out.data(), (const float*) a.data(),
                          (const float*) bFull.data());
        expect_close(want, out, name + " float4 with a tail", 1e-5f);
        std::fill(out.begin(), out.end(), -7.f);
        host_shim::launch(dim3{2, 1, 1}, dim3{32, 1, 1}, kmerl_binary_scalar_strided, op, N, dims3(), out.data(), dense(),
                          (const float*) a.data(), dense(), b[1]);
        std::vector<float> wantScalar(N);
        for (int i = 0; i < N; ++i) wantScalar[i] = float(binary(op, a[i], b[1]));
        expect_close(wantScalar, out, name + " with a scalar", 1e-5f);
    }
    std::vector<float> out(N, -7.f), want(N), cond(N);
    host_shim::launch(dim3{2, 1, 1}, dim3{32, 1, 1}, kmerl_clamp_strided, N, dims3(), out.data(), dense(), (const float*) a.data(),
                      dense(), 0.3f, 0.7f);
    for (int i = 0; i < N; ++i) want[i] = std::min(std::max(a[i], 0.3f), 0.7f);
    expect_close(want, out, "clamp", 0.f);
    for (int i = 0; i < N; ++i) {
        cond[i] = float(i % 3 == 0);
        want[i] = cond[i] != 0 ? a[i] : bFull[i];
    }
    host_shim::launch(dim3{2, 1, 1}, dim3{32, 1, 1}, kmerl_where_strided, N, dims3(), out.data(), dense(), (const float*) cond.data(),
                      dense(), (const float*) a.data(), dense(), (const float*) b.data(), Strides{0, {0, 1, 0}});
    expect_close(want, out, "where (broadcast b)", 0.f);
}
}  // namespace

int main() {
    unaryOps();
    binaryOps();
    return report("elementwise.cu on the host");
}
