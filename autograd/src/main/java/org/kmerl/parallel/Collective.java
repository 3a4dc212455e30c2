package org.kmerl.parallel;

import java.util.List;
import org.kmerl.tensor.Tensor;

/**
 * The two collective operations data-parallel training needs, over an existing engine: an all-reduce of
 * gradients, and an all-gather of embeddings so that the contrastive loss sees the global batch. Each rank
 * calls the same operations in the same order with tensors of the same shapes; results are the same on every
 * rank and do not depend on timing (sums in rank order).
 *
 * <p>Implementations: {@link #single()} (one process, nothing to exchange) and {@link InProcessCollective}
 * (ranks as threads of one process, for tests and for trying data parallelism on one machine). An NCCL
 * binding, the engine for multi-GPU runs, is not written yet; it would implement this interface.
 */
public interface Collective {
    int rank();

    int worldSize();

    /** Each tensor becomes the sum over all ranks of that tensor (in rank order). */
    void allReduceSum(List<Tensor> tensors);

    /** Every rank's {@code local} (the same shape on each) concatenated along axis 0 in rank order. */
    Tensor allGather(Tensor local);

    /** Breaks off every pending and later operation on all ranks (a rank that failed calls it). */
    default void abort() {
    }

    /** One process alone: rank 0 of 1. */
    static Collective single() {
        return SingleProcess.INSTANCE;
    }
}
