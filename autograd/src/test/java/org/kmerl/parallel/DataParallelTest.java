package org.kmerl.parallel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kmerl.autograd.Functional;
import org.kmerl.autograd.Variable;
import org.kmerl.nn.Linear;
import org.kmerl.tensor.Generator;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.backend.LossReduction;
import org.kmerl.tensor.testing.TestData;

/**
 * Data parallelism computes the global batch's gradients: two encoders, a contrastive loss over gathered
 * embeddings and a per-row BCE head (K-MERL's two losses in small), on 2 and 4 ranks with a slice of the batch
 * each, against one process with the whole batch.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)   // ranks that wait for each other must never hang the build
class DataParallelTest {
    private static final int BATCH = 8, IN = 6, EMBED = 4, LABELS = 3;

    /** The model's parameters, built the same way on every rank. */
    private record Model(Linear ecg, Linear text, Linear head, Variable temperature) {
        static Model create() {
            Generator g = new Generator(11);
            return new Model(new Linear(IN, EMBED, true, g), new Linear(IN, EMBED, true, g),
                    new Linear(EMBED, LABELS, true, g), Variable.leaf(Tensor.full(0.5f, 1)));
        }

        List<Variable> parameters() {
            List<Variable> all = new ArrayList<>(ecg.parameters());
            all.addAll(text.parameters());
            all.addAll(head.parameters());
            all.add(temperature);
            return all;
        }

        /** Contrastive loss over the gathered batch plus the mean BCE of this rank's rows. */
        Variable loss(Tensor signals, Tensor reports, Tensor labels, Collective c) {
            Variable e = ecg.forward(Variable.constant(signals));
            Variable t = text.forward(Variable.constant(reports));
            Variable contrastive = Functional.clipLoss(Functional.allGather(e, c), Functional.allGather(t, c), temperature,
                    LossReduction.MEAN);
            Variable entity = Functional.bceWithLogits(head.forward(e), labels, null, LossReduction.MEAN);
            return contrastive.add(entity.mul(0.5f));
        }
    }

    /** Each parameter's gradient after one step of {@code world} ranks over the same global batch. */
    private static List<float[]> gradients(int world) {
        TestData data = new TestData(3);
        Tensor signals = data.normal(BATCH, IN);
        Tensor reports = data.normal(BATCH, IN);
        Tensor labels = data.uniform(0, 1, BATCH, LABELS).gt(0.5f);
        return InProcessCollective.run(world, c -> {
            int rows = BATCH / world;
            Model m = Model.create();
            Variable loss = m.loss(signals.narrow(0, c.rank() * rows, rows).contiguous(),
                    reports.narrow(0, c.rank() * rows, rows).contiguous(), labels.narrow(0, c.rank() * rows, rows).contiguous(),
                    c);
            loss.backward();
            DataParallel.averageGradients(m.parameters(), c);
            List<float[]> grads = new ArrayList<>();
            for (Variable p : m.parameters()) {
                grads.add(p.grad().toFloatArray());
            }
            return grads;
        }).get(0);
    }

    @Test
    void ranksTogetherComputeTheGlobalBatchsGradients() {
        List<float[]> whole = gradients(1);
        for (int world : new int[] {2, 4}) {
            List<float[]> split = gradients(world);
            for (int p = 0; p < whole.size(); p++) {
                for (int i = 0; i < whole.get(p).length; i++) {
                    assertEquals(whole.get(p)[i], split.get(p)[i], 1e-5, world + " ranks, parameter " + p + " element " + i);
                }
            }
        }
    }
}
