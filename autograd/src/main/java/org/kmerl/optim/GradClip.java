package org.kmerl.optim;

import java.util.Collection;
import org.kmerl.tensor.DType;
import org.kmerl.tensor.ElementwiseOps;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.TensorScope;
import org.kmerl.tensor.backend.BinaryOp;
import org.kmerl.autograd.Variable;

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
        Tensor total = null;
        try (TensorScope scope = TensorScope.open()) {
            for (Variable p : params) {
                if (p.grad() == null) {
                    continue;
                }
                Tensor sq = p.grad().square().sum();
                total = total == null ? sq : total.add(sq);
            }
            if (total == null) {
                return scope.keep(Tensor.zeros(DType.FLOAT32, org.kmerl.tensor.Device.CPU));
            }
            Tensor norm = total.sqrt();
            Tensor factor = norm.add(1e-6f).reciprocal().mul(maxNorm).clamp(0f, 1f);
            for (Variable p : params) {
                if (p.grad() != null) {
                    ElementwiseOps.binaryInto(BinaryOp.MUL, p.grad(), factor, p.grad());
                }
            }
            return scope.keep(norm);
        }
    }
}
