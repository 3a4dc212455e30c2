package org.kmerl.nn;

/**
 * Sizes and regularisation of a transformer layer. Build with {@link #builder(int, int)}:
 * <pre>{@code TransformerConfig.builder(256, 4).mlpDim(1024).dropout(0.1f).build()}</pre>
 */
public record TransformerConfig(int dModel, int heads, int mlpDim, float dropout, float attentionDropout,
                                float layerNormEps) {
    public TransformerConfig {
        if (dModel <= 0 || heads <= 0 || mlpDim <= 0) {
            throw new IllegalArgumentException("transformer sizes must be positive: dModel=" + dModel + ", heads="
                    + heads + ", mlpDim=" + mlpDim);
        }
        if (dModel % heads != 0) {
            throw new IllegalArgumentException("dModel " + dModel + " is not divisible by " + heads + " heads");
        }
    }

    public static Builder builder(int dModel, int heads) {
        return new Builder(dModel, heads);
    }

    /** Defaults: MLP 4 x dModel, no dropout, layer-norm epsilon 1e-5 (PyTorch's). */
    public static final class Builder {
        private final int dModel;
        private final int heads;
        private int mlpDim;
        private float dropout;
        private float attentionDropout;
        private float layerNormEps = 1e-5f;

        private Builder(int dModel, int heads) {
            this.dModel = dModel;
            this.heads = heads;
            this.mlpDim = 4 * dModel;
        }

        public Builder mlpDim(int mlpDim) {
            this.mlpDim = mlpDim;
            return this;
        }

        /** Dropout after attention and in the MLP. */
        public Builder dropout(float dropout) {
            this.dropout = dropout;
            return this;
        }

        /** Dropout on the attention probabilities. */
        public Builder attentionDropout(float attentionDropout) {
            this.attentionDropout = attentionDropout;
            return this;
        }

        public Builder layerNormEps(float eps) {
            this.layerNormEps = eps;
            return this;
        }

        public TransformerConfig build() {
            return new TransformerConfig(dModel, heads, mlpDim, dropout, attentionDropout, layerNormEps);
        }
    }
}
