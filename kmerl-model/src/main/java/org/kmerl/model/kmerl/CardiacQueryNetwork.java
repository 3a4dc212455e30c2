package org.kmerl.model.kmerl;

import java.util.ArrayList;
import java.util.List;
import org.kmerl.autograd.Variable;
import org.kmerl.model.ecg.EcgEncoder;
import org.kmerl.nn.LayerNorm;
import org.kmerl.nn.Linear;
import org.kmerl.nn.Module;
import org.kmerl.nn.ModuleList;
import org.kmerl.nn.TransformerConfig;
import org.kmerl.nn.TransformerDecoderLayer;
import org.kmerl.tensor.Generator;

/**
 * The cardiac query network. Each query is an entity name ("atrial fibrillation") as the text encoder
 * embeds it, projected to the ECG width; the queries attend to each other and to the ECG tokens in a
 * stack of pre-norm decoder layers, and one shared linear head turns each query's output into a logit:
 * "is this entity present in this ECG?". Because the head is shared and the queries are text, any new
 * class name can be asked about (zero-shot) without a new classifier.
 */
public final class CardiacQueryNetwork extends Module {
    private final Linear queryProjection;
    private final ModuleList<TransformerDecoderLayer> layers;
    private final LayerNorm norm;
    private final Linear head;

    public CardiacQueryNetwork(int textDim, TransformerConfig config, int depth, Generator g) {
        this.queryProjection = registerModule("queryProjection", new Linear(textDim, config.dModel(), true, g));
        this.layers = registerModule("layers", new ModuleList<>());
        for (int i = 0; i < depth; i++) {
            layers.add(new TransformerDecoderLayer(config, g.fork()));
        }
        this.norm = registerModule("norm", new LayerNorm(config.dModel(), config.layerNormEps()));
        this.head = registerModule("head", new Linear(config.dModel(), 1, true, g));
    }

    /**
     * One logit per (sample, query): [B, Q] for query texts [Q, textDim] against the encoder output
     * of B samples.
     */
    public Variable forward(Variable queryText, EcgEncoder.Output ecg) {
        return run(queryText, ecg, null);
    }

    /** The logits [B, Q] and, per layer, the cross-attention probabilities [B, H, Q, T] over the ECG tokens. */
    public record Explanation(Variable logits, List<Variable> crossAttention) {
    }

    public Explanation explain(Variable queryText, EcgEncoder.Output ecg) {
        List<Variable> weights = new ArrayList<>();
        return new Explanation(run(queryText, ecg, weights), weights);
    }

    private Variable run(Variable queryText, EcgEncoder.Output ecg, List<Variable> weights) {
        int b = ecg.tokens().dim(0);
        int q = queryText.dim(0);
        Variable queries = queryProjection.forward(queryText);
        Variable x = queries.reshape(1, q, queries.dim(1)).expand(b, q, queries.dim(1));
        for (TransformerDecoderLayer layer : layers) {
            if (weights != null) {
                weights.add(layer.crossAttentionWeights(x, null, ecg.tokens(), ecg.padding()));
            }
            x = layer.forward(x, null, ecg.tokens(), ecg.padding());
        }
        return head.forward(norm.forward(x)).reshape(b, q);
    }
}
