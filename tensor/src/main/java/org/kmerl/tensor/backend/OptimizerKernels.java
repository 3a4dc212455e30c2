package org.kmerl.tensor.backend;

import org.kmerl.tensor.Tensor;

/** Fused optimizer updates, in place on contiguous tensors of one shape. */
public interface OptimizerKernels {
    /**
     * AdamW as in {@code torch.optim.AdamW}: {@code p -= lr*wd*p}; moments updated;
     * {@code p -= lr * m̂ / (sqrt(v̂) + eps)} with bias-corrected moments.
     */
    void adamw(Tensor param, Tensor grad, Tensor m, Tensor v, AdamWStep step);
}
