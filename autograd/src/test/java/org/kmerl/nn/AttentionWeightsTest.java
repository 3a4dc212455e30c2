package org.kmerl.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.kmerl.autograd.GradMode;
import org.kmerl.autograd.Variable;
import org.kmerl.tensor.Generator;
import org.kmerl.tensor.Tensor;

/** The explicit attention probabilities against the fused kernel they explain. */
class AttentionWeightsTest {
    @Test
    void probabilitiesSumToOneIgnorePaddingAndReproduceTheFusedOutput() {
        MultiHeadAttention mha = new MultiHeadAttention(8, 2, 0f, new Generator(1));
        mha.eval();
        Generator g = new Generator(2);
        Variable query = Variable.constant(g.normal(0, 1, 2, 3, 8));
        Variable memory = Variable.constant(g.normal(0, 1, 2, 5, 8));
        Tensor padding = Tensor.of(new float[] {0, 0, 0, 0, 0, 0, 0, 0, 1, 1}, 2, 5);   // sample 1: last two keys padded
        try (GradMode.Scope off = GradMode.disabled()) {
            float[] w = mha.weights(query, memory, padding).data().toFloatArray();   // [2, 2, 3, 5]
            for (int row = 0; row < 2 * 2 * 3; row++) {
                double sum = 0;
                for (int k = 0; k < 5; k++) {
                    sum += w[row * 5 + k];
                }
                assertEquals(1.0, sum, 1e-5, "row " + row);
                if (row >= 2 * 3) {   // sample 1
                    assertEquals(0f, w[row * 5 + 3]);
                    assertEquals(0f, w[row * 5 + 4]);
                }
            }
            assertArrayEquals(mha.forward(query, memory, padding).data().toFloatArray(),
                    mha.forwardReference(query, memory, padding).data().toFloatArray(), 1e-5f);
        }
    }
}
