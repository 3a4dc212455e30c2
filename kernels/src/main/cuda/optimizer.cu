// Fused AdamW: one read and one write of p, g, m, v per element, the same float arithmetic as the
// CPU reference (torch.optim.AdamW's order of operations).
#include "kmerl_common.cuh"

extern "C" __global__ void kmerl_adamw(int n, float* p, const float* g, float* m, float* v, float beta1, float beta2,
                                       float decay, float stepSize, float correction, float eps) {
    GRID_STRIDE_LOOP(i, n) {
        float gi = g[i];
        float mi = beta1 * m[i] + (1.f - beta1) * gi;
        float vi = beta2 * v[i] + (1.f - beta2) * gi * gi;
        m[i] = mi;
        v[i] = vi;
        float pi = p[i] * decay;
        p[i] = pi - stepSize * mi / (sqrtf(vi) * correction + eps);
    }
}
