package org.kmerl.model.kmerl;

import org.kmerl.autograd.Variable;
import org.kmerl.nn.Linear;
import org.kmerl.nn.Module;
import org.kmerl.tensor.Generator;

/**
 * Maps an encoder's embedding into the shared ECG-text space: Linear, GELU, Linear (MERL's text
 * projector; MERL's ECG projector has BatchNorm, which kmerl leaves out so that a sample's embedding
 * never depends on the rest of its batch).
 */
public final class ProjectionHead extends Module {
    private final Linear fc1;
    private final Linear fc2;

    public ProjectionHead(int in, int out, Generator g) {
        this.fc1 = registerModule("fc1", new Linear(in, out, true, g));
        this.fc2 = registerModule("fc2", new Linear(out, out, true, g));
    }

    public Variable forward(Variable x) {
        return fc2.forward(fc1.forward(x).gelu());
    }
}
