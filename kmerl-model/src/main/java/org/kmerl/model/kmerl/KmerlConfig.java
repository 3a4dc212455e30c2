package org.kmerl.model.kmerl;

import java.util.Locale;
import org.kmerl.model.ecg.EcgEncoderConfig;
import org.kmerl.model.ecg.LeadMasking;
import org.kmerl.nn.TransformerConfig;

/**
 * Everything that fixes the K-MERL model's architecture and losses. Start from a preset and change
 * what you need; docs/model.md explains each default.
 *
 * @param encoder        the lead-aware ECG encoder
 * @param projectionDim  width of the shared ECG-text space of the contrastive loss
 * @param queryDepth     decoder layers of the cardiac query network (its width and heads are the encoder's)
 * @param textDim        width of the text encoder's embeddings (384 for the embedded all-MiniLM-L6-v2)
 * @param temperature    CLIP temperature (0.07 as in MERL and CLIP's initial value)
 * @param learnTemperature make the temperature a parameter
 * @param clipSum        add the two directions of the CLIP loss (MERL) instead of averaging them
 * @param entityWeight   λ in total = contrastive + λ · entity (1, as in the paper)
 * @param masking        the pretraining augmentations
 */
public record KmerlConfig(EcgEncoderConfig encoder, int projectionDim, int queryDepth, int textDim, float temperature,
                          boolean learnTemperature, boolean clipSum, float entityWeight, LeadMasking masking) {
    public KmerlConfig {
        if (projectionDim <= 0 || queryDepth < 0 || textDim <= 0) {
            throw new IllegalArgumentException("projectionDim and textDim must be positive and queryDepth >= 0, got "
                    + projectionDim + ", " + textDim + ", " + queryDepth);
        }
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("temperature must be positive, got " + temperature);
        }
        if (!(entityWeight >= 0)) {
            throw new IllegalArgumentException("entityWeight must be >= 0, got " + entityWeight);
        }
    }

    /** The named sizes. */
    public enum Preset {
        /** For tests and gradient checks: 2 s, two-layer-wide toy. */
        MICRO(new EcgEncoderConfig(100, 200, 25, 16, 1, 2, 32, 0f, false), 16, 1),
        /** The CPU demo: trains in minutes on two cores. */
        TINY(new EcgEncoderConfig(100, 1000, 25, 128, 4, 4, 512, 0f, false), 128, 1),
        /** The benchmark size: a quarter of a ViT-small's compute per token. */
        SMALL(new EcgEncoderConfig(100, 1000, 25, 256, 6, 4, 1024, 0f, false), 256, 2),
        /** ViT-small scale, as in MERL's and ST-MEM's small models. */
        BASE(new EcgEncoderConfig(100, 1000, 25, 384, 12, 6, 1536, 0f, false), 256, 4);

        private final EcgEncoderConfig encoder;
        private final int projectionDim;
        private final int queryDepth;

        Preset(EcgEncoderConfig encoder, int projectionDim, int queryDepth) {
            this.encoder = encoder;
            this.projectionDim = projectionDim;
            this.queryDepth = queryDepth;
        }

        public KmerlConfig config() {
            return new KmerlConfig(encoder, projectionDim, queryDepth, 384, 0.07f, false, false, 1f, LeadMasking.DEFAULT);
        }

        public static Preset parse(String name) {
            try {
                return valueOf(name.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown preset '" + name + "': use micro, tiny, small or base");
            }
        }
    }

    public static KmerlConfig preset(String name) {
        return Preset.parse(name).config();
    }

    /** The query network's layer sizes (the encoder's width, heads and MLP). */
    public TransformerConfig queryTransformer() {
        return encoder.transformer();
    }

    public KmerlConfig withEncoder(EcgEncoderConfig e) {
        return new KmerlConfig(e, projectionDim, queryDepth, textDim, temperature, learnTemperature, clipSum,
                entityWeight, masking);
    }

    public KmerlConfig withTextDim(int dim) {
        return new KmerlConfig(encoder, projectionDim, queryDepth, dim, temperature, learnTemperature, clipSum,
                entityWeight, masking);
    }

    public KmerlConfig withMasking(LeadMasking m) {
        return new KmerlConfig(encoder, projectionDim, queryDepth, textDim, temperature, learnTemperature, clipSum,
                entityWeight, m);
    }

    public KmerlConfig withEntityWeight(float lambda) {
        return new KmerlConfig(encoder, projectionDim, queryDepth, textDim, temperature, learnTemperature, clipSum,
                lambda, masking);
    }
}
