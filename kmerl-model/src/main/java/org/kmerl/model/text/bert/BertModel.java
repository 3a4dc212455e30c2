package org.kmerl.model.text.bert;

import org.kmerl.autograd.GradMode;
import org.kmerl.autograd.Variable;
import org.kmerl.nn.Module;
import org.kmerl.nn.ModuleList;
import org.kmerl.tensor.Generator;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.TensorScope;

/**
 * A BERT encoder whose state-dict names are Hugging Face's ({@code embeddings.word_embeddings.weight},
 * {@code encoder.layer.3.attention.self.query.weight}, {@code pooler.dense.bias}, ...), so a
 * {@code model.safetensors} of any BERT checkpoint loads with {@link #loadStateDict}. Random
 * initialisation uses kmerl's layer defaults; the model is meant to be loaded from weights.
 */
public final class BertModel extends Module {
    private final BertConfig config;
    private final BertEmbeddings embeddings;
    private final Encoder encoder;
    private final BertPooler pooler;

    /** {@code withPooler}: whether the checkpoint has the [CLS] pooler (MiniLM's ONNX export does not). */
    public BertModel(BertConfig config, boolean withPooler, Generator generator) {
        this.config = config;
        this.embeddings = registerModule("embeddings", new BertEmbeddings(config, generator.fork()));
        this.encoder = registerModule("encoder", new Encoder(config, generator.fork()));
        this.pooler = withPooler ? registerModule("pooler", new BertPooler(config, generator.fork())) : null;
    }

    /**
     * ids [B, T] int32, padding null or [B, T] (non-zero = padded) -> last hidden state [B, T, hidden].
     * Padded positions attend to real tokens only; their own outputs are meaningless and must be
     * masked by whoever pools them.
     */
    public Variable forward(Tensor ids, Tensor padding) {
        Variable h = embeddings.forward(ids);
        for (BertLayer layer : encoder.layer) {
            if (GradMode.isEnabled()) {
                h = layer.forward(h, padding);
            } else {
                // Inference keeps no graph: release each layer's temporaries before the next layer
                // runs, so the next one reuses their buffers instead of allocating new ones.
                try (TensorScope scope = TensorScope.open()) {
                    h = layer.forward(h, padding);
                    scope.keep(h.data());
                }
            }
        }
        return h;
    }

    /** The pooler output {@code tanh(dense(h[:, 0]))} of a last hidden state. */
    public Variable pool(Variable lastHidden) {
        if (pooler == null) {
            throw new IllegalStateException("this BERT has no pooler (its checkpoint had no pooler.dense weights): "
                    + "use mean or [CLS] pooling");
        }
        return pooler.forward(lastHidden);
    }

    public boolean hasPooler() {
        return pooler != null;
    }

    public BertConfig config() {
        return config;
    }

    public BertEmbeddings embeddings() {
        return embeddings;
    }

    public ModuleList<BertLayer> layers() {
        return encoder.layer;
    }

    /**
     * Freezes the first {@code layers} encoder layers, and the embeddings too when
     * {@code embeddingsToo} (MERL freezes layers only). With the embeddings frozen as well, nothing
     * below the first trainable layer is recorded for backward at all.
     */
    public BertModel freeze(int layers, boolean embeddingsToo) {
        if (layers < 0 || layers > config.numLayers()) {
            throw new IllegalArgumentException("cannot freeze " + layers + " layers of a " + config.numLayers()
                    + "-layer BERT");
        }
        requiresGrad(true);
        if (embeddingsToo) {
            embeddings.requiresGrad(false);
        }
        for (int i = 0; i < layers; i++) {
            encoder.layer.get(i).requiresGrad(false);
        }
        return this;
    }

    /** {@code encoder.layer.N}. */
    private static final class Encoder extends Module {
        private final ModuleList<BertLayer> layer;

        Encoder(BertConfig c, Generator generator) {
            this.layer = registerModule("layer", new ModuleList<>());
            for (int i = 0; i < c.numLayers(); i++) {
                layer.add(new BertLayer(c, generator.fork()));
            }
        }
    }
}
