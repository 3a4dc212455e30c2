// Elementwise kernels: unary, unary backward, binary (NumPy broadcasting arrives as stride-0 operands),
// binary with a scalar, clamp and where. Two forms each: "strided" walks any layout through
// strided_offset; "contiguous" is the fast path when every operand is dense (one index, coalesced).
// Transcendentals are evaluated in double so results match the Java reference to float rounding.
#include "kmerl_common.cuh"

__device__ __forceinline__ double normal_cdf(double x) { return 0.5 * erfc(-x * 0.70710678118654752440); }

__device__ __forceinline__ float unary_apply(int op, float x) {
    switch (op) {
        case U_NEG: return -x;
        case U_EXP: return (float) exp((double) x);
        case U_LOG: return (float) log((double) x);
        case U_SQRT: return sqrtf(x);
        case U_RSQRT: return (float) (1.0 / sqrt((double) x));
        case U_RECIPROCAL: return 1.f / x;
        case U_SQUARE: return x * x;
        case U_ABS: return fabsf(x);
        case U_TANH: return (float) tanh((double) x);
        case U_SIGMOID: {
            if (x >= 0.f) return (float) (1.0 / (1.0 + exp(-(double) x)));
            double e = exp((double) x);
            return (float) (e / (1.0 + e));
        }
        case U_RELU: return x > 0.f ? x : 0.f;
        case U_GELU: return (float) ((double) x * normal_cdf(x));
        default: return __int_as_float(0x7fc00000);
    }
}

// op'(x) given y = op(x), as UnaryOp.derivative.
__device__ __forceinline__ float unary_derivative(int op, float x, float y) {
    switch (op) {
        case U_NEG: return -1.f;
        case U_EXP: return y;
        case U_LOG: return 1.f / x;
        case U_SQRT: return 0.5f / y;
        case U_RSQRT: return -0.5f * y * y * y;
        case U_RECIPROCAL: return -y * y;
        case U_SQUARE: return 2.f * x;
        case U_ABS: return isnan(x) ? x : (x > 0.f ? 1.f : (x < 0.f ? -1.f : 0.f));
        case U_TANH: return 1.f - y * y;
        case U_SIGMOID: return y * (1.f - y);
        case U_RELU: return x > 0.f ? 1.f : 0.f;
        case U_GELU: {
            double xd = x;
            return (float) (normal_cdf(xd) + xd * 0.39894228040143267794 * exp(-0.5 * xd * xd));
        }
        default: return __int_as_float(0x7fc00000);
    }
}

__device__ __forceinline__ float binary_apply(int op, float a, float b) {
    switch (op) {
        case B_ADD: return a + b;
        case B_SUB: return a - b;
        case B_MUL: return a * b;
        case B_DIV: return a / b;
        case B_POW: return (float) pow((double) a, (double) b);
        case B_MAXIMUM: return (isnan(a) || a >= b) ? a : b;
        case B_MINIMUM: return (isnan(a) || a <= b) ? a : b;
        case B_EQ: return a == b ? 1.f : 0.f;
        case B_NE: return a != b ? 1.f : 0.f;
        case B_LT: return a < b ? 1.f : 0.f;
        case B_LE: return a <= b ? 1.f : 0.f;
        case B_GT: return a > b ? 1.f : 0.f;
        case B_GE: return a >= b ? 1.f : 0.f;
        default: return __int_as_float(0x7fc00000);
    }
}

extern "C" __global__ void kmerl_unary_strided(int op, int n, Dims dims, float* out, Strides os,
                                               const float* x, Strides xs) {
    GRID_STRIDE_LOOP(i, n) out[strided_offset(i, dims, os)] = unary_apply(op, x[strided_offset(i, dims, xs)]);
}

extern "C" __global__ void kmerl_unary_contiguous(int op, int n, float* out, const float* x) {
    GRID_STRIDE_LOOP(i, n) out[i] = unary_apply(op, x[i]);
}

// float4 forms of the dense paths, for operands whose first element is 16-byte aligned: one 128-bit
// load per operand per four elements; the last n % 4 elements are done one by one.
extern "C" __global__ void kmerl_unary_contiguous_vec4(int op, int n, float* out, const float* x) {
    int n4 = n / 4;
    GRID_STRIDE_LOOP(i, n4) {
        float4 v = reinterpret_cast<const float4*>(x)[i];
        v.x = unary_apply(op, v.x); v.y = unary_apply(op, v.y); v.z = unary_apply(op, v.z); v.w = unary_apply(op, v.w);
        reinterpret_cast<float4*>(out)[i] = v;
    }
    GRID_STRIDE_LOOP(i, n - 4 * n4) out[4 * n4 + i] = unary_apply(op, x[4 * n4 + i]);
}

extern "C" __global__ void kmerl_binary_contiguous_vec4(int op, int n, float* out, const float* a, const float* b) {
    int n4 = n / 4;
    GRID_STRIDE_LOOP(i, n4) {
        float4 u = reinterpret_cast<const float4*>(a)[i];
        float4 v = reinterpret_cast<const float4*>(b)[i];
        u.x = binary_apply(op, u.x, v.x); u.y = binary_apply(op, u.y, v.y);
        u.z = binary_apply(op, u.z, v.z); u.w = binary_apply(op, u.w, v.w);
        reinterpret_cast<float4*>(out)[i] = u;
    }
    GRID_STRIDE_LOOP(i, n - 4 * n4) out[4 * n4 + i] = binary_apply(op, a[4 * n4 + i], b[4 * n4 + i]);
}

extern "C" __global__ void kmerl_unary_backward_strided(int op, int n, Dims dims, float* gradIn, Strides gis,
                                                        const float* x, Strides xs, const float* y, Strides ys,
                                                        const float* gradOut, Strides gos) {
    GRID_STRIDE_LOOP(i, n) {
        float xv = x[strided_offset(i, dims, xs)];
        float yv = y[strided_offset(i, dims, ys)];
        gradIn[strided_offset(i, dims, gis)] = gradOut[strided_offset(i, dims, gos)] * unary_derivative(op, xv, yv);
    }
}

// The dense case of the above (every operand contiguous in the same order): no index arithmetic per
// operand, which is most of the strided kernel's time for four operands of rank 3 or more.
extern "C" __global__ void kmerl_unary_backward_contiguous(int op, int n, float* gradIn, const float* x,
                                                           const float* y, const float* gradOut) {
    GRID_STRIDE_LOOP(i, n) gradIn[i] = gradOut[i] * unary_derivative(op, x[i], y[i]);
}

extern "C" __global__ void kmerl_binary_strided(int op, int n, Dims dims, float* out, Strides os,
                                                const float* a, Strides as, const float* b, Strides bs) {
    GRID_STRIDE_LOOP(i, n) {
        out[strided_offset(i, dims, os)] = binary_apply(op, a[strided_offset(i, dims, as)], b[strided_offset(i, dims, bs)]);
    }
}

extern "C" __global__ void kmerl_binary_contiguous(int op, int n, float* out, const float* a, const float* b) {
    GRID_STRIDE_LOOP(i, n) out[i] = binary_apply(op, a[i], b[i]);
}

extern "C" __global__ void kmerl_binary_scalar_strided(int op, int n, Dims dims, float* out, Strides os,
                                                       const float* a, Strides as, float b) {
    GRID_STRIDE_LOOP(i, n) out[strided_offset(i, dims, os)] = binary_apply(op, a[strided_offset(i, dims, as)], b);
}

extern "C" __global__ void kmerl_clamp_strided(int n, Dims dims, float* out, Strides os, const float* x, Strides xs,
                                               float lo, float hi) {
    GRID_STRIDE_LOOP(i, n) {
        float v = x[strided_offset(i, dims, xs)];
        out[strided_offset(i, dims, os)] = v < lo ? lo : (v > hi ? hi : v);
    }
}

extern "C" __global__ void kmerl_where_strided(int n, Dims dims, float* out, Strides os, const float* cond, Strides cs,
                                               const float* a, Strides as, const float* b, Strides bs) {
    GRID_STRIDE_LOOP(i, n) {
        float c = cond[strided_offset(i, dims, cs)];
        out[strided_offset(i, dims, os)] = c != 0.f ? a[strided_offset(i, dims, as)] : b[strided_offset(i, dims, bs)];
    }
}
