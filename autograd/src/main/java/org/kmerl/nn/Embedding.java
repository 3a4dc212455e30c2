package org.kmerl.nn;

import org.kmerl.autograd.Functional;
import org.kmerl.autograd.Variable;
import org.kmerl.tensor.Generator;
import org.kmerl.tensor.Tensor;

/** A lookup table of {@code count} vectors of width {@code dim}, initialised N(0, 1) as in PyTorch. */
public final class Embedding extends Module {
    private final Variable weight;

    public Embedding(int count, int dim, Generator generator) {
        this.weight = registerParameter("weight", persistent(() -> generator.normal(0f, 1f, count, dim)));
    }

    /** Rows at the int32 {@code ids}; the output has the ids' shape plus [dim]. */
    public Variable forward(Tensor ids) {
        return Functional.embedding(ids, weight);
    }

    public Variable weight() {
        return weight;
    }
}
