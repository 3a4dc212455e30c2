package org.kmerl.tensor.backend;

/** Hyper-parameters of one AdamW update; {@code step} counts from 1 (bias correction). */
public record AdamWStep(float lr, float beta1, float beta2, float eps, float weightDecay, long step) {
    public AdamWStep {
        if (step < 1) {
            throw new IllegalArgumentException("AdamW step counts from 1, got " + step);
        }
    }
}
