package org.kmerl.testing;

import org.kmerl.tensor.Generator;
import org.kmerl.tensor.Tensor;

/**
 * Synthetic sequence classification: is the last token equal to the first? Half of the sequences
 * are made positive. Solving it needs attention between two positions (mean pooling alone cannot).
 */
public final class FirstEqualsLastTask {
    public static final int VOCAB = 6;
    public static final int LENGTH = 8;

    /** A batch: {@code ids} int32 [batch, LENGTH], {@code labels} int32 [batch]. */
    public record Batch(Tensor ids, Tensor labels) {
    }

    private FirstEqualsLastTask() {
    }

    public static Batch batch(Generator g, int size) {
        float[] u = g.uniform(0, 1, size * (LENGTH + 1)).toFloatArray();
        int[] ids = new int[size * LENGTH];
        int[] labels = new int[size];
        for (int b = 0; b < size; b++) {
            for (int t = 0; t < LENGTH; t++) {
                ids[b * LENGTH + t] = (int) (u[b * (LENGTH + 1) + t] * VOCAB);
            }
            if (u[b * (LENGTH + 1) + LENGTH] < 0.5f) {
                ids[b * LENGTH + LENGTH - 1] = ids[b * LENGTH];
            }
            labels[b] = ids[b * LENGTH + LENGTH - 1] == ids[b * LENGTH] ? 1 : 0;
        }
        return new Batch(Tensor.ofInts(ids, size, LENGTH), Tensor.ofInts(labels));
    }
}
