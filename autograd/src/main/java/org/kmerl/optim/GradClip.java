package org.kmerl.optim;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.kmerl.autograd.Variable;
import org.kmerl.tensor.DType;
import org.kmerl.tensor.Device;
import org.kmerl.tensor.OptimizerOps;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.TensorScope;

/** Global-norm gradient clipping, computed on the gradients' device (no host round trip). */
public final class GradClip {
    private GradClip() {
    }

    /**
     * Scales every gradient by {@code min(1, maxNorm / (norm + 1e-6))}, where norm is the L2 norm of
     * all gradients together (PyTorch's clip_grad_norm_). Returns the norm before clipping as a
     * one-element tensor (read it with {@link Tensor#item()} when logging).
     */
    public static Tensor clipGradNorm(Collection<Variable> params, float maxNorm) {
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("clipGradNorm: max norm must be positive, got " + maxNorm);
        }
        List<Tensor> grads = new ArrayList<>();
        for (Variable p : params) {
            if (p.grad() != null) {
                grads.add(p.grad());
            }
        }
        if (grads.isEmpty()) {
            return Tensor.zeros(DType.FLOAT32, Device.CPU);
        }
        try (TensorScope scope = TensorScope.open()) {
            // Two passes over the gradients, each a few kernel launches on a GPU for all of them together.
            Tensor norm = OptimizerOps.sumOfSquares(grads).sqrt();
            Tensor factor = norm.add(1e-6f).reciprocal().mul(maxNorm).clamp(0f, 1f);
            OptimizerOps.scaleInPlace(grads, factor);
            return scope.keep(norm);
        }
    }
}
