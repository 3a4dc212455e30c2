package org.kmerl.tensor.backend;

/**
 * Hyper-parameters of one AdamW update; {@code step} counts from 1 (bias correction). The update,
 * as torch.optim.AdamW computes it: {@code p ← p·decayFactor; m ← β1·m + (1−β1)·g;
 * v ← β2·v + (1−β2)·g²; p ← p − stepSize·m / (sqrt(v)·secondMomentCorrection + eps)}.
 */
public record AdamWStep(float lr, float beta1, float beta2, float eps, float weightDecay, long step) {
    public AdamWStep {
        if (step < 1) {
            throw new IllegalArgumentException("AdamW step counts from 1, got " + step);
        }
    }

    /** The decoupled weight decay as a factor: p ← p·(1 − lr·wd). */
    public float decayFactor() {
        return 1f - lr * weightDecay;
    }

    /** lr / (1 − β1^t): the first moment's bias correction folded into the step size. */
    public float stepSize() {
        return (float) (lr / (1.0 - Math.pow(beta1, step)));
    }

    /** 1 / sqrt(1 − β2^t): the second moment's bias correction, applied to sqrt(v). */
    public float secondMomentCorrection() {
        return (float) (1.0 / Math.sqrt(1.0 - Math.pow(beta2, step)));
    }
}
