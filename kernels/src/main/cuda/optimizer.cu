// Fused optimizer kernels: AdamW (one read and one write of p, g, m, v per element, the same float
// arithmetic as the CPU reference, torch.optim.AdamW's order of operations) and the two passes of
// global-norm gradient clipping, each over one tensor per launch (v1) or many (v2, "multi-tensor").
#include "kmerl_common.cuh"

// ---- Multi-tensor launches (PyTorch's multi_tensor_apply, simplified). Up to MULTI_TENSORS tensors
// per launch; for each, LISTS pointers (AdamW: p, g, m, v) and its element count, passed by value in
// the kernel's parameter space (AdamW's 1,152 bytes of the 4 KB allowed), so no table is copied to
// the device first. Block row blockIdx.y works on tensor blockIdx.y; the Java side (MultiTensor) puts
// tensors of similar sizes into one launch, so few blocks find nothing to do.
#define MULTI_TENSORS 32

template <int LISTS>
struct TensorLists {
    float* ptr[LISTS][MULTI_TENSORS];
    int n[MULTI_TENSORS];
};

// This block's tensor: its LISTS pointers into ptr, its size returned. Constant indices only: indexing
// the struct with blockIdx.y would copy all of it to every thread's stack (see strided_offset in
// kmerl_common.cuh).
template <int LISTS>
__device__ __forceinline__ int block_tensor(const TensorLists<LISTS>& t, float* (&ptr)[LISTS]) {
    int n = 0;
#pragma unroll
    for (int s = 0; s < MULTI_TENSORS; ++s) {
        if (s == blockIdx.y) {
#pragma unroll
            for (int l = 0; l < LISTS; ++l) ptr[l] = t.ptr[l][s];
            n = t.n[s];
        }
    }
    return n;
}

// ---- AdamW

// The update of element i; both variants call it, so they agree bit for bit.
__device__ __forceinline__ void adamw_element(int i, float* p, const float* g, float* m, float* v, float beta1,
                                              float beta2, float decay, float stepSize, float correction, float eps) {
    float gi = g[i];
    float mi = beta1 * m[i] + (1.f - beta1) * gi;
    float vi = beta2 * v[i] + (1.f - beta2) * gi * gi;
    m[i] = mi;
    v[i] = vi;
    float pi = p[i] * decay;
    p[i] = pi - stepSize * mi / (sqrtf(vi) * correction + eps);
}

// v1: one launch per parameter.
extern "C" __global__ void kmerl_adamw(int n, float* p, const float* g, float* m, float* v, float beta1, float beta2,
                                       float decay, float stepSize, float correction, float eps) {
    GRID_STRIDE_LOOP(i, n) {
        adamw_element(i, p, g, m, v, beta1, beta2, decay, stepSize, correction, eps);
    }
}

// v2: up to MULTI_TENSORS parameters per launch; lists p, g, m, v.
extern "C" __global__ void kmerl_adamw_multi(TensorLists<4> t, float beta1, float beta2, float decay, float stepSize,
                                             float correction, float eps) {
    float* ptr[4];
    int n = block_tensor(t, ptr);
    GRID_STRIDE_LOOP(i, n) {
        adamw_element(i, ptr[0], ptr[1], ptr[2], ptr[3], beta1, beta2, decay, stepSize, correction, eps);
    }
}

// ---- Gradient clipping, v2 (v1 is composed of the elementwise and reduction kernels)

// Pass 1: each block's sum of x² (in double, a fixed tree) into partials[blockIdx.y * gridDim.x +
// blockIdx.x]; the caller sums the partials with the reduction kernels, so the norm is deterministic.
extern "C" __global__ void kmerl_sum_squares_multi(TensorLists<1> t, float* partials) {
    float* ptr[1];
    int n = block_tensor(t, ptr);
    double acc = 0;
    GRID_STRIDE_LOOP(i, n) {
        float x = ptr[0][i];
        acc += (double) x * x;
    }
    double total = block_sum(acc);
    if (threadIdx.x == 0) partials[blockIdx.y * gridDim.x + blockIdx.x] = (float) total;
}

// Pass 2: every element times the clipping factor, a one-element device tensor (no host round trip).
extern "C" __global__ void kmerl_scale_multi(TensorLists<1> t, const float* factor) {
    float* ptr[1];
    int n = block_tensor(t, ptr);
    float f = *factor;
    GRID_STRIDE_LOOP(i, n) {
        ptr[0][i] *= f;
    }
}
