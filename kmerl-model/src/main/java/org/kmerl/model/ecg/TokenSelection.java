package org.kmerl.model.ecg;

import java.util.Arrays;
import java.util.List;
import org.kmerl.model.data.Lead;

/**
 * The tokens one sample feeds the encoder: the leads it keeps (standard order) and, for each of
 * them, the patch indices it keeps (ascending). Every lead keeps the same number of patches, so no
 * lead outweighs another in the sequence.
 */
public record TokenSelection(Lead[] leads, int[][] patches) {
    public TokenSelection {
        if (leads.length == 0) {
            throw new IllegalArgumentException("a sample must keep at least one lead");
        }
        if (patches.length != leads.length) {
            throw new IllegalArgumentException(leads.length + " leads but " + patches.length + " patch lists");
        }
        for (int i = 1; i < patches.length; i++) {
            if (patches[i].length != patches[0].length) {
                throw new IllegalArgumentException("lead " + leads[i].label() + " keeps " + patches[i].length
                        + " patches, lead " + leads[0].label() + " " + patches[0].length + ": counts must be equal");
            }
        }
        if (patches[0].length == 0) {
            throw new IllegalArgumentException("a sample must keep at least one patch per lead");
        }
    }

    /** Every patch of the given leads (evaluation: nothing is masked). */
    public static TokenSelection all(List<Lead> leads, int patchesPerLead) {
        Lead[] sorted = leads.stream().sorted().distinct().toArray(Lead[]::new);
        int[] every = new int[patchesPerLead];
        Arrays.setAll(every, i -> i);
        int[][] patches = new int[sorted.length][];
        Arrays.fill(patches, every);
        return new TokenSelection(sorted, patches);
    }

    public int tokenCount() {
        return leads.length * patches[0].length;
    }

    public int patchesPerLead() {
        return patches[0].length;
    }
}
