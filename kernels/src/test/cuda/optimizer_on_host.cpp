// optimizer.cu on the CPU (host_shim.h): multi-tensor AdamW against the one-tensor kernel and a plain loop,
// multi-tensor sums of squares and scaling against plain loops, on tensors of mixed sizes in one launch.
#include "host_shim.h"
#include "../../main/cuda/optimizer.cu"
#include "check.h"

namespace {
const std::vector<int> SIZES = {700, 37, 1, 300, 129};
constexpr int THREADS = 64, BLOCKS = 4;   // fewer than the largest tensor needs: the grid-stride loops cover it

void adamw() {
    const float beta1 = 0.9f, beta2 = 0.999f, decay = 1 - 1e-3f * 0.01f, stepSize = 1e-3f / 0.1f, correction = 0.5f,
                eps = 1e-8f;
    TensorLists<4> lists{};
    std::vector<std::vector<float>> multi[4], single[4];
    for (size_t t = 0; t < SIZES.size(); ++t) {
        for (int l = 0; l < 4; ++l) {
            auto data = random_floats(SIZES[t], unsigned(10 * t + l));
            if (l == 3)
                for (auto& x : data) x = x * x;   // the second moment is not negative
            multi[l].push_back(data);
            single[l].push_back(data);
        }
    }
    for (size_t t = 0; t < SIZES.size(); ++t) {
        for (int l = 0; l < 4; ++l) lists.ptr[l][t] = multi[l][t].data();
        lists.n[t] = SIZES[t];
    }
    host_shim::launch(dim3{BLOCKS, unsigned(SIZES.size()), 1}, dim3{THREADS, 1, 1}, kmerl_adamw_multi, lists, beta1,
                      beta2, decay, stepSize, correction, eps);
    for (size_t t = 0; t < SIZES.size(); ++t) {
        host_shim::launch(dim3{2, 1, 1}, dim3{THREADS, 1, 1}, kmerl_adamw, SIZES[t], single[0][t].data(),
                          (const float*) single[1][t].data(), single[2][t].data(), single[3][t].data(), beta1, beta2,
                          decay, stepSize, correction, eps);
        std::string what = "adamw multi-tensor, tensor " + std::to_string(t) + " of " + std::to_string(SIZES[t]);
        expect_close(single[0][t], multi[0][t], what + ": p", 0.f);   // the same element function: the same bits
        expect_close(single[2][t], multi[2][t], what + ": m", 0.f);
        expect_close(single[3][t], multi[3][t], what + ": v", 0.f);
        // and the plain loop, from the starting values
        auto p = random_floats(SIZES[t], unsigned(10 * t)), g = random_floats(SIZES[t], unsigned(10 * t + 1));
        auto m = random_floats(SIZES[t], unsigned(10 * t + 2)), v = random_floats(SIZES[t], unsigned(10 * t + 3));
        for (int i = 0; i < SIZES[t]; ++i) {
            v[i] = v[i] * v[i];
            m[i] = beta1 * m[i] + (1 - beta1) * g[i];
            v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
            p[i] = p[i] * decay - stepSize * m[i] / (std::sqrt(v[i]) * correction + eps);
        }
        expect_close(p, multi[0][t], what + ": p against the plain loop");
    }
}

void clipping() {
    TensorLists<1> lists{};
    std::vector<std::vector<float>> grads;
    for (size_t t = 0; t < SIZES.size(); ++t) grads.push_back(random_floats(SIZES[t], unsigned(50 + t)));
    for (size_t t = 0; t < SIZES.size(); ++t) {
        lists.ptr[0][t] = grads[t].data();
        lists.n[t] = SIZES[t];
    }
    std::vector<float> partials(BLOCKS * SIZES.size(), NAN);
    host_shim::launch(dim3{BLOCKS, unsigned(SIZES.size()), 1}, dim3{THREADS, 1, 1}, kmerl_sum_squares_multi, lists,
                      partials.data());
    for (size_t t = 0; t < SIZES.size(); ++t) {
        double want = 0, got = 0;
        for (float x : grads[t]) want += (double) x * x;
        for (int b = 0; b < BLOCKS; ++b) got += partials[t * BLOCKS + b];
        expect_close({float(want)}, {float(got)}, "sum of squares, tensor " + std::to_string(t), 1e-6f);
    }
    float factor = 0.25f;
    auto before = grads;
    host_shim::launch(dim3{BLOCKS, unsigned(SIZES.size()), 1}, dim3{THREADS, 1, 1}, kmerl_scale_multi, lists,
                      (const float*) &factor);
    for (size_t t = 0; t < SIZES.size(); ++t) {
        for (auto& x : before[t]) x *= factor;
        expect_close(before[t], grads[t], "scaling, tensor " + std::to_string(t), 0.f);
    }
}
}  // namespace

int main() {
    adamw();
    clipping();
    return report("optimizer.cu on the host");
}
