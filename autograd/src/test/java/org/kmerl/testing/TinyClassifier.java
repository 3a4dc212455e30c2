package org.kmerl.testing;

import org.kmerl.autograd.Functional;
import org.kmerl.autograd.Variable;
import org.kmerl.nn.Embedding;
import org.kmerl.nn.Linear;
import org.kmerl.nn.Module;
import org.kmerl.nn.TransformerConfig;
import org.kmerl.nn.TransformerEncoder;
import org.kmerl.tensor.Generator;
import org.kmerl.tensor.Tensor;

/**
 * A small sequence classifier for end-to-end tests: token + position embeddings, a pre-norm
 * transformer encoder, mean pooling and a linear head.
 */
public final class TinyClassifier extends Module {
    private final Embedding tokens;
    private final Embedding positions;
    private final TransformerEncoder encoder;
    private final Linear head;
    private final Tensor positionIds;

    public TinyClassifier(int vocab, int length, int classes, TransformerConfig config, int depth, Generator g) {
        this.tokens = registerModule("tokens", new Embedding(vocab, config.dModel(), g));
        this.positions = registerModule("positions", new Embedding(length, config.dModel(), g));
        this.encoder = registerModule("encoder", new TransformerEncoder(config, depth, g.fork()));
        this.head = registerModule("head", new Linear(config.dModel(), classes, true, g));
        int[] ids = new int[length];
        for (int i = 0; i < length; i++) {
            ids[i] = i;
        }
        this.positionIds = persistent(() -> Tensor.ofInts(ids));
    }

    /** Logits [B, classes] for int32 token ids [B, T]. */
    public Variable forward(Tensor ids) {
        Variable x = tokens.forward(ids).mul(0.5f).add(positions.forward(positionIds).mul(0.5f));
        return head.forward(encoder.forward(x, null).mean(1));
    }

    public Variable loss(Tensor ids, Tensor labels) {
        return Functional.crossEntropy(forward(ids), labels);
    }
}
