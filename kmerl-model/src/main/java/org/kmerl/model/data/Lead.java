package org.kmerl.model.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The twelve standard ECG leads, in the standard order. Names from files are matched without regard
 * to case and to common spellings ("avr", "AVR", "aVR", "lead II", "ii", "V 1"); note that MIMIC-IV-ECG
 * stores aVF before aVL, which is why records are always reordered by name, never by position.
 */
public enum Lead {
    I("I"), II("II"), III("III"), AVR("aVR"), AVL("aVL"), AVF("aVF"), V1("V1"), V2("V2"), V3("V3"), V4("V4"),
    V5("V5"), V6("V6");

    private final String label;

    Lead(String label) {
        this.label = label;
    }

    /** The conventional spelling (aVR, V1, ...). */
    public String label() {
        return label;
    }

    /** The lead a file calls {@code name}, or null when it is not one of the twelve. */
    public static Lead parseOrNull(String name) {
        String n = name.strip().toUpperCase(Locale.ROOT).replace(" ", "").replace("_", "").replace("-", "");
        if (n.startsWith("LEAD")) {
            n = n.substring(4);
        }
        for (Lead lead : values()) {
            if (lead.label.toUpperCase(Locale.ROOT).equals(n)) {
                return lead;
            }
        }
        return null;
    }

    public static Lead parse(String name) {
        Lead lead = parseOrNull(name);
        if (lead == null) {
            throw new IllegalArgumentException("'" + name + "' is not one of the 12 standard leads (I, II, III, aVR, "
                    + "aVL, aVF, V1-V6)");
        }
        return lead;
    }

    /** Parses a comma-separated list ("I,II,V1") or a preset: all, limb, chest, I, II, I+II, 3-lead (I, II, V1). */
    public static List<Lead> parseList(String text) {
        switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "all", "12":
                return List.of(values());
            case "limb":
                return List.of(I, II, III, AVR, AVL, AVF);
            case "chest", "precordial":
                return List.of(V1, V2, V3, V4, V5, V6);
            case "i+ii":
                return List.of(I, II);
            case "3-lead", "3":
                return List.of(I, II, V1);
            default:
                List<Lead> leads = new ArrayList<>();
                for (String part : text.split(",")) {
                    Lead lead = parse(part);
                    if (leads.contains(lead)) {
                        throw new IllegalArgumentException("lead " + lead.label + " is listed twice in '" + text + "'");
                    }
                    leads.add(lead);
                }
                return List.copyOf(leads);
        }
    }
}
