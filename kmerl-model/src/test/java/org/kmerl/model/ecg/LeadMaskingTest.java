package org.kmerl.model.ecg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.kmerl.model.data.Lead;

class LeadMaskingTest {
    static final int M = 40;
    static final List<Lead> ALL = List.of(Lead.values());

    @Test
    void everyLeadKeepsTheSameNumberOfDistinctPatchesAndOneToThreeOrTwelveLeadsRemain() {
        SplittableRandom rng = new SplittableRandom(1);
        int full = 0;
        int samples = 0;
        Set<Integer> leadCounts = new HashSet<>();
        for (int batch = 0; batch < 500; batch++) {
            List<TokenSelection> sel = LeadMasking.DEFAULT.draw(Collections.nCopies(8, ALL), M, rng);
            int tokens = sel.get(0).tokenCount();
            for (TokenSelection s : sel) {
                assertEquals(tokens, s.tokenCount(), "per-batch count: every sample has the same token count");
                int kept = s.leads().length;
                leadCounts.add(kept);
                assertTrue(kept == 12 || (kept >= 1 && kept <= 3), "kept " + kept + " leads");
                assertEquals(kept, Set.of(s.leads()).size(), "leads are distinct");
                for (int[] p : s.patches()) {
                    assertEquals(30, p.length, "25% of 40 patches removed in every lead");
                    for (int i = 0; i < p.length; i++) {
                        assertTrue(p[i] >= 0 && p[i] < M && (i == 0 || p[i] > p[i - 1]), "ascending distinct patches");
                    }
                }
                full += kept == 12 ? 1 : 0;
                samples++;
            }
        }
        assertEquals(Set.of(1, 2, 3, 12), leadCounts);
        double share = full / (double) samples;
        assertTrue(Math.abs(share - 0.25) < 0.06, "full 12-lead share " + share + " should be about 0.25");
    }

    @Test
    void leadsChooseTheirSegmentsIndependently() {
        List<TokenSelection> sel = LeadMasking.DEFAULT.draw(List.of(ALL), M, new SplittableRandom(3));
        TokenSelection s = sel.get(0);
        Set<String> distinct = new HashSet<>();
        for (int[] p : s.patches()) {
            distinct.add(java.util.Arrays.toString(p));
        }
        assertTrue(distinct.size() > 1, "different leads should drop different segments");
    }

    @Test
    void perSampleCountsVaryWithinABatchAndMissingLeadsAreNeverChosen() {
        LeadMasking perSample = new LeadMasking(0.25, new int[] {9, 10, 11}, 0.25, false);
        List<Lead> limb = List.of(Lead.I, Lead.II, Lead.III, Lead.AVR, Lead.AVL, Lead.AVF);
        Set<Integer> counts = new HashSet<>();
        for (TokenSelection s : perSample.draw(Collections.nCopies(64, limb), M, new SplittableRandom(5))) {
            counts.add(s.tokenCount());
            for (Lead l : s.leads()) {
                assertTrue(limb.contains(l), l + " is not among the sample's leads");
            }
        }
        assertTrue(counts.size() > 1, "per-sample draws give different token counts: " + counts);
    }

    @Test
    void noneKeepsEverything() {
        TokenSelection s = LeadMasking.NONE.draw(List.of(ALL), M, new SplittableRandom(1)).get(0);
        assertEquals(12 * M, s.tokenCount());
    }

    @Test
    void badSettingsAreRefusedWithTheirName() {
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new LeadMasking(0.2, new int[] {12}, 0.25, true)).getMessage().contains("removedLeads"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new LeadMasking(0.2, new int[] {9}, 1.0, true)).getMessage().contains("segmentRatio"));
    }
}
