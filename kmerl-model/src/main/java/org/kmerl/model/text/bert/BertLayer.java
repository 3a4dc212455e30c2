package org.kmerl.model.text.bert;

import org.kmerl.autograd.Variable;
import org.kmerl.nn.Linear;
import org.kmerl.nn.Module;
import org.kmerl.tensor.Generator;
import org.kmerl.tensor.Tensor;

/**
 * One post-LN BERT layer, with Hugging Face's module names:
 * <pre>
 *   a = attention.output(attention.self(x), x)        LayerNorm(dense(context) + x)
 *   y = output(gelu(intermediate.dense(a)), a)         LayerNorm(dense(gelu(...)) + a)
 * </pre>
 */
public final class BertLayer extends Module {
    private final Attention attention;
    private final Intermediate intermediate;
    private final BertResidualOutput output;

    BertLayer(BertConfig c, Generator generator) {
        this.attention = registerModule("attention", new Attention(c, generator.fork()));
        this.intermediate = registerModule("intermediate", new Intermediate(c, generator.fork()));
        this.output = registerModule("output", new BertResidualOutput(c.intermediateSize(), c, generator.fork()));
    }

    public Variable forward(Variable x, Tensor padding) {
        Variable a = attention.forward(x, padding);
        return output.forward(intermediate.forward(a), a);
    }

    /** {@code attention.self} and {@code attention.output}. */
    static final class Attention extends Module {
        private final BertSelfAttention self;
        private final BertResidualOutput output;

        Attention(BertConfig c, Generator generator) {
            this.self = registerModule("self", new BertSelfAttention(c, generator.fork()));
            this.output = registerModule("output", new BertResidualOutput(c.hiddenSize(), c, generator.fork()));
        }

        Variable forward(Variable x, Tensor padding) {
            return output.forward(self.forward(x, padding), x);
        }
    }

    /** {@code intermediate.dense} followed by exact GELU. */
    static final class Intermediate extends Module {
        private final Linear dense;

        Intermediate(BertConfig c, Generator generator) {
            this.dense = registerModule("dense", new Linear(c.hiddenSize(), c.intermediateSize(), true, generator));
        }

        Variable forward(Variable x) {
            return dense.forward(x).gelu();
        }
    }
}
