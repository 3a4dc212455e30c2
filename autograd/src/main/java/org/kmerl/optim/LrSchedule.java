package org.kmerl.optim;

/** A learning-rate multiplier as a function of the step (counting from 0). */
@FunctionalInterface
public interface LrSchedule {
    double factor(long step);

    /** Constant 1. */
    static LrSchedule constant() {
        return step -> 1.0;
    }

    /**
     * Linear warm-up from 1/warmup to 1 over {@code warmupSteps}, then a half cosine down to
     * {@code minFactor} at {@code totalSteps}, constant after.
     */
    static LrSchedule warmupCosine(long warmupSteps, long totalSteps, double minFactor) {
        if (warmupSteps < 0 || totalSteps < warmupSteps || minFactor < 0 || minFactor > 1) {
            throw new IllegalArgumentException("warmupCosine: need 0 <= warmup <= total and 0 <= minFactor <= 1, got "
                    + warmupSteps + ", " + totalSteps + ", " + minFactor);
        }
        return step -> {
            if (step < warmupSteps) {
                return (step + 1.0) / warmupSteps;
            }
            double span = Math.max(1, totalSteps - warmupSteps);
            double progress = Math.min(1.0, (step - warmupSteps) / span);
            return minFactor + (1 - minFactor) * 0.5 * (1 + Math.cos(Math.PI * progress));
        };
    }
}
