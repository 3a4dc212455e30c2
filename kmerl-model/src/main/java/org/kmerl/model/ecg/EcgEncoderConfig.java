package org.kmerl.model.ecg;

import org.kmerl.model.data.Lead;
import org.kmerl.nn.TransformerConfig;

/**
 * Sizes of the lead-aware ECG encoder. The input is {@code samples} values per lead at {@code rate}
 * Hz; each lead is cut into {@code samples / patch} non-overlapping patches (tokens).
 *
 * <p>Defaults (all UNCONFIRMED for K-MERL, see docs/model.md): 100 Hz (PTB-XL ships 100 Hz records,
 * and 10 s at 100 Hz keeps the CPU demo fast), 10 s, patches of 25 samples (0.25 s, close to ST-MEM's
 * 0.3 s), so 40 tokens per lead and 480 for all twelve leads.
 *
 * @param sharedProjection one patch projection for all leads (the ablation) instead of one per lead
 */
public record EcgEncoderConfig(double rate, int samples, int patch, int width, int depth, int heads, int mlpDim,
                               float dropout, boolean sharedProjection) {
    public EcgEncoderConfig {
        if (!(rate > 0) || samples <= 0 || patch <= 0) {
            throw new IllegalArgumentException("encoder input needs a positive rate, length and patch size, got rate "
                    + rate + ", samples " + samples + ", patch " + patch);
        }
        if (samples % patch != 0) {
            throw new IllegalArgumentException("encoder length " + samples + " is not a multiple of the patch size "
                    + patch + " (patches do not overlap and none is partial)");
        }
        if (depth <= 0) {
            throw new IllegalArgumentException("encoder depth must be positive, got " + depth);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
        }
        new TransformerConfig(width, heads, mlpDim, dropout, 0f, 1e-5f); // validates width, heads, mlpDim
    }

    /** Patches (tokens) per lead. */
    public int patchesPerLead() {
        return samples / patch;
    }

    /** Tokens when all twelve leads are present and nothing is masked. */
    public int maxTokens() {
        return Lead.values().length * patchesPerLead();
    }

    public TransformerConfig transformer() {
        return TransformerConfig.builder(width, heads).mlpDim(mlpDim).dropout(dropout).build();
    }

    public EcgEncoderConfig withSharedProjection(boolean shared) {
        return new EcgEncoderConfig(rate, samples, patch, width, depth, heads, mlpDim, dropout, shared);
    }

    public EcgEncoderConfig withInput(double newRate, int newSamples, int newPatch) {
        return new EcgEncoderConfig(newRate, newSamples, newPatch, width, depth, heads, mlpDim, dropout, sharedProjection);
    }

    /** Forward FLOPs of the matrix products for one sample with {@code tokens} tokens (the rate unit). */
    public double forwardFlops(int tokens) {
        double t = tokens;
        double perLayer = 2 * t * width * (4.0 * width + 2.0 * mlpDim) + 4 * t * t * width;
        return 2 * t * patch * width + depth * perLayer;
    }
}
