// Counter-based random fills: element i is a pure function of (seed, offset, i), bit-identical to the
// CPU backend (org.kmerl.tensor.Philox). Products and sums use _rn intrinsics so that nvcc cannot fuse
// them into an FMA, whose single rounding would change the last bit.
#include "kmerl_common.cuh"

extern "C" __global__ void kmerl_random_uniform(int n, float* out, uint64_t seed, uint64_t offset, float low, float range) {
    GRID_STRIDE_LOOP(i, n) out[i] = __fadd_rn(low, __fmul_rn(range, philox_uniform(seed, offset + i)));
}

__device__ __forceinline__ double open_unit(uint32_t w) { return ((double) w + 1.0) * 2.3283064365386963e-10; }

extern "C" __global__ void kmerl_random_normal(int n, float* out, uint64_t seed, uint64_t offset, double mean, double std) {
    GRID_STRIDE_LOOP(i, n) {
        uint64_t w = offset + 2ull * (uint64_t) i;
        Words4 b = philox_block(seed, w >> 2);
        int lane = (int) (w & 2);
        double z = sqrt(-2.0 * log(open_unit(b.w[lane]))) * cos(6.283185307179586 * open_unit(b.w[lane + 1]));
        out[i] = (float) (mean + std * z);
    }
}

// erf in double, as MathFunctions.erf (the series below 2.5, the continued fraction above).
__device__ double erf_reference(double x) {
    double ax = fabs(x);
    if (ax < 2.5) {
        double x2 = x * x, term = x, sum = x;
        for (int k = 1; k < 200; ++k) {
            term *= -x2 / k;
            double add = term / (2 * k + 1);
            sum += add;
            if (fabs(add) < 1e-17 * fabs(sum)) break;
        }
        return 1.1283791670955126 * sum;
    }
    return erf(x);  // |x| >= 2.5: erf is within 1e-16 of +-1, where both agree in double
}

// Giles' single-precision erfinv approximation plus two Newton steps, as MathFunctions.erfInv.
__device__ double erfinv_reference(double y) {
    if (y <= -1) return y == -1 ? -INFINITY : __longlong_as_double(0x7ff8000000000000ll);
    if (y >= 1) return y == 1 ? INFINITY : __longlong_as_double(0x7ff8000000000000ll);
    double w = -log((1.0 - y) * (1.0 + y)), p;
    if (w < 5.0) {
        w -= 2.5;
        p = 2.81022636e-08;
        p = 3.43273939e-07 + p * w;  p = -3.5233877e-06 + p * w;  p = -4.39150654e-06 + p * w;
        p = 0.00021858087 + p * w;   p = -0.00125372503 + p * w;  p = -0.00417768164 + p * w;
        p = 0.246640727 + p * w;     p = 1.50140941 + p * w;
    } else {
        w = sqrt(w) - 3.0;
        p = -0.000200214257;
        p = 0.000100950558 + p * w;  p = 0.00134934322 + p * w;   p = -0.00367342844 + p * w;
        p = 0.00573950773 + p * w;   p = -0.0076224613 + p * w;   p = 0.00943887047 + p * w;
        p = 1.00167406 + p * w;      p = 2.83297682 + p * w;
    }
    double x = p * y;
    for (int k = 0; k < 2; ++k) x -= (erf_reference(x) - y) / (1.1283791670955126 * exp(-x * x));
    return x;
}

// Inverse CDF: u uniform in [cdfLow, cdfHigh] (computed on the host), x = mean + std*sqrt(2)*erfinv(2u-1).
extern "C" __global__ void kmerl_random_truncated_normal(int n, float* out, uint64_t seed, uint64_t offset,
                                                         double mean, double std, double cdfLow, double cdfHigh,
                                                         float low, float high) {
    GRID_STRIDE_LOOP(i, n) {
        double u = cdfLow + (cdfHigh - cdfLow) * (double) philox_uniform(seed, offset + i);
        double x = mean + std * 1.4142135623730951 * erfinv_reference(2.0 * u - 1.0);
        out[i] = (float) fmin(fmax(x, (double) low), (double) high);
    }
}
