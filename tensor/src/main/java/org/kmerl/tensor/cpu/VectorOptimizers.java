package org.kmerl.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.backend.AdamWStep;
import org.kmerl.tensor.backend.OptimizerKernels;

/** AdamW with the Vector API: one pass over parameter, gradient and both moments. */
final class VectorOptimizers implements OptimizerKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

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
            int i = s;
            for (; i <= e - L; i += L) {
                FloatVector g = FloatVector.fromArray(S, gs, go + i);
                FloatVector mi = FloatVector.fromArray(S, ms, mo + i).mul(b1).add(g.mul(1f - b1));
                FloatVector vi = FloatVector.fromArray(S, vs, vo + i).mul(b2).add(g.mul(g).mul(1f - b2));
                mi.intoArray(ms, mo + i);
                vi.intoArray(vs, vo + i);
                FloatVector denom = vi.sqrt().mul(correction).add(eps);
                FloatVector p = FloatVector.fromArray(S, ps, po + i).mul(decay);
                p.sub(mi.mul(stepSize).div(denom)).intoArray(ps, po + i);
            }
            for (; i < e; i++) {
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
