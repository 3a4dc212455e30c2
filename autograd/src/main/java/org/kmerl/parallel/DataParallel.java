package org.kmerl.parallel;

import java.util.ArrayList;
import java.util.List;
import org.kmerl.autograd.Variable;
import org.kmerl.tensor.Tensor;

/**
 * The steps a data-parallel training loop adds around one process's step (as PyTorch's
 * DistributedDataParallel does): the contrastive loss takes {@link org.kmerl.autograd.Functional#allGather
 * gathered} embeddings, so its negatives span the global batch; after the backward,
 * {@link #averageGradients} makes every rank's gradients the global batch's; and decisions that skip work
 * ({@link #anyRank}) are taken together, so that no rank waits in a collective the others left out.
 */
public final class DataParallel {
    private DataParallel() {
    }

    /**
     * Every parameter's gradient averaged over the ranks: with each rank's loss a mean over its own rows,
     * the average is the gradient of the mean over the global batch. Parameters without a gradient are
     * skipped; every rank has the same model, so they skip the same ones.
     */
    public static void averageGradients(List<Variable> parameters, Collective c) {
        if (c.worldSize() == 1) {
            return;
        }
        List<Tensor> grads = new ArrayList<>();
        for (Variable p : parameters) {
            if (p.grad() != null) {
                grads.add(p.grad());
            }
        }
        c.allReduceSum(grads);
        for (Tensor g : grads) {
            g.mulInPlace(1f / c.worldSize());
        }
    }

    /** Whether {@code mine} holds on any rank. */
    public static boolean anyRank(boolean mine, Collective c) {
        return c.worldSize() == 1 ? mine : sum(mine ? 1f : 0f, c) > 0;
    }

    /** The mean over the ranks of a scalar each computed (a loss for the log). */
    public static double mean(double mine, Collective c) {
        return c.worldSize() == 1 ? mine : sum((float) mine, c) / c.worldSize();
    }

    private static float sum(float mine, Collective c) {
        try (Tensor value = Tensor.full(mine, 1)) {
            c.allReduceSum(List.of(value));
            return value.item();
        }
    }
}
