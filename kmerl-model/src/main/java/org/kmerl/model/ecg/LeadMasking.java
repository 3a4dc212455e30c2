package org.kmerl.model.ecg;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.kmerl.model.data.Lead;

/**
 * K-MERL's two pretraining augmentations, both of which remove tokens (nothing is zero-filled):
 * <ul>
 *   <li><b>dynamic lead masking</b>: a sample keeps all its leads with probability
 *       {@code fullLeadShare}; otherwise {@code k} leads are removed, k drawn uniformly from
 *       {@code removedLeads} (paper: 9, 10 or 11 of 12, so 1 to 3 leads remain);</li>
 *   <li><b>lead-independent segment masking</b>: every remaining lead drops the same number of
 *       patches, {@code round(segmentRatio * M)}, each lead choosing which ones on its own, so all
 *       leads keep equal token counts (paper: ratio 0.25).</li>
 * </ul>
 * With {@code countPerBatch} (the default) the number of removed leads is drawn once per batch and the
 * lead sets per sample, so every sample of a batch has the same token count and no padding is
 * computed; otherwise the count is drawn per sample. The paper does not say which (UNCONFIRMED).
 */
public record LeadMasking(double fullLeadShare, int[] removedLeads, double segmentRatio, boolean countPerBatch) {
    /** Our defaults: a quarter of full 12-lead samples, else 9/10/11 removed; 25% of segments. */
    public static final LeadMasking DEFAULT = new LeadMasking(0.25, new int[] {9, 10, 11}, 0.25, true);
    /** No masking at all (evaluation, or the ablation). */
    public static final LeadMasking NONE = new LeadMasking(1.0, new int[] {0}, 0.0, true);

    public LeadMasking {
        if (!(fullLeadShare >= 0 && fullLeadShare <= 1)) {
            throw new IllegalArgumentException("fullLeadShare must be in [0, 1], got " + fullLeadShare);
        }
        if (removedLeads.length == 0) {
            throw new IllegalArgumentException("removedLeads needs at least one count (use [0] for none)");
        }
        for (int k : removedLeads) {
            if (k < 0 || k > 11) {
                throw new IllegalArgumentException("removedLeads must be between 0 and 11 (one lead always stays), got "
                        + k);
            }
        }
        if (!(segmentRatio >= 0 && segmentRatio < 1)) {
            throw new IllegalArgumentException("segmentRatio must be in [0, 1), got " + segmentRatio);
        }
        removedLeads = removedLeads.clone();
    }

    /** Patches each lead keeps out of {@code patchesPerLead} (at least one). */
    public int keptPatches(int patchesPerLead) {
        return Math.max(1, patchesPerLead - (int) Math.round(segmentRatio * patchesPerLead));
    }

    /**
     * The token selection of every sample of a batch. {@code present} lists each sample's available
     * leads; a sample with fewer leads than the draw asks to keep keeps all of them.
     */
    public List<TokenSelection> draw(List<List<Lead>> present, int patchesPerLead, SplittableRandom rng) {
        int batchRemoved = drawRemoved(rng);
        List<TokenSelection> out = new ArrayList<>(present.size());
        int keep = keptPatches(patchesPerLead);
        for (List<Lead> leads : present) {
            int removed = countPerBatch ? batchRemoved : drawRemoved(rng);
            Lead[] kept = chooseLeads(leads, removed, rng);
            int[][] patches = new int[kept.length][];
            for (int l = 0; l < kept.length; l++) {
                patches[l] = choose(patchesPerLead, keep, rng);
            }
            out.add(new TokenSelection(kept, patches));
        }
        return out;
    }

    private int drawRemoved(SplittableRandom rng) {
        if (rng.nextDouble() < fullLeadShare) {
            return 0;
        }
        return removedLeads[rng.nextInt(removedLeads.length)];
    }

    private static Lead[] chooseLeads(List<Lead> leads, int removed, SplittableRandom rng) {
        Lead[] sorted = leads.stream().sorted().distinct().toArray(Lead[]::new);
        int keep = Math.max(1, Lead.values().length - removed);
        if (keep >= sorted.length) {
            return sorted;
        }
        int[] picked = choose(sorted.length, keep, rng);
        Lead[] out = new Lead[keep];
        for (int i = 0; i < keep; i++) {
            out[i] = sorted[picked[i]];
        }
        return out;
    }

    /** {@code k} distinct values of 0..n-1 in ascending order (a partial Fisher-Yates shuffle). */
    static int[] choose(int n, int k, SplittableRandom rng) {
        int[] pool = new int[n];
        Arrays.setAll(pool, i -> i);
        for (int i = 0; i < k; i++) {
            int j = i + rng.nextInt(n - i);
            int tmp = pool[i];
            pool[i] = pool[j];
            pool[j] = tmp;
        }
        int[] out = Arrays.copyOf(pool, k);
        Arrays.sort(out);
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LeadMasking m && m.fullLeadShare == fullLeadShare && Arrays.equals(m.removedLeads, removedLeads)
                && m.segmentRatio == segmentRatio && m.countPerBatch == countPerBatch;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(removedLeads) * 31 + Double.hashCode(fullLeadShare + segmentRatio) + (countPerBatch ? 1 : 0);
    }

    @Override
    public String toString() {
        return String.format("full-lead share %.2f, removed leads %s, segment ratio %.2f, count per %s", fullLeadShare,
                Arrays.toString(removedLeads), segmentRatio, countPerBatch ? "batch" : "sample");
    }
}
