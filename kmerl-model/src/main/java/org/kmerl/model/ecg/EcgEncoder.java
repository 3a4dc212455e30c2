package org.kmerl.model.ecg;

import org.kmerl.autograd.Variable;
import org.kmerl.nn.Module;
import org.kmerl.nn.TransformerEncoder;
import org.kmerl.tensor.Generator;
import org.kmerl.tensor.Tensor;

/**
 * The lead-aware ECG encoder: {@link LeadTokenizer}, a pre-norm transformer over the tokens of all
 * present leads (key-padding masks for samples with fewer tokens), and a pooled embedding, the mean
 * over each sample's real tokens.
 */
public final class EcgEncoder extends Module {
    /** Token features [B, T, d], the padding they were computed with (null if none), pooled [B, d]. */
    public record Output(Variable tokens, Tensor padding, Variable pooled) {
    }

    private final EcgEncoderConfig config;
    private final LeadTokenizer tokenizer;
    private final TransformerEncoder transformer;

    public EcgEncoder(EcgEncoderConfig config, Generator g) {
        this.config = config;
        this.tokenizer = registerModule("tokenizer", new LeadTokenizer(config, g.fork()));
        this.transformer = registerModule("transformer", new TransformerEncoder(config.transformer(), config.depth(),
                g.fork()));
    }

    public Output forward(Tensor signals, TokenLayout layout) {
        Tensor padding = layout.padding();
        Variable h = transformer.forward(tokenizer.forward(signals, layout), padding);
        return new Output(h, padding, meanOverTokens(h, layout));
    }

    /** Mean over the real (unpadded) tokens of each sample. */
    static Variable meanOverTokens(Variable h, TokenLayout layout) {
        if (layout.padding() == null) {
            return h.mean(1);
        }
        int b = layout.batchSize();
        int t = layout.tokens();
        float[] weights = new float[b * t];
        for (int s = 0; s < b; s++) {
            int n = layout.samples().get(s).tokenCount();
            for (int i = 0; i < n; i++) {
                weights[s * t + i] = 1f / n;
            }
        }
        return h.mul(Variable.constant(Tensor.of(weights, b, t, 1).moveTo(h.data().device()))).sum(1);
    }

    public EcgEncoderConfig config() {
        return config;
    }

    public LeadTokenizer tokenizer() {
        return tokenizer;
    }
}
