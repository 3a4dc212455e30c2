package org.kmerl.tensor;

import org.kmerl.tensor.backend.AdamWStep;

/** Fused in-place optimizer updates. */
public final class OptimizerOps {
    private OptimizerOps() {
    }

    /** One AdamW step on {@code param} in place, updating the moment buffers {@code m} and {@code v}. */
    public static void adamw(Tensor param, Tensor grad, Tensor m, Tensor v, AdamWStep step) {
        String op = "adamw";
        Checks.sameDevice(op, param, grad, m, v);
        for (Tensor t : new Tensor[] {grad, m, v}) {
            Checks.shape(op, "state", t, param.shape());
        }
        for (Tensor t : new Tensor[] {param, m, v}) {
            if (!t.isContiguous()) {
                throw new IllegalArgumentException(op + ": parameter and moments must be contiguous, got strides "
                        + java.util.Arrays.toString(t.strides()) + " for shape " + Shape.format(t.shape()));
            }
        }
        try (Tensor g = grad.dense(grad.shape())) {
            param.backend().optimizers().adamw(param, g, m, v, step);
        }
    }
}
