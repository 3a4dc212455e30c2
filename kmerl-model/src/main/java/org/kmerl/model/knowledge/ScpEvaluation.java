package org.kmerl.model.knowledge;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.kmerl.model.data.ptbxl.PtbXl;
import org.kmerl.model.data.ptbxl.PtbXlRecord;
import org.kmerl.model.data.ptbxl.ScpStatement;

/**
 * Scores extracted entities against the SCP-ECG statements that PTB-XL's cardiologists assigned: each
 * entity maps to its vocabulary SCP codes (the entity itself, not its ancestors, so "incomplete right
 * bundle branch block" never counts as a complete one), and every code in a record's {@code scp_codes}
 * is a positive, whatever its likelihood. The "Edit: ..." notes at the end of some reports (which
 * repeat the cardiologists' codes) are removed first.
 */
public final class ScpEvaluation {
    /** The statements that the report text states explicitly (issue 6's first target group). */
    public static final List<String> EXPLICIT = List.of("SR", "NORM", "ABQRS", "AFIB", "STACH", "SBRAD", "SARRH",
            "SVARR", "PACE", "VCLVH", "STD_", "LPR", "PAC", "LOWT", "NT_", "INVT", "QWAVE", "CLBBB", "PVC", "DIG", "BIGU",
            "EL");

    public record Score(String code, int support, int tp, int fp, int fn) {
        public double precision() {
            return tp + fp == 0 ? 0 : (double) tp / (tp + fp);
        }

        public double recall() {
            return support == 0 ? 0 : (double) tp / support;
        }

        public double f1() {
            double p = precision();
            double r = recall();
            return p + r == 0 ? 0 : 2 * p * r / (p + r);
        }
    }

    /** A missed or spurious statement with the report that shows it. */
    public record Example(String code, boolean missed, int ecgId, String report) {
    }

    public record Result(Map<String, Score> statements, Map<String, Score> superclasses, List<Example> examples) {
        public double macroF1(List<String> codes) {
            return codes.stream().filter(statements::containsKey).mapToDouble(c -> statements.get(c).f1()).average()
                    .orElse(0);
        }

        /** Statements with at least {@code min} positives. */
        public List<String> frequent(int min) {
            return statements.values().stream().filter(s -> s.support() >= min).map(Score::code).toList();
        }
    }

    private ScpEvaluation() {
    }

    /** Removes the trailing "Edit: ..." note (the cardiologists' codes written into the text). */
    public static String stripEditNote(String report) {
        int i = report.toLowerCase(Locale.ROOT).indexOf("edit:");
        return i < 0 ? report : report.substring(0, i);
    }

    public static Result evaluate(PtbXl ptbxl, EntityExtractor extractor, boolean includeUncertain) {
        Map<String, int[]> counts = new TreeMap<>();   // code -> {support, tp, fp}
        Map<String, int[]> superCounts = new TreeMap<>();
        Map<String, String> superclassOf = new LinkedHashMap<>();
        for (ScpStatement s : ptbxl.statements().values()) {
            counts.put(s.code(), new int[3]);
            if (s.diagnosticClass() != null && !s.diagnosticClass().isEmpty()) {
                superclassOf.put(s.code(), s.diagnosticClass());
                superCounts.putIfAbsent(s.diagnosticClass(), new int[3]);
            }
        }
        List<Example> examples = new ArrayList<>();
        for (PtbXlRecord r : ptbxl.records()) {
            Set<String> predicted = new LinkedHashSet<>();
            for (String id : extractor.labels(stripEditNote(r.report()), includeUncertain, false)) {
                predicted.addAll(extractor.vocabulary().get(id).scp());
            }
            Set<String> gold = r.scpCodes().keySet();
            tally(counts, gold, predicted, r, examples);
            tally(superCounts, classes(gold, superclassOf), classes(predicted, superclassOf), null, null);
        }
        return new Result(scores(counts), scores(superCounts), examples);
    }

    private static Set<String> classes(Set<String> codes, Map<String, String> superclassOf) {
        Set<String> out = new LinkedHashSet<>();
        for (String c : codes) {
            String s = superclassOf.get(c);
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }

    private static void tally(Map<String, int[]> counts, Set<String> gold, Set<String> predicted, PtbXlRecord r,
                              List<Example> examples) {
        for (Map.Entry<String, int[]> e : counts.entrySet()) {
            boolean g = gold.contains(e.getKey());
            boolean p = predicted.contains(e.getKey());
            int[] c = e.getValue();
            if (g) {
                c[0]++;
            }
            if (g && p) {
                c[1]++;
            } else if (p) {
                c[2]++;
            }
            if (examples != null && g != p) {
                examples.add(new Example(e.getKey(), g, r.ecgId(), r.report()));
            }
        }
    }

    private static Map<String, Score> scores(Map<String, int[]> counts) {
        Map<String, Score> out = new LinkedHashMap<>();
        counts.entrySet().stream().sorted(Comparator.comparing(e -> -e.getValue()[0])).forEach(e -> {
            int[] c = e.getValue();
            out.put(e.getKey(), new Score(e.getKey(), c[0], c[1], c[2], c[0] - c[1]));
        });
        return out;
    }

    /** The markdown report: the targets, every statement, the superclasses, and examples of misses. */
    public static String markdown(Result r, int examplesPerStatement) {
        StringBuilder b = new StringBuilder();
        List<String> frequent = r.frequent(50);
        b.append(String.format(Locale.ROOT, "| group | statements | macro F1 |%n|---|---|---|%n"));
        b.append(String.format(Locale.ROOT, "| stated explicitly in the text | %d | %.3f |%n", EXPLICIT.size(),
                r.macroF1(EXPLICIT)));
        b.append(String.format(Locale.ROOT, "| all statements with >= 50 positives | %d | %.3f |%n", frequent.size(),
                r.macroF1(frequent)));
        b.append(String.format(Locale.ROOT, "| superclasses (NORM, MI, STTC, CD, HYP) | %d | %.3f |%n%n",
                r.superclasses().size(), r.superclasses().values().stream().mapToDouble(Score::f1).average().orElse(0)));
        b.append("| statement | positives | precision | recall | F1 | explicit |\n|---|---|---|---|---|---|\n");
        for (Score s : r.statements().values()) {
            b.append(String.format(Locale.ROOT, "| %s | %d | %.3f | %.3f | %.3f | %s |%n", s.code(), s.support(),
                    s.precision(), s.recall(), s.f1(), EXPLICIT.contains(s.code()) ? "yes" : ""));
        }
        b.append("\n| superclass | positives | precision | recall | F1 |\n|---|---|---|---|---|\n");
        for (Score s : r.superclasses().values()) {
            b.append(String.format(Locale.ROOT, "| %s | %d | %.3f | %.3f | %.3f |%n", s.code(), s.support(), s.precision(),
                    s.recall(), s.f1()));
        }
        if (examplesPerStatement > 0) {
            b.append("\nExamples of misses (FN: the cardiologists coded it, the text-based extraction did not;"
                    + " FP: the other way round):\n\n");
            for (String code : EXPLICIT) {
                int n = 0;
                for (Example e : r.examples()) {
                    if (e.code().equals(code) && n < examplesPerStatement) {
                        b.append(String.format("- %s %s, ecg_id %d: \"%s\"%n", code, e.missed() ? "FN" : "FP", e.ecgId(),
                                e.report().strip().replaceAll("\\s+", " ")));
                        n++;
                    }
                }
            }
        }
        return b.toString();
    }
}
