package org.kmerl.model.text.bert;

import org.kmerl.autograd.Variable;
import org.kmerl.nn.Linear;
import org.kmerl.nn.Module;
import org.kmerl.tensor.Generator;

/** BERT's pooler: {@code tanh(dense(hidden[:, 0]))}, the [CLS] state through a trained projection. */
public final class BertPooler extends Module {
    private final Linear dense;

    BertPooler(BertConfig c, Generator generator) {
        this.dense = registerModule("dense", new Linear(c.hiddenSize(), c.hiddenSize(), true, generator));
    }

    /** hidden [B, T, D] -> [B, D]. */
    public Variable forward(Variable hidden) {
        return dense.forward(hidden.select(1, 0)).tanh();
    }
}
