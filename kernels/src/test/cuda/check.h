// Small helpers for the host checks: deterministic random data and a tolerance check that names the case.
#pragma once
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

inline std::vector<float> random_floats(size_t n, unsigned seed) {
    std::vector<float> v(n);
    unsigned s = seed * 2654435761u + 1;
    for (auto& x : v) {
        s = s * 1664525u + 1013904223u;
        x = float((s >> 8) & 0xFFFF) / 32768.f - 1.f;
    }
    return v;
}

// The sanitizer builds (KernelsOnHostTest's host memcheck and racecheck) run ~10x slower under
// -fsanitize=thread: a check may leave out the cases that differ only in what the sanitizers do not look at
// (epilogue options, for instance, which touch no shared memory); the plain build runs every case.
#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
constexpr bool SANITIZED = true;
#else
constexpr bool SANITIZED = false;
#endif

inline int failures = 0, checks = 0;

inline void expect_close(const std::vector<float>& want, const std::vector<float>& got, const std::string& what,
                         float tol = 1e-4f) {
    ++checks;
    for (size_t i = 0; i < want.size(); ++i) {
        if (want[i] == got[i]) continue;   // also equal infinities (the log-sum-exp of a fully padded row)
        if (!(std::fabs(want[i] - got[i]) <= tol * (1.f + std::fabs(want[i])))) {
            std::printf("FAIL %s: element %zu is %g, expected %g\n", what.c_str(), i, got[i], want[i]);
            ++failures;
            return;
        }
    }
}

inline int report(const char* suite) {
    std::printf("%s: %d checks, %d failed\n", suite, checks, failures);
    return failures == 0 ? 0 : 1;
}
