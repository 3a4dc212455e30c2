package org.kmerl.model.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.kmerl.tensor.io.AtomicFiles;

/** Writes an evaluation's {@code results.json} (everything) and {@code results.md} (the tables a reader wants). */
public final class EvalReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private EvalReport() {
    }

    /**
     * @param kind   zeroshot, probe or leads
     * @param header what was evaluated, on what, how (checkpoint, data, command line...), in order
     */
    public static void write(Path dir, String kind, Map<String, String> header, List<Evaluator.Row> rows,
                             List<Path> plots) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("kind", kind);
        header.forEach(root::put);
        root.put("bootstrap", TaskScores.ROUNDS + " resamples of the test records, " + Math.round(TaskScores.LEVEL * 100)
                + "% percentile interval");
        ArrayNode results = root.putArray("results");
        for (Evaluator.Row r : rows) {
            ObjectNode n = results.addObject();
            n.put("view", r.view());
            n.put("method", r.method());
            n.put("setting", r.setting());
            TaskScores s = r.scores();
            n.put("task", s.task());
            n.put("test_records", s.testRecords());
            number(n, "macro_auroc", s.macroAuroc());
            number(n, "macro_auroc_low", s.macroLow());
            number(n, "macro_auroc_high", s.macroHigh());
            number(n, "macro_f1", s.macroF1());
            ArrayNode classes = n.putArray("classes");
            for (TaskScores.ClassScore c : s.classes()) {
                ObjectNode cn = classes.addObject();
                cn.put("code", c.code());
                cn.put("text", c.text());
                cn.put("test_positives", c.positives());
                number(cn, "auroc", c.auroc());
                number(cn, "auroc_low", c.low());
                number(cn, "auroc_high", c.high());
                number(cn, "threshold", c.threshold());
                number(cn, "f1", c.f1());
            }
            ArrayNode excluded = n.putArray("excluded");
            s.excluded().forEach(excluded::add);
        }
        ArrayNode p = root.putArray("plots");
        plots.forEach(x -> p.add(dir.relativize(x).toString()));
        AtomicFiles.write(dir.resolve("results.json"), out -> out.write(JSON.writeValueAsBytes(root)));
        AtomicFiles.write(dir.resolve("results.md"), out -> out.write(markdown(kind, header, rows, plots, dir)
                .getBytes(StandardCharsets.UTF_8)));
    }

    private static void number(ObjectNode n, String key, double v) {
        if (Double.isFinite(v)) {
            n.put(key, v);
        } else {
            n.putNull(key);
        }
    }

    static String markdown(String kind, Map<String, String> header, List<Evaluator.Row> rows, List<Path> plots, Path dir) {
        StringBuilder md = new StringBuilder("# kmerl eval " + kind + "\n\n");
        header.forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
        md.append("- metrics: macro AUROC over the classes with positives and negatives in the test split, ")
                .append(TaskScores.ROUNDS).append("-resample bootstrap 95% interval; F1 at the threshold that maximised F1 ")
                .append("on the validation split\n\n");
        if (kind.equals("leads")) {
            md.append(leadTable(rows, Evaluator.QUERY)).append('\n').append(leadTable(rows, Evaluator.SIMILARITY)).append('\n');
        }
        md.append("| leads | task | method | setting | macro AUROC [95% CI] | macro F1 | classes scored | not scored |\n");
        md.append("|---|---|---|---|---|---|---|---|\n");
        for (Evaluator.Row r : rows) {
            TaskScores s = r.scores();
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %d | %d |%n", r.view(), s.task(), r.method(),
                    r.setting(), withInterval(s.macroAuroc(), s.macroLow(), s.macroHigh()), fmt(s.macroF1()),
                    s.classes().size(), s.excluded().size()));
        }
        if (!kind.equals("leads")) {
            for (Evaluator.Row r : rows) {
                if (r.method().equals("linear probe") && !r.setting().startsWith("100%")) {
                    continue;
                }
                TaskScores s = r.scores();
                md.append(String.format(Locale.ROOT, "%n### %s, %s, %s (leads: %s)%n%n", s.task(), r.method(),
                        r.setting(), r.view()));
                md.append("| class | text | test positives | AUROC [95% CI] | threshold (validation) | F1 (test) |\n");
                md.append("|---|---|---|---|---|---|\n");
                for (TaskScores.ClassScore c : s.classes()) {
                    md.append(String.format(Locale.ROOT, "| %s | %s | %d | %s | %s | %s |%n", c.code(), c.text(), c.positives(),
                            withInterval(c.auroc(), c.low(), c.high()), fmt(c.threshold()), fmt(c.f1())));
                }
                if (!s.excluded().isEmpty()) {
                    md.append("\nNot scored: ").append(String.join("; ", s.excluded())).append('\n');
                }
            }
        }
        if (!plots.isEmpty()) {
            md.append("\n## ROC curves\n\n");
            plots.forEach(p -> md.append("![").append(p.getFileName()).append("](").append(dir.relativize(p)).append(")\n"));
        }
        return md.toString();
    }

    /** Views down, tasks across: macro AUROC of one method. */
    private static String leadTable(List<Evaluator.Row> rows, String method) {
        LinkedHashSet<String> tasks = new LinkedHashSet<>();
        Map<String, Map<String, String>> byView = new LinkedHashMap<>();
        for (Evaluator.Row r : rows) {
            if (r.method().equals(method)) {
                tasks.add(r.scores().task());
                byView.computeIfAbsent(r.view(), v -> new LinkedHashMap<>()).put(r.scores().task(),
                        withInterval(r.scores().macroAuroc(), r.scores().macroLow(), r.scores().macroHigh()));
            }
        }
        List<String> t = new ArrayList<>(tasks);
        StringBuilder md = new StringBuilder("Zero-shot macro AUROC through the " + method + " by lead view:\n\n| leads |");
        t.forEach(x -> md.append(' ').append(x).append(" |"));
        md.append("\n|---|").append("---|".repeat(t.size())).append('\n');
        byView.forEach((view, cells) -> {
            md.append("| ").append(view).append(" |");
            t.forEach(x -> md.append(' ').append(cells.getOrDefault(x, "-")).append(" |"));
            md.append('\n');
        });
        return md.toString();
    }

    static String withInterval(double v, double lo, double hi) {
        if (!Double.isFinite(v)) {
            return "-";
        }
        return Double.isFinite(lo) ? String.format(Locale.ROOT, "%.3f [%.3f, %.3f]", v, lo, hi) : fmt(v);
    }

    static String fmt(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.3f", v) : "-";
    }
}
