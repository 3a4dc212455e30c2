package org.kmerl.tensor.cpu;

import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.backend.AdamWStep;
import org.kmerl.tensor.backend.OptimizerKernels;

/** Reference fused AdamW, elementwise over contiguous buffers. */
final class CpuOptimizers implements OptimizerKernels {

    @Override
    public void adamw(Tensor param, Tensor grad, Tensor m, Tensor v, AdamWStep step) {
        float[] ps = CpuStorage.floats(param);
        float[] gs = CpuStorage.floats(grad);
        float[] ms = CpuStorage.floats(m);
        float[] vs = CpuStorage.floats(v);
        int po = param.offset();
        int go = grad.offset();
        int mo = m.offset();
        int vo = v.offset();
        float b1 = step.beta1();
        float b2 = step.beta2();
        float decay = step.decayFactor();
        float stepSize = step.stepSize();
        float correction = step.secondMomentCorrection();
        float eps = step.eps();
        CpuThreads.parallelFor(param.numel(), StridedLoop.PARALLEL_GRAIN, (s, e) -> {
            for (int i = s; i < e; i++) {
                float g = gs[go + i];
                float mi = b1 * ms[mo + i] + (1f - b1) * g;
                float vi = b2 * vs[vo + i] + (1f - b2) * g * g;
                ms[mo + i] = mi;
                vs[vo + i] = vi;
                float p = ps[po + i] * decay;
                ps[po + i] = p - stepSize * mi / ((float) Math.sqrt(vi) * correction + eps);
            }
        });
    }
}
