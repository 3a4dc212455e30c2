package org.kmerl.nn;

import org.kmerl.autograd.Functional;
import org.kmerl.autograd.Variable;
import org.kmerl.tensor.Generator;

/**
 * {@code y = x · Wᵀ + b} with W of shape [out, in] (PyTorch's layout). Initialised like
 * {@code torch.nn.Linear}: W and b uniform in ±1/sqrt(in).
 */
public final class Linear extends Module {
    private final Variable weight;
    private final Variable bias;

    public Linear(int in, int out, boolean bias, Generator generator) {
        if (in <= 0 || out <= 0) {
            throw new IllegalArgumentException("Linear: feature counts must be positive, got in=" + in + ", out=" + out);
        }
        float bound = (float) (1.0 / Math.sqrt(in));
        this.weight = registerParameter("weight", persistent(() -> generator.uniform(-bound, bound, out, in)));
        this.bias = bias ? registerParameter("bias", persistent(() -> generator.uniform(-bound, bound, out))) : null;
    }

    public Variable forward(Variable x) {
        return Functional.linear(x, weight, bias);
    }

    public Variable weight() {
        return weight;
    }

    public Variable bias() {
        return bias;
    }
}
