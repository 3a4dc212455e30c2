package org.kmerl.nn;

import org.kmerl.autograd.Variable;
import org.kmerl.tensor.Generator;
import org.kmerl.tensor.Tensor;

/** A stack of pre-norm encoder layers followed by a final layer norm (pre-norm stacks need one). */
public final class TransformerEncoder extends Module {
    private final ModuleList<TransformerEncoderLayer> layers;
    private final LayerNorm norm;

    public TransformerEncoder(TransformerConfig config, int depth, Generator generator) {
        this.layers = registerModule("layers", new ModuleList<>());
        for (int i = 0; i < depth; i++) {
            layers.add(new TransformerEncoderLayer(config, generator.fork()));
        }
        this.norm = registerModule("norm", new LayerNorm(config.dModel(), config.layerNormEps()));
    }

    public Variable forward(Variable x, Tensor keyPadding) {
        Variable h = x;
        for (TransformerEncoderLayer layer : layers) {
            h = layer.forward(h, keyPadding);
        }
        return norm.forward(h);
    }

    public ModuleList<TransformerEncoderLayer> layers() {
        return layers;
    }
}
