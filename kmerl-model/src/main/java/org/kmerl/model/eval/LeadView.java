package org.kmerl.model.eval;

import java.util.List;
import java.util.Locale;
import org.kmerl.model.data.Lead;

/**
 * Which leads the encoder sees. K-MERL's way: only the tokens of {@code leads} (a record's other leads
 * simply are not there). The baseline of prior work ({@code zeroFill}): all 12 leads' tokens, the
 * missing leads' signals set to zero.
 */
public record LeadView(String name, List<Lead> leads, boolean zeroFill) {
    public LeadView {
        leads = List.copyOf(leads);
        if (leads.isEmpty()) {
            throw new IllegalArgumentException("lead view " + name + " has no leads");
        }
    }

    /** The presets of the partial-lead table: all 12, limb, chest, I, II, I+II, 3-lead. */
    public static final List<String> PRESETS = List.of("all", "limb", "chest", "I", "II", "I+II", "3-lead");

    /** A preset name or a comma-separated lead list ({@link Lead#parseList}). */
    public static LeadView parse(String text, boolean zeroFill) {
        return new LeadView(text.strip(), Lead.parseList(text), zeroFill);
    }

    public boolean all() {
        return leads.size() == Lead.values().length;
    }

    /** For file names and JSON keys: "limb", "limb-zero-filled", "I_II_V1". */
    public String key() {
        String base = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9+-]+", "_");
        return zeroFill && !all() ? base + "-zero-filled" : base;
    }

    public String label() {
        return zeroFill && !all() ? name + " (zero-filled)" : name;
    }
}
