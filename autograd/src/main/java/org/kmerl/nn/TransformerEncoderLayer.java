package org.kmerl.nn;

import org.kmerl.autograd.Variable;
import org.kmerl.tensor.Generator;
import org.kmerl.tensor.Tensor;

/**
 * Pre-norm encoder layer (as in ViT and GPT-2):
 * <pre>
 *   x = x + dropout(selfAttention(norm1(x)))
 *   x = x + dropout(mlp(norm2(x)))
 * </pre>
 */
public final class TransformerEncoderLayer extends Module {
    private final LayerNorm norm1;
    private final MultiHeadAttention attention;
    private final LayerNorm norm2;
    private final Mlp mlp;
    private final Dropout dropout;

    public TransformerEncoderLayer(TransformerConfig config, Generator generator) {
        this.norm1 = registerModule("norm1", new LayerNorm(config.dModel(), config.layerNormEps()));
        this.attention = registerModule("attention", new MultiHeadAttention(config.dModel(), config.heads(),
                config.attentionDropout(), generator.fork()));
        this.norm2 = registerModule("norm2", new LayerNorm(config.dModel(), config.layerNormEps()));
        this.mlp = registerModule("mlp", new Mlp(config.dModel(), config.mlpDim(), config.dropout(), generator.fork()));
        this.dropout = registerModule("dropout", new Dropout(config.dropout(), generator.fork()));
    }

    /** x [B, T, d]; {@code keyPadding} null or [B, T] with non-zero = padding. */
    public Variable forward(Variable x, Tensor keyPadding) {
        Variable h = x.add(dropout.forward(attention.forward(norm1.forward(x), keyPadding)));
        return h.add(dropout.forward(mlp.forward(norm2.forward(h))));
    }
}
