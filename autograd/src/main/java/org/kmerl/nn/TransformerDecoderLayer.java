package org.kmerl.nn;

import org.kmerl.autograd.Variable;
import org.kmerl.tensor.Generator;
import org.kmerl.tensor.Tensor;

/**
 * Pre-norm decoder layer (queries attend to each other, then to a memory):
 * <pre>
 *   x = x + dropout(selfAttention(norm1(x)))
 *   x = x + dropout(crossAttention(norm2(x), memory))
 *   x = x + dropout(mlp(norm3(x)))
 * </pre>
 * No causal mask: in K-MERL the queries are a set of cardiac entities, not a sequence to generate.
 */
public final class TransformerDecoderLayer extends Module {
    private final LayerNorm norm1;
    private final MultiHeadAttention selfAttention;
    private final LayerNorm norm2;
    private final MultiHeadAttention crossAttention;
    private final LayerNorm norm3;
    private final Mlp mlp;
    private final Dropout dropout;

    public TransformerDecoderLayer(TransformerConfig config, Generator generator) {
        int d = config.dModel();
        this.norm1 = registerModule("norm1", new LayerNorm(d, config.layerNormEps()));
        this.selfAttention = registerModule("selfAttention", new MultiHeadAttention(d, config.heads(),
                config.attentionDropout(), generator.fork()));
        this.norm2 = registerModule("norm2", new LayerNorm(d, config.layerNormEps()));
        this.crossAttention = registerModule("crossAttention", new MultiHeadAttention(d, config.heads(),
                config.attentionDropout(), generator.fork()));
        this.norm3 = registerModule("norm3", new LayerNorm(d, config.layerNormEps()));
        this.mlp = registerModule("mlp", new Mlp(d, config.mlpDim(), config.dropout(), generator.fork()));
        this.dropout = registerModule("dropout", new Dropout(config.dropout(), generator.fork()));
    }

    /**
     * @param queries       [B, Q, d]
     * @param queryPadding  null or [B, Q]
     * @param memory        [B, T, d]
     * @param memoryPadding null or [B, T]
     */
    /** The cross-attention probabilities [B, H, Q, T] of this layer for its input {@code queries} (no dropout: eval mode). */
    public Variable crossAttentionWeights(Variable queries, Tensor queryPadding, Variable memory, Tensor memoryPadding) {
        Variable x = queries.add(selfAttention.forward(norm1.forward(queries), queryPadding));
        return crossAttention.weights(norm2.forward(x), memory, memoryPadding);
    }

    public Variable forward(Variable queries, Tensor queryPadding, Variable memory, Tensor memoryPadding) {
        Variable x = queries.add(dropout.forward(selfAttention.forward(norm1.forward(queries), queryPadding)));
        x = x.add(dropout.forward(crossAttention.forward(norm2.forward(x), memory, memoryPadding)));
        return x.add(dropout.forward(mlp.forward(norm3.forward(x))));
    }
}
