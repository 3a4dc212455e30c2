// random.cu on the CPU (host_shim.h): Philox4x32-10 against Random123's known-answer vector, and the fills:
// uniform within [low, low + range) with the documented word order, normal and truncated normal with the
// moments and bounds they should have over 40,000 draws.
#include "host_shim.h"
#include "../../main/cuda/random.cu"
#include "check.h"

namespace {
void knownAnswer() {
    // Random123's kat_vectors: philox4x32 10 rounds, counter 0 and key 0.
    Words4 w = philox_block(0, 0);
    const uint32_t want[4] = {0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u};
    ++checks;
    for (int i = 0; i < 4; ++i) {
        if (w.w[i] != want[i]) {   // compared as integers: every bit counts
            std::printf("FAIL philox4x32-10 known answer: word %d is %08x, expected %08x\n", i, w.w[i], want[i]);
            ++failures;
            break;
        }
    }
}

void fills() {
    const int n = 40000;
    const uint64_t seed = 1234, offset = 77;
    std::vector<float> u(n, NAN), g(n, NAN), tn(n, NAN);
    host_shim::launch(dim3{4, 1, 1}, dim3{64, 1, 1}, kmerl_random_uniform, n, u.data(), seed, offset, -2.f, 5.f);
    host_shim::launch(dim3{4, 1, 1}, dim3{64, 1, 1}, kmerl_random_normal, n, g.data(), seed, offset, 1.0, 3.0);
    auto cdf = [](double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); };   // standard normal, the host's part
    host_shim::launch(dim3{4, 1, 1}, dim3{64, 1, 1}, kmerl_random_truncated_normal, n, tn.data(), seed, offset, 0.0, 1.0,
                      cdf(-1), cdf(2), -1.f, 2.f);
    double su = 0, sg = 0, sg2 = 0;
    bool uniformIn = true, truncatedIn = true, wordOrder = true;
    for (int i = 0; i < n; ++i) {
        uniformIn &= u[i] >= -2.f && u[i] < 3.f;
        truncatedIn &= tn[i] >= -1.f && tn[i] <= 2.f;
        float word = float(philox_block(seed, (offset + i) >> 2).w[(offset + i) & 3] >> 8) * 5.9604644775390625e-08f;
        wordOrder &= u[i] == -2.f + 5.f * word;
        su += u[i];
        sg += g[i];
        sg2 += (g[i] - 1.0) * (g[i] - 1.0);
    }
    checks += 3;
    if (!uniformIn) { std::printf("FAIL uniform outside [-2, 3)\n"); ++failures; }
    if (!truncatedIn) { std::printf("FAIL truncated normal outside [-1, 2]\n"); ++failures; }
    if (!wordOrder) { std::printf("FAIL uniform: element i is not word offset + i of the stream\n"); ++failures; }
    // Means and spread within ~5 standard errors of their expectations.
    expect_close({0.5f}, {float(su / n)}, "uniform mean", 0.02f);
    expect_close({1.f}, {float(sg / n)}, "normal mean", 0.04f);
    expect_close({3.f}, {float(std::sqrt(sg2 / n))}, "normal std", 0.02f);
}
}  // namespace

int main() {
    knownAnswer();
    fills();
    return report("random.cu on the host");
}
