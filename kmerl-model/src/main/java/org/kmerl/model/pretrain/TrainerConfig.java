package org.kmerl.model.pretrain;

import java.util.List;

/**
 * How to train (the model's own settings are in {@link org.kmerl.model.kmerl.KmerlConfig}).
 *
 * @param steps           optimizer steps in the whole run
 * @param batchSize       ECG-report pairs per step (the contrastive negatives are the rest of the batch)
 * @param lr              peak learning rate of AdamW (MERL: 1e-3)
 * @param weightDecay     AdamW decay of weight matrices (biases, norms and embeddings are not decayed)
 * @param warmupSteps     linear warm-up, then a half cosine down to {@code minLrFactor} · lr
 * @param clipNorm        global gradient-norm clipping (0 = off)
 * @param maxBadSteps     stop after this many steps with a non-finite loss or gradient (each is skipped)
 * @param evalEvery       validate every this many steps (and at the end)
 * @param checkpointEvery checkpoint every this many steps (and at the end)
 * @param keepLast        checkpoints kept besides the best one
 * @param loaderThreads   background threads building batches
 * @param seed            initialisation, data order and masking
 * @param validationLeads lead subsets (names or presets of {@link org.kmerl.model.data.Lead#parseList}) whose
 *                        zero-shot AUROC is also logged at each validation: the arbitrary-lead claim, watched
 */
public record TrainerConfig(int steps, int batchSize, double lr, double weightDecay, int warmupSteps, double minLrFactor,
                            float clipNorm, int maxBadSteps, int evalEvery, int checkpointEvery, int keepLast,
                            int loaderThreads, long seed, List<String> validationLeads) {
    /** The partial-lead sets validated by default: lead I alone, and the six limb leads. */
    public static final List<String> DEFAULT_VALIDATION_LEADS = List.of("I", "limb");

    public TrainerConfig {
        validationLeads = List.copyOf(validationLeads == null ? List.of() : validationLeads);
        validationLeads.forEach(org.kmerl.model.data.Lead::parseList); // fails early, naming the bad entry
        if (steps <= 0 || batchSize < 2) {
            throw new IllegalArgumentException("steps must be positive and batchSize >= 2 (contrastive pairs need "
                    + "negatives), got steps " + steps + ", batchSize " + batchSize);
        }
        if (!(lr > 0) || weightDecay < 0 || warmupSteps < 0 || warmupSteps > steps || minLrFactor < 0 || minLrFactor > 1) {
            throw new IllegalArgumentException("need lr > 0, weightDecay >= 0, 0 <= warmupSteps <= steps and "
                    + "minLrFactor in [0, 1]; got lr " + lr + ", weightDecay " + weightDecay + ", warmupSteps "
                    + warmupSteps + ", minLrFactor " + minLrFactor);
        }
        if (evalEvery <= 0 || checkpointEvery <= 0 || keepLast <= 0 || maxBadSteps <= 0 || loaderThreads <= 0) {
            throw new IllegalArgumentException("evalEvery, checkpointEvery, keepLast, maxBadSteps and loaderThreads "
                    + "must be positive");
        }
    }

    /** Defaults for a run of {@code steps} steps: lr 1e-3, decay 0.05, 5% warm-up, clip 1. */
    public static TrainerConfig defaults(int steps, int batchSize) {
        return new TrainerConfig(steps, batchSize, 1e-3, 0.05, Math.max(1, steps / 20), 0.01, 1f, 10,
                Math.max(1, steps / 10), Math.max(1, steps / 5), 2, 2, 42, DEFAULT_VALIDATION_LEADS);
    }

    public TrainerConfig withSteps(int s) {
        return new TrainerConfig(s, batchSize, lr, weightDecay, Math.min(warmupSteps, s), minLrFactor, clipNorm, maxBadSteps,
                evalEvery, checkpointEvery, keepLast, loaderThreads, seed, validationLeads);
    }

    public TrainerConfig withSchedule(int evalEveryN, int checkpointEveryN) {
        return new TrainerConfig(steps, batchSize, lr, weightDecay, warmupSteps, minLrFactor, clipNorm, maxBadSteps,
                evalEveryN, checkpointEveryN, keepLast, loaderThreads, seed, validationLeads);
    }

    public TrainerConfig withLr(double newLr, int warmup) {
        return new TrainerConfig(steps, batchSize, newLr, weightDecay, warmup, minLrFactor, clipNorm, maxBadSteps,
                evalEvery, checkpointEvery, keepLast, loaderThreads, seed, validationLeads);
    }
}
