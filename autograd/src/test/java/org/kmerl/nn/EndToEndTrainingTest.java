package org.kmerl.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kmerl.autograd.GradMode;
import org.kmerl.autograd.Variable;
import org.kmerl.optim.AdamW;
import org.kmerl.optim.GradClip;
import org.kmerl.optim.LrSchedule;
import org.kmerl.optim.ParamGroup;
import org.kmerl.tensor.Generator;
import org.kmerl.tensor.TensorScope;
import org.kmerl.testing.FirstEqualsLastTask;
import org.kmerl.testing.TinyClassifier;

/**
 * The whole stack at once: a 2-layer transformer encoder learns the first-equals-last task on the
 * CPU with AdamW, warm-up + cosine and gradient clipping. Stated threshold: held-out loss below 0.1
 * (chance is ln 2 = 0.69) and accuracy above 97%.
 */
class EndToEndTrainingTest {
    static final int STEPS = 300;
    static final int BATCH = 32;

    @Test
    void twoLayerTransformerLearnsASequenceTask() {
        TransformerConfig config = TransformerConfig.builder(32, 4).mlpDim(64).build();
        TinyClassifier model = new TinyClassifier(FirstEqualsLastTask.VOCAB, FirstEqualsLastTask.LENGTH, 2, config, 2,
                new Generator(1));
        AdamW opt = new AdamW(ParamGroup.decayMatricesOnly(model.namedParameters(), 3e-3, 0.01), 0.9f, 0.98f, 1e-8f);
        LrSchedule schedule = LrSchedule.warmupCosine(40, STEPS, 0.05);
        Generator data = new Generator(2);
        for (int step = 0; step < STEPS; step++) {
            try (TensorScope scope = TensorScope.open()) {
                FirstEqualsLastTask.Batch b = FirstEqualsLastTask.batch(data, BATCH);
                opt.zeroGrad();
                model.loss(b.ids(), b.labels()).backward();
                GradClip.clipGradNorm(model.parameters(), 1f);
                opt.setLrFactor(schedule.factor(step));
                opt.step();
            }
        }
        model.eval();
        FirstEqualsLastTask.Batch test = FirstEqualsLastTask.batch(new Generator(99), 512);
        try (GradMode.Scope off = GradMode.disabled()) {
            Variable logits = model.forward(test.ids());
            float loss = org.kmerl.autograd.Functional.crossEntropy(logits, test.labels()).item();
            float accuracy = logits.data().argmax(1).toFloat().eq(test.labels().toFloat()).mean().item();
            System.out.printf("first-equals-last: held-out loss %.4f, accuracy %.3f after %d steps%n", loss, accuracy,
                    STEPS);
            assertTrue(loss < 0.1f, "held-out loss " + loss + " should fall below 0.1");
            assertTrue(accuracy > 0.97f, "held-out accuracy " + accuracy);
        }
    }
}
