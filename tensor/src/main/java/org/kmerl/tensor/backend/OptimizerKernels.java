package org.kmerl.tensor.backend;

import java.util.List;
import org.kmerl.tensor.ElementwiseOps;
import org.kmerl.tensor.Tensor;

/**
 * Fused optimizer updates, in place on contiguous tensors of one shape, and the two passes of global-norm
 * gradient clipping. The list forms exist for backends where each call costs a kernel launch: a GPU can
 * do a whole model's parameters in a few launches. Their defaults here loop over the tensors.
 */
public interface OptimizerKernels {
    /** One parameter's operands of an AdamW update: the parameter, its dense gradient and its two moments. */
    record AdamWOperands(Tensor param, Tensor grad, Tensor m, Tensor v) {
    }

    /**
     * AdamW as in {@code torch.optim.AdamW}: {@code p -= lr*wd*p}; moments updated;
     * {@code p -= lr * m̂ / (sqrt(v̂) + eps)} with bias-corrected moments.
     */
    void adamw(Tensor param, Tensor grad, Tensor m, Tensor v, AdamWStep step);

    /**
     * The same update of several parameters with the same hyper-parameters. Here: one {@link #adamw}
     * each; a backend where each call costs a kernel launch updates many parameters per launch.
     */
    default void adamw(List<AdamWOperands> parameters, AdamWStep step) {
        for (AdamWOperands o : parameters) {
            adamw(o.param(), o.grad(), o.m(), o.v(), step);
        }
    }

    /** Σ x² over every element of every tensor (at least one, all on this backend's device), as a 0-d tensor there. */
    default Tensor sumOfSquares(List<Tensor> tensors) {
        Tensor total = null;
        for (Tensor t : tensors) {
            try (Tensor squares = t.square(); Tensor sum = squares.sum()) {
                if (total == null) {
                    total = sum.copy();
                } else {
                    total.addInPlace(sum);
                }
            }
        }
        return total;
    }

    /** Multiplies every tensor in place by {@code factor}, a one-element tensor on their device (no host read). */
    default void scaleInPlace(List<Tensor> tensors, Tensor factor) {
        for (Tensor t : tensors) {
            ElementwiseOps.binaryInto(BinaryOp.MUL, t, factor, t);
        }
    }
}
