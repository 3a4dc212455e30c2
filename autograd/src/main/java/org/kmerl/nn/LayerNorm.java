package org.kmerl.nn;

import org.kmerl.autograd.Functional;
import org.kmerl.autograd.Variable;
import org.kmerl.tensor.Tensor;

/** Layer normalisation over the last axis, with learnable scale (ones) and shift (zeros). */
public final class LayerNorm extends Module {
    private final Variable weight;
    private final Variable bias;
    private final float eps;

    public LayerNorm(int dim, float eps) {
        this.eps = eps;
        this.weight = registerParameter("weight", persistent(() -> Tensor.ones(dim)));
        this.bias = registerParameter("bias", persistent(() -> Tensor.zeros(dim)));
    }

    public LayerNorm(int dim) {
        this(dim, 1e-5f);
    }

    public Variable forward(Variable x) {
        return Functional.layerNorm(x, weight, bias, eps);
    }
}
