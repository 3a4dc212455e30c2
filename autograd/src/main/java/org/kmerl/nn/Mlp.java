package org.kmerl.nn;

import org.kmerl.autograd.Variable;
import org.kmerl.tensor.Generator;

/** The transformer feed-forward block: Linear, GELU (erf form), dropout, Linear. */
public final class Mlp extends Module {
    private final Linear fc1;
    private final Linear fc2;
    private final Dropout dropout;

    public Mlp(int dim, int hidden, float dropout, Generator generator) {
        this.fc1 = registerModule("fc1", new Linear(dim, hidden, true, generator));
        this.fc2 = registerModule("fc2", new Linear(hidden, dim, true, generator));
        this.dropout = registerModule("dropout", new Dropout(dropout, generator.fork()));
    }

    public Variable forward(Variable x) {
        return fc2.forward(dropout.forward(fc1.forward(x).gelu()));
    }
}
