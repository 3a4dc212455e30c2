package org.kmerl.model.text.bert;

import org.kmerl.autograd.Variable;
import org.kmerl.nn.Dropout;
import org.kmerl.nn.LayerNorm;
import org.kmerl.nn.Linear;
import org.kmerl.nn.Module;
import org.kmerl.tensor.Generator;

/**
 * The post-LN residual step that closes both halves of a BERT layer (Hugging Face's
 * {@code BertSelfOutput} and {@code BertOutput}): {@code LayerNorm(dropout(dense(h)) + residual)}.
 */
public final class BertResidualOutput extends Module {
    private final Linear dense;
    private final LayerNorm layerNorm;
    private final Dropout dropout;

    BertResidualOutput(int in, BertConfig c, Generator generator) {
        this.dense = registerModule("dense", new Linear(in, c.hiddenSize(), true, generator));
        this.layerNorm = registerModule("LayerNorm", new LayerNorm(c.hiddenSize(), c.layerNormEps()));
        this.dropout = registerModule("dropout", new Dropout(c.hiddenDropout(), generator.fork()));
    }

    public Variable forward(Variable h, Variable residual) {
        return layerNorm.forward(dropout.forward(dense.forward(h)).add(residual));
    }
}
