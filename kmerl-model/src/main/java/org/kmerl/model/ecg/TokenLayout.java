package org.kmerl.model.ecg;

import java.util.List;
import org.kmerl.tensor.Device;
import org.kmerl.tensor.Tensor;

/**
 * Where each sample's tokens come from, as tensors the encoder can use. The tokenizer computes a table
 * of every (lead, sample, patch) token laid out [12, B, M]; {@link #index()} [B, T] holds, for each
 * sequence position, the row of that table (lead-major: all kept patches of the first kept lead, then
 * the next lead, ...). Samples with fewer than T tokens are padded: their extra positions point at row
 * 0 and are flagged in {@link #padding()} (non-zero = padding), which attention and pooling honour.
 * Removed leads and patches have no row in the index, so they cannot reach the output.
 */
public final class TokenLayout implements AutoCloseable {
    private final List<TokenSelection> samples;
    private final int patchesPerLead;
    private final int tokens;
    private final Tensor index;
    private final Tensor padding;

    private TokenLayout(List<TokenSelection> samples, int patchesPerLead, int tokens, Tensor index, Tensor padding) {
        this.samples = samples;
        this.patchesPerLead = patchesPerLead;
        this.tokens = tokens;
        this.index = index;
        this.padding = padding;
    }

    public static TokenLayout of(List<TokenSelection> samples, int patchesPerLead, Device device) {
        int b = samples.size();
        int t = samples.stream().mapToInt(TokenSelection::tokenCount).max().orElseThrow(
                () -> new IllegalArgumentException("a batch needs at least one sample"));
        int[] idx = new int[b * t];
        float[] pad = new float[b * t];
        boolean padded = false;
        for (int s = 0; s < b; s++) {
            TokenSelection sel = samples.get(s);
            int pos = 0;
            for (int l = 0; l < sel.leads().length; l++) {
                int lead = sel.leads()[l].ordinal();
                for (int patch : sel.patches()[l]) {
                    if (patch < 0 || patch >= patchesPerLead) {
                        throw new IllegalArgumentException("sample " + s + " lead " + sel.leads()[l].label() + ": patch "
                                + patch + " outside 0.." + (patchesPerLead - 1));
                    }
                    idx[s * t + pos++] = (lead * b + s) * patchesPerLead + patch;
                }
            }
            for (; pos < t; pos++) {
                pad[s * t + pos] = 1f;
                padded = true;
            }
        }
        Tensor index = Tensor.ofInts(idx, b, t);
        Tensor padding = padded ? Tensor.of(pad, b, t) : null;        return new TokenLayout(List.copyOf(samples), patchesPerLead, t, index.moveTo(device),
                padding == null ? null : padding.moveTo(device));
    }

    public int batchSize() {
        return samples.size();
    }

    /** Sequence length T (the longest sample's token count). */
    public int tokens() {
        return tokens;
    }

    public int patchesPerLead() {
        return patchesPerLead;
    }

    /** int32 [B, T]: rows of the [12 * B * M, d] token table. */
    public Tensor index() {
        return index;
    }

    /** [B, T] with 1 at padded positions, or null when every sample has T tokens. */
    public Tensor padding() {
        return padding;
    }

    public List<TokenSelection> samples() {
        return samples;
    }

    @Override
    public void close() {
        index.close();
        if (padding != null) {
            padding.close();
        }
    }
}
