package org.kmerl.tensor.backend;

/**
 * Scalar settings of scaled-dot-product attention: the logit scale (usually 1/sqrt(D)) and
 * attention dropout with probability {@code dropout}, whose keep mask is a pure function of
 * ({@code seed}, {@code offset}, element index) so that backward recomputes it instead of storing it.
 */
public record AttentionConfig(float scale, float dropout, long seed, long offset) {
    public AttentionConfig {
        if (!(dropout >= 0f && dropout < 1f)) {
            throw new IllegalArgumentException("attention dropout must be in [0, 1), got " + dropout);
        }
    }

    public static AttentionConfig noDropout(float scale) {
        return new AttentionConfig(scale, 0f, 0L, 0L);
    }
}
