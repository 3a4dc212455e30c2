package org.kmerl.model.knowledge;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds vocabulary entities in report text: every phrase of every entity is put in a token trie and
 * each clause is scanned for the longest match at each position. A mention is then NEGATED or
 * UNCERTAIN when a cue governs it: cues before a mention reach the mentions starting within
 * {@link #PRE_WINDOW} tokens after them in the same clause ("no st elevation", "kein ...", "verdacht auf ...",
 * "possible ..."); cues after a mention reach the one ending at most {@link #POST_WINDOW} tokens before
 * them ("... infarkt möglich", "... cannot be excluded"). Cue lists cover English, German and Swedish.
 * Whether uncertain mentions count is the caller's choice ({@link #labels}).
 */
public final class EntityExtractor {
    static final int PRE_WINDOW = 6;
    static final int POST_WINDOW = 3;

    private static final List<String> PRE_NEGATION = List.of("no", "not", "without", "absence of", "negative for",
            "free of", "kein", "keine", "keinen", "keiner", "keinem", "ohne", "kein hinweis auf", "keine zeichen",
            "ingen", "inga", "utan", "ej");
    private static final List<String> POST_NEGATION = List.of("excluded", "ruled out", "absent", "not present",
            "not seen", "ausgeschlossen", "uteslutet", "uteslutas");
    private static final List<String> PRE_UNCERTAIN = List.of("possible", "possibly", "probable", "probably", "likely",
            "consider", "suggest", "suggests", "suggestive of", "suggesting", "suspected", "suspicion of", "may be",
            "might be", "could be", "cannot rule out", "cannot exclude", "borderline", "questionable", "query",
            "verdacht auf", "v a", "moglicherweise", "fraglich", "fraglicher", "fragliche", "eventuell",
            "misstankt", "sannolikt", "mojlig", "mojligen", "tveksam");
    private static final List<String> POST_UNCERTAIN = List.of("moglich", "mogl", "nicht auszuschliessen",
            "nicht sicher auszuschliessen", "cannot be excluded", "cannot be entirely excluded", "cannot be ruled out",
            "is possible", "is likely", "is suspected", "bor overvagas", "kan ej uteslutas", "kan inte uteslutas",
            "wahrscheinlich");
    /** Phrases that contain a cue word but are not cues ("probably old" dates an infarct, it does not doubt it). */
    private static final List<String> NOT_CUES = List.of("wahrscheinlich alt", "sannolikt aldre", "probably old",
            "mogl akut", "no definite pathology", "otherwise no definite pathology", "not evident");

    /** A token trie: children by token, and the entity ending here (if any). */
    private static final class Node {
        final Map<String, Node> next = new HashMap<>();
        String entity;
        String cue;
    }

    private final Vocabulary vocabulary;
    private final Node entities = new Node();
    private final Node cues = new Node();

    public EntityExtractor(Vocabulary vocabulary) {
        this.vocabulary = vocabulary;
        for (Entity e : vocabulary.entities()) {
            add(entities, e.name(), e.id(), null);
            e.synonyms().values().forEach(list -> list.forEach(p -> add(entities, p, e.id(), null)));
        }
        PRE_NEGATION.forEach(c -> add(cues, c, null, "pre-neg"));
        POST_NEGATION.forEach(c -> add(cues, c, null, "post-neg"));
        PRE_UNCERTAIN.forEach(c -> add(cues, c, null, "pre-unc"));
        POST_UNCERTAIN.forEach(c -> add(cues, c, null, "post-unc"));
        NOT_CUES.forEach(c -> add(cues, c, null, "none"));
    }

    public Vocabulary vocabulary() {
        return vocabulary;
    }

    private static void add(Node root, String phrase, String entity, String cue) {
        List<String> tokens = TextNormalizer.tokens(phrase);
        if (tokens.isEmpty()) {
            return;
        }
        Node n = root;
        for (String t : tokens) {
            n = n.next.computeIfAbsent(t, k -> new Node());
        }
        if (entity != null && n.entity == null) {   // the first entity to claim a phrase keeps it
            n.entity = entity;
        }
        if (cue != null) {
            n.cue = cue;
        }
    }

    /** The longest phrase of {@code root} starting at {@code i}: {end, node} or null. */
    private static Object[] longest(Node root, List<String> tokens, int i, boolean wantCue) {
        Node n = root;
        Object[] best = null;
        for (int j = i; j < tokens.size(); j++) {
            n = n.next.get(tokens.get(j));
            if (n == null) {
                break;
            }
            if (wantCue ? n.cue != null : n.entity != null) {
                best = new Object[] {j + 1, n};
            }
        }
        return best;
    }

    private record Cue(String kind, int start, int end) {
    }

    /** Every mention in {@code text}, in order. */
    public List<Mention> mentions(String text) {
        List<Mention> out = new ArrayList<>();
        List<List<String>> clauses = TextNormalizer.clauses(text);
        for (int c = 0; c < clauses.size(); c++) {
            List<String> tokens = clauses.get(c);
            List<Cue> cueList = new ArrayList<>();
            for (int i = 0; i < tokens.size(); ) {
                Object[] m = longest(cues, tokens, i, true);
                if (m != null) {
                    cueList.add(new Cue(((Node) m[1]).cue, i, (int) m[0]));
                    i = (int) m[0];
                } else {
                    i++;
                }
            }
            List<int[]> spans = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < tokens.size(); ) {
                Object[] m = longest(entities, tokens, i, false);
                if (m != null && !insideCue(cueList, i, (int) m[0])) {
                    spans.add(new int[] {i, (int) m[0]});
                    ids.add(((Node) m[1]).entity);
                    i = (int) m[0];
                } else {
                    i++;
                }
            }
            for (int k = 0; k < spans.size(); k++) {
                int s = spans.get(k)[0];
                int e = spans.get(k)[1];
                Mention.Certainty certainty = Mention.Certainty.ASSERTED;
                for (Cue cue : cueList) {
                    boolean pre = cue.kind.startsWith("pre") && cue.end <= s && s - cue.end < PRE_WINDOW;
                    boolean post = cue.kind.startsWith("post") && cue.start >= e && cue.start - e < POST_WINDOW;
                    if (pre || post) {
                        if (cue.kind.endsWith("neg")) {
                            certainty = Mention.Certainty.NEGATED;
                        } else if (certainty == Mention.Certainty.ASSERTED) {
                            certainty = Mention.Certainty.UNCERTAIN;
                        }
                    }
                }
                out.add(new Mention(ids.get(k), c, s, e, certainty));
            }
        }
        return out;
    }

    /** An entity phrase made only of cue words ("no definite pathology" is both) is still an entity. */
    private static boolean insideCue(List<Cue> cues, int s, int e) {
        for (Cue c : cues) {
            if (!c.kind.equals("none") && c.start <= s && e <= c.end) {
                return true;
            }
        }
        return false;
    }

    /** Findings that a normal ECG may have: with a sinus rhythm and nothing else, the ECG is normal. */
    private static final Set<String> NORMAL_COMPATIBLE = Set.of("sinus_rhythm", "sinus_arrhythmia", "sinus_bradycardia",
            "sinus_tachycardia", "normal_axis", "horizontal_axis", "unconfirmed_report", "normal_ecg", "regular_rhythm");
    private static final Set<String> SINUS = Set.of("sinus_rhythm", "sinus_arrhythmia", "sinus_bradycardia",
            "sinus_tachycardia");

    /**
     * The entities a report asserts (with {@code includeUncertain}, also the hedged ones), each with all
     * its ancestors when {@code rollUp}. A report that states a sinus rhythm and no abnormal finding at all
     * also gets "normal ECG" (machine reports often leave the verdict implicit).
     */
    public Set<String> labels(String text, boolean includeUncertain, boolean rollUp) {
        Set<String> out = new LinkedHashSet<>();
        boolean anything = false;
        for (Mention m : mentions(text)) {
            anything |= m.certainty() != Mention.Certainty.NEGATED;
            if (m.certainty() == Mention.Certainty.ASSERTED
                    || (includeUncertain && m.certainty() == Mention.Certainty.UNCERTAIN)) {
                out.add(m.entity());
            }
        }
        if (anything && out.stream().anyMatch(SINUS::contains) && NORMAL_COMPATIBLE.containsAll(out)
                && vocabulary.get("normal_ecg") != null) {
            out.add("normal_ecg");
        }
        if (rollUp) {
            for (String id : List.copyOf(out)) {
                out.addAll(vocabulary.ancestors(id));
            }
        }
        return out;
    }
}
