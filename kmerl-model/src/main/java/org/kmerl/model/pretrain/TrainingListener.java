package org.kmerl.model.pretrain;

import java.nio.file.Path;

/** What a front end (a progress bar, a test) hears from the {@link Trainer}. */
public interface TrainingListener {
    /** One optimizer step (or a skipped one: {@code skipped} non-finite loss or gradient). */
    record Step(long step, long totalSteps, double loss, double contrastive, double entity, double lr, double gradNorm,
                double samplesPerSecond, boolean skipped) {
    }

    /** A validation pass after {@code step} steps; {@code aurocQueryByLeads}: the partial-lead sets. */
    record Validation(long step, double loss, double contrastive, double entity, double aurocQuery,
                      double aurocSimilarity, boolean best, java.util.Map<String, Double> aurocQueryByLeads) {
    }

    default void started(long firstStep, long totalSteps) {
    }

    default void stepped(Step s) {
    }

    default void validated(Validation v) {
    }

    default void checkpointed(Path dir) {
    }

    default void message(String line) {
    }

    TrainingListener NONE = new TrainingListener() {
    };
}
