package org.kmerl.model.ecg;

import org.kmerl.autograd.Variable;
import org.kmerl.model.data.Lead;
import org.kmerl.nn.Module;
import org.kmerl.tensor.Generator;
import org.kmerl.tensor.Tensor;

/**
 * Lead-specific tokenization with spatial-temporal embeddings. Patch j of lead l becomes
 * <pre>
 *   token(l, j) = W_l · x_l[j·p : (j+1)·p]  +  spatial[l]  +  temporal[j]
 * </pre>
 * with a projection W_l [p, d] per lead (or one shared W plus a bias, the ablation), a learned vector
 * per lead (where on the body the signal was recorded) and a learned vector per patch index shared by
 * all leads (when in the 10 s it happened). A per-lead bias would duplicate {@code spatial[l]}, so the
 * per-lead projection has none.
 *
 * <p>The table of all 12 × B × M tokens is computed with one batched matrix product and the sequence
 * is gathered from it by the {@link TokenLayout}, so removed leads and patches never enter the
 * sequence (their rows are computed and discarded: the projection is a small share of the step).
 */
public final class LeadTokenizer extends Module {
    private static final int LEADS = Lead.values().length;

    private final int patch;
    private final int patchesPerLead;
    private final int width;
    private final Variable projection;
    private final Variable bias;
    private final Variable spatial;
    private final Variable temporal;

    public LeadTokenizer(EcgEncoderConfig config, Generator g) {
        this.patch = config.patch();
        this.patchesPerLead = config.patchesPerLead();
        this.width = config.width();
        float bound = (float) (1 / Math.sqrt(patch));
        int projections = config.sharedProjection() ? 1 : LEADS;
        // Stored [projections, p, d] so that the token table is one batched product x · W.
        this.projection = registerParameter("projection",
                persistent(() -> g.uniform(-bound, bound, projections, patch, width)));
        this.bias = config.sharedProjection()
                ? registerParameter("bias", persistent(() -> g.uniform(-bound, bound, width)))
                : null;
        this.spatial = registerParameter("spatial", persistent(() -> g.normal(0f, 0.02f, LEADS, width)));
        this.temporal = registerParameter("temporal", persistent(() -> g.normal(0f, 0.02f, patchesPerLead, width)));
    }

    /**
     * Tokens [B, T, d] of {@code signals} [B, 12, M·p] (all twelve leads in standard order; the ones a
     * sample lacks may hold anything, they are never read into the sequence) laid out by {@code layout}.
     */
    public Variable forward(Tensor signals, TokenLayout layout) {
        int b = signals.dim(0);
        if (signals.rank() != 3 || signals.dim(1) != LEADS || signals.dim(2) != patch * patchesPerLead) {
            throw new IllegalArgumentException("tokenizer input must be [B, 12, " + patch * patchesPerLead
                    + "] (12 leads of " + patchesPerLead + " patches of " + patch + " samples), got "
                    + java.util.Arrays.toString(signals.shape()));
        }
        if (layout.batchSize() != b || layout.patchesPerLead() != patchesPerLead) {
            throw new IllegalArgumentException("token layout is for " + layout.batchSize() + " samples of "
                    + layout.patchesPerLead() + " patches per lead, signals have " + b + " samples of "
                    + patchesPerLead);
        }
        Tensor byLead;
        try (Tensor patches = signals.reshape(b, LEADS, patchesPerLead, patch);
             Tensor leadMajor = patches.permute(1, 0, 2, 3)) {
            byLead = leadMajor.contiguous().reshape(LEADS, b * patchesPerLead, patch);
        }
        Variable table = Variable.constant(byLead).matmul(projection);            // [12, B*M, d]
        if (bias != null) {
            table = table.add(bias);
        }
        table = table.reshape(LEADS, b, patchesPerLead, width)
                .add(spatial.reshape(LEADS, 1, 1, width))
                .add(temporal.reshape(1, 1, patchesPerLead, width))
                .reshape(LEADS * b * patchesPerLead, width);
        Tensor rows = layout.index().reshape(b * layout.tokens());
        return table.indexSelect(0, rows).reshape(b, layout.tokens(), width);
    }
}
