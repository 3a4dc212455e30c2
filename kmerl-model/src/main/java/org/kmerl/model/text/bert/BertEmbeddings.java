package org.kmerl.model.text.bert;

import org.kmerl.autograd.Variable;
import org.kmerl.nn.Dropout;
import org.kmerl.nn.Embedding;
import org.kmerl.nn.LayerNorm;
import org.kmerl.nn.Module;
import org.kmerl.tensor.Generator;
import org.kmerl.tensor.ShapeException;
import org.kmerl.tensor.Tensor;

/**
 * {@code LayerNorm(word[id] + tokenType[0] + position[t])}, then dropout. Every token has type 0:
 * kmerl encodes single texts, never sentence pairs.
 */
public final class BertEmbeddings extends Module {
    private final Embedding wordEmbeddings;
    private final Embedding positionEmbeddings;
    private final Embedding tokenTypeEmbeddings;
    private final LayerNorm layerNorm;
    private final Dropout dropout;
    private final int maxPositions;

    BertEmbeddings(BertConfig c, Generator generator) {
        this.wordEmbeddings = registerModule("word_embeddings", new Embedding(c.vocabSize(), c.hiddenSize(), generator));
        this.positionEmbeddings = registerModule("position_embeddings",
                new Embedding(c.maxPositions(), c.hiddenSize(), generator));
        this.tokenTypeEmbeddings = registerModule("token_type_embeddings",
                new Embedding(c.typeVocabSize(), c.hiddenSize(), generator));
        this.layerNorm = registerModule("LayerNorm", new LayerNorm(c.hiddenSize(), c.layerNormEps()));
        this.dropout = registerModule("dropout", new Dropout(c.hiddenDropout(), generator.fork()));
        this.maxPositions = c.maxPositions();
    }

    /** ids [B, T] int32 -> [B, T, hidden]. */
    public Variable forward(Tensor ids) {
        int t = ids.dim(1);
        if (t > maxPositions) {
            throw new ShapeException("BERT embeddings: " + t + " tokens exceed the " + maxPositions
                    + " position embeddings (truncate the text)");
        }
        Variable x = wordEmbeddings.forward(ids)
                .add(tokenTypeEmbeddings.weight().narrow(0, 0, 1))
                .add(positionEmbeddings.weight().narrow(0, 0, t));
        return dropout.forward(layerNorm.forward(x));
    }
}
