package org.kmerl.tensor.backend;

import org.kmerl.tensor.Tensor;

/** Fused losses. Scalars ({@code loss}, {@code gradLoss}, {@code temperature}) are 0-d tensors on the device. */
public interface LossKernels {
    /**
     * Cross entropy of {@code logits[N, C]} against int32 class indices {@code targets[N]}, with label
     * smoothing {@code eps} (target distribution (1-eps)*onehot + eps/C). Rows whose target equals
     * {@code ignoreIndex} contribute nothing and are not counted by MEAN. Saves {@code lse[N]}.
     */
    void crossEntropyForward(Tensor logits, Tensor targets, float labelSmoothing, int ignoreIndex,
                             LossReduction reduction, Tensor loss, Tensor lse);

    void crossEntropyBackward(Tensor logits, Tensor targets, float labelSmoothing, int ignoreIndex,
                              LossReduction reduction, Tensor lse, Tensor gradLoss, Tensor gradLogits);

    /**
     * Binary cross entropy on logits, {@code -[pw*t*log(sigmoid(x)) + (1-t)*log(1-sigmoid(x))]},
     * computed with softplus for stability. {@code posWeight} is null or broadcasts over the last axis.
     */
    void bceWithLogitsForward(Tensor logits, Tensor targets, Tensor posWeight, LossReduction reduction, Tensor loss);

    void bceWithLogitsBackward(Tensor logits, Tensor targets, Tensor posWeight, LossReduction reduction,
                               Tensor gradLoss, Tensor gradLogits);

    /**
     * The CLIP contrastive loss of paired rows {@code a[N, D]}, {@code b[N, D]}: both sides are
     * L2-normalised, {@code logits = a·bᵀ / temperature}, and cross entropy with the diagonal as target
     * is taken over rows and over columns. Saves the logits [N, N] and the log-sum-exp of each row and
     * each column (a composed implementation keeps the logits for backward too).
     */
    void clipForward(Tensor a, Tensor b, Tensor temperature, LossReduction reduction,
                     Tensor loss, Tensor logits, Tensor lseRows, Tensor lseCols);

    /**
     * Backward of {@link #clipForward} from its saved tensors (which it leaves unchanged);
     * {@code gradTemperature} may be null when the temperature is fixed.
     */
    void clipBackward(Tensor a, Tensor b, Tensor temperature, LossReduction reduction, Tensor logits, Tensor lseRows,
                      Tensor lseCols, Tensor gradLoss, Tensor gradA, Tensor gradB, Tensor gradTemperature);
}
