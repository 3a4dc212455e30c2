package org.kmerl.model.text.bert;

import java.util.List;
import org.kmerl.autograd.Functional;
import org.kmerl.autograd.Variable;
import org.kmerl.nn.Linear;
import org.kmerl.nn.Module;
import org.kmerl.nn.MultiHeadAttention;
import org.kmerl.tensor.Generator;
import org.kmerl.tensor.Tensor;

/**
 * Scaled dot-product self-attention over heads, without the output projection (BERT keeps it
 * apart). The query, key and value projections are separate modules, as in checkpoints, but run as
 * one product.
 */
public final class BertSelfAttention extends Module {
    private final Linear query;
    private final Linear key;
    private final Linear value;
    private final int heads;
    private final float dropout;
    private final Generator generator;

    BertSelfAttention(BertConfig c, Generator generator) {
        int d = c.hiddenSize();
        this.query = registerModule("query", new Linear(d, d, true, generator));
        this.key = registerModule("key", new Linear(d, d, true, generator));
        this.value = registerModule("value", new Linear(d, d, true, generator));
        this.heads = c.numHeads();
        this.dropout = c.attentionDropout();
        this.generator = registerGenerator("generator", generator.fork());
    }

    /** x [B, T, hidden], padding null or [B, T] (non-zero = padded key) -> context [B, T, hidden]. */
    public Variable forward(Variable x, Tensor padding) {
        // One product against the three weights stacked ([3d, d]) instead of three thin ones: a wider
        // GEMM runs closer to peak, and the stacking copy is small next to it.
        Variable weight = Variable.concat(List.of(query.weight(), key.weight(), value.weight()), 0);
        Variable bias = Variable.concat(List.of(query.bias(), key.bias(), value.bias()), 0);
        Variable qkv = Functional.linear(x, weight, bias);
        int d = query.weight().dim(0);
        Variable q = MultiHeadAttention.splitHeads(qkv.narrow(2, 0, d), heads);
        Variable k = MultiHeadAttention.splitHeads(qkv.narrow(2, d, d), heads);
        Variable v = MultiHeadAttention.splitHeads(qkv.narrow(2, 2 * d, d), heads);
        Variable context = Functional.attention(q, k, v, padding, isTraining() ? dropout : 0f, generator);
        return MultiHeadAttention.mergeHeads(context);
    }
}
