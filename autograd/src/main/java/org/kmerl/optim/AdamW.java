package org.kmerl.optim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kmerl.autograd.Variable;
import org.kmerl.tensor.OptimizerOps;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.TensorScope;
import org.kmerl.tensor.backend.AdamWStep;
import org.kmerl.tensor.backend.OptimizerKernels.AdamWOperands;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter), identical in arithmetic to
 * {@code torch.optim.AdamW}: each step hands each parameter group to the backend's fused kernel at
 * once (the CPU and the GPU's v1 update one parameter after another, the GPU's v2 up to 32 per launch).
 * Moments are allocated up front, so training steps allocate no tensors here.
 */
public final class AdamW extends Optimizer {
    private final float beta1;
    private final float beta2;
    private final float eps;
    private final Map<String, Tensor> firstMoments = new LinkedHashMap<>();
    private final Map<String, Tensor> secondMoments = new LinkedHashMap<>();

    public AdamW(List<ParamGroup> groups, float beta1, float beta2, float eps) {
        super(groups);
        if (!(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1) || eps <= 0) {
            throw new IllegalArgumentException("AdamW: betas must be in [0, 1) and eps > 0, got betas=(" + beta1 + ", "
                    + beta2 + "), eps=" + eps);
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        for (ParamGroup g : groups) {
            g.params().forEach((name, p) -> {
                firstMoments.put(name, TensorScope.unscoped(() -> org.kmerl.tensor.Tensor.zerosLike(p.data())));
                secondMoments.put(name, TensorScope.unscoped(() -> org.kmerl.tensor.Tensor.zerosLike(p.data())));
            });
        }
    }

    /** One group with PyTorch's default betas (0.9, 0.999) and eps 1e-8. */
    public static AdamW of(Map<String, Variable> params, double lr, double weightDecay) {
        return new AdamW(List.of(new ParamGroup("all", params, lr, weightDecay)), 0.9f, 0.999f, 1e-8f);
    }

    @Override
    protected void update(ParamGroup group, Map<String, Variable> withGradients, long step) {
        List<AdamWOperands> operands = new ArrayList<>(withGradients.size());
        withGradients.forEach((name, p) -> operands.add(
                new AdamWOperands(p.data(), p.grad(), firstMoments.get(name), secondMoments.get(name))));
        OptimizerOps.adamw(operands, new AdamWStep((float) group.lr(), beta1, beta2, eps, (float) group.weightDecay(), step));
    }

    @Override
    public Map<String, Tensor> stateTensors() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        firstMoments.forEach((n, t) -> out.put("exp_avg." + n, t));
        secondMoments.forEach((n, t) -> out.put("exp_avg_sq." + n, t));
        return out;
    }
}
