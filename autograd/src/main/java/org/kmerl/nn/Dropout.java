package org.kmerl.nn;

import org.kmerl.autograd.Functional;
import org.kmerl.autograd.Variable;
import org.kmerl.tensor.Generator;

/** Inverted dropout, active in training mode only; masks come from this layer's own generator. */
public final class Dropout extends Module {
    private final float p;
    private final Generator generator;

    public Dropout(float p, Generator generator) {
        if (!(p >= 0f && p < 1f)) {
            throw new IllegalArgumentException("Dropout: probability must be in [0, 1), got " + p);
        }
        this.p = p;
        this.generator = registerGenerator("generator", generator);
    }

    public Variable forward(Variable x) {
        return Functional.dropout(x, p, generator, isTraining());
    }

    public float probability() {
        return p;
    }
}
