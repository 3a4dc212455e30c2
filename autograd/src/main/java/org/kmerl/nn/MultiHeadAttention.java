package org.kmerl.nn;

import org.kmerl.autograd.Functional;
import org.kmerl.autograd.Variable;
import org.kmerl.tensor.Generator;
import org.kmerl.tensor.Tensor;

/**
 * Multi-head attention: project queries, keys and values ({@code q}, {@code k}, {@code v}), split
 * into heads [B, H, T, D/H], run the fused attention kernel, merge heads and project ({@code out}).
 * Self-attention passes the same sequence three times; cross-attention passes the memory as key
 * and value.
 */
public final class MultiHeadAttention extends Module {
    private final int heads;
    private final float attentionDropout;
    private final Generator generator;
    private final Linear q;
    private final Linear k;
    private final Linear v;
    private final Linear out;

    public MultiHeadAttention(int dModel, int heads, float attentionDropout, Generator generator) {
        if (dModel % heads != 0) {
            throw new IllegalArgumentException("MultiHeadAttention: dModel " + dModel + " is not divisible by "
                    + heads + " heads");
        }
        this.heads = heads;
        this.attentionDropout = attentionDropout;
        this.generator = registerGenerator("generator", generator.fork());
        this.q = registerModule("q", new Linear(dModel, dModel, true, generator));
        this.k = registerModule("k", new Linear(dModel, dModel, true, generator));
        this.v = registerModule("v", new Linear(dModel, dModel, true, generator));
        this.out = registerModule("out", new Linear(dModel, dModel, true, generator));
    }

    /** Self-attention over x [B, T, dModel]; {@code keyPadding} is null or [B, T], non-zero = padded. */
    public Variable forward(Variable x, Tensor keyPadding) {
        return forward(x, x, keyPadding);
    }

    /** Queries from {@code query} [B, Tq, d] attend to {@code memory} [B, Tk, d]. */
    public Variable forward(Variable query, Variable memory, Tensor memoryPadding) {
        Variable qh = splitHeads(q.forward(query), heads);
        Variable kh = splitHeads(k.forward(memory), heads);
        Variable vh = splitHeads(v.forward(memory), heads);
        float p = isTraining() ? attentionDropout : 0f;
        Variable context = Functional.attention(qh, kh, vh, memoryPadding, p, generator);
        return out.forward(mergeHeads(context));
    }

    /**
     * The attention probabilities [B, H, Tq, Tk] the fused kernel uses but never stores, computed the
     * plain way (softmax of q·kᵀ/√dₕ, padded keys at -∞) for explaining a model: which memory tokens
     * each query looks at. {@code probabilities · v} per head is exactly what {@link #forward} mixes.
     */
    public Variable weights(Variable query, Variable memory, Tensor memoryPadding) {
        Variable qh = splitHeads(q.forward(query), heads);
        Variable kh = splitHeads(k.forward(memory), heads);
        Variable scores = qh.matmul(kh.transpose(2, 3)).mul((float) (1 / Math.sqrt(qh.dim(3))));
        if (memoryPadding != null) {
            Tensor mask = memoryPadding.reshape(memoryPadding.dim(0), 1, 1, memoryPadding.dim(1)).mul(-1e30f);
            scores = scores.add(Variable.constant(mask));
        }
        return scores.softmax(3);
    }

    /**
     * The readable path next to the fused one (no dropout): the probabilities of {@link #weights}
     * times the values, heads merged, projected. Equal to {@link #forward} in eval mode up to rounding;
     * it stores the [B, H, Tq, Tk] matrix the fused kernel avoids.
     */
    public Variable forwardReference(Variable query, Variable memory, Tensor memoryPadding) {
        Variable vh = splitHeads(v.forward(memory), heads);
        return out.forward(mergeHeads(weights(query, memory, memoryPadding).matmul(vh)));
    }

    /** [B, T, d] -> [B, H, T, d/H] (a permuted view, no copy). */
    public static Variable splitHeads(Variable x, int heads) {
        int b = x.dim(0);
        int t = x.dim(1);
        int d = x.dim(2);
        return x.reshape(b, t, heads, d / heads).permute(0, 2, 1, 3);
    }

    /** [B, H, T, d/H] -> [B, T, d]. */
    public static Variable mergeHeads(Variable x) {
        int b = x.dim(0);
        int t = x.dim(2);
        return x.permute(0, 2, 1, 3).reshape(b, t, x.dim(1) * x.dim(3));
    }
}
