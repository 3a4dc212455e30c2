package org.kmerl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.kmerl.model.data.ptbxl.PtbXl;
import org.kmerl.model.data.synth.SyntheticDataset;
import org.kmerl.model.data.synth.SyntheticEcg;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The whole pipeline in one command, as the other commands run it: synthetic ECG-report pairs (or
 * PTB-XL), entity mining, tiny-preset pretraining, zero-shot and partial-lead evaluation on records the
 * pretraining never saw, then a short table and the paths of everything written.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the whole pipeline: generate synthetic ECGs and reports, mine cardiac entities, pretrain"
                + " the tiny preset, evaluate zero-shot and with partial leads on unseen records, print the results."
                + " About 4 minutes on 2 CPU cores; uses a GPU when one works.",
        footer = {"", "Examples:",
            "  kmerl demo                                  synthetic data, results in runs/demo",
            "  kmerl demo --data ../shared/data/ptbxl      real PTB-XL (folds 9-10 held out for evaluation)",
            "  kmerl demo --steps 600 --out runs/demo-long"})
public final class DemoCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Option(names = "--out", defaultValue = "runs/demo", paramLabel = "DIR", description = "where everything goes"
            + " (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--data", defaultValue = "synthetic", paramLabel = "synthetic|DIR",
            description = "'synthetic' or a PTB-XL folder (default: ${DEFAULT-VALUE})")
    String data;

    @Option(names = "--steps", defaultValue = "300", description = "pretraining steps (default: ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--records", defaultValue = "1000",
            description = "synthetic pretraining pairs (default: ${DEFAULT-VALUE})")
    int records;

    @Option(names = "--eval-records", defaultValue = "400",
            description = "synthetic records for evaluation, a stream pretraining never draws from (default:"
                    + " ${DEFAULT-VALUE}; 20%% of them form the test split)")
    int evalRecords;

    @Option(names = "--device", defaultValue = "auto", paramLabel = "auto|cpu|cuda:N",
            description = "where to train and evaluate (default: ${DEFAULT-VALUE})")
    String device;

    @Override
    public Integer call() throws IOException {
        PrintWriter o = spec.commandLine().getOut();
        long t0 = System.nanoTime();
        boolean synthetic = data.equalsIgnoreCase("synthetic");
        Path evalData;
        List<String> taskArgs = new ArrayList<>();
        if (synthetic) {
            evalData = out.resolve("eval-data");
            o.printf(Locale.ROOT, "== 1/4 evaluation data: %d synthetic records (seed 7) -> %s%n", evalRecords, evalData);
            o.flush();
            try (Progress p = Progress.interactive() ? new Progress("synth", evalRecords, "rec") : null) {
                SyntheticDataset.write(evalData, evalRecords, 7, new SyntheticEcg(100, 10, true), p == null ? n -> { } : p::done);
            }
        } else {
            evalData = Path.of(data);
            if (!Files.exists(evalData.resolve(PtbXl.DATABASE))) {
                throw new IllegalArgumentException("--data " + data + ": not 'synthetic' and not a PTB-XL folder ("
                        + PtbXl.DATABASE + " missing)");
            }
            taskArgs = List.of("--task", "ptbxl-super");
            o.println("== 1/4 evaluation data: PTB-XL folds 9 (validation) and 10 (test) of " + evalData);
        }
        Path run = out.resolve("pretrain");
        o.println("== 2/4 entity mining and pretraining (tiny preset, " + steps + " steps) -> " + run);
        o.flush();
        List<String> pretrain = new ArrayList<>(List.of("pretrain", "--preset", "tiny", "--steps", Integer.toString(steps),
                "--device", device, "--out", run.toString()));
        if (synthetic) {
            pretrain.addAll(List.of("--synthetic-records", Integer.toString(records), "--validation-records", "100"));
        } else {
            pretrain.addAll(List.of("--data", data));
        }
        step(pretrain);
        Path zeroShot = out.resolve("eval-zeroshot");
        Path leads = out.resolve("eval-leads");
        o.println("== 3/4 zero-shot evaluation -> " + zeroShot);
        o.flush();
        List<String> common = new ArrayList<>(List.of("--checkpoint", run.toString(), "--data", evalData.toString(),
                "--device", device));
        common.addAll(taskArgs);
        step(concat(List.of("eval", "zeroshot", "--out", zeroShot.toString()), common));
        o.println("== 4/4 partial-lead evaluation -> " + leads);
        o.flush();
        step(concat(List.of("eval", "leads", "--leads", "all;limb;chest;I;I+II;3-lead", "--out", leads.toString()), common));
        summary(o, run, zeroShot, leads, (System.nanoTime() - t0) / 1e9);
        return 0;
    }

    /** Runs one kmerl command with this command's output; a failure stops the demo. */
    private void step(List<String> args) {
        CommandLine cli = Main.commandLine();
        cli.setOut(spec.commandLine().getOut());
        cli.setErr(spec.commandLine().getErr());
        int rc = cli.execute(args.toArray(String[]::new));
        if (rc != 0) {
            throw new IllegalStateException("the demo step 'kmerl " + String.join(" ", args) + "' failed (exit code " + rc + ")");
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static void summary(PrintWriter o, Path run, Path zeroShot, Path leads, double seconds) throws IOException {
        JsonNode zs = JSON.readTree(zeroShot.resolve("results.json").toFile());
        JsonNode ld = JSON.readTree(leads.resolve("results.json").toFile());
        o.println();
        o.printf(Locale.ROOT, "K-MERL demo: zero-shot macro AUROC [95%% CI] on %s%n", zs.path("splits").asText()
                .replaceFirst(".*validation, ", "").replace("records", "records never seen in pretraining"));
        for (JsonNode r : zs.path("results")) {
            o.printf(Locale.ROOT, "  %-14s %-20s %s%n", r.path("task").asText(), r.path("method").asText(), interval(r));
        }
        Map<String, String[]> byView = new LinkedHashMap<>();
        for (JsonNode r : ld.path("results")) {
            if (!r.path("method").asText().equals("query network")) {
                continue;
            }
            String view = r.path("view").asText();
            boolean filled = view.endsWith(" (zero-filled)");
            String[] cells = byView.computeIfAbsent(view.replace(" (zero-filled)", ""), v -> new String[] {"-", "n/a"});
            cells[filled ? 1 : 0] = String.format(Locale.ROOT, "%.3f", r.path("macro_auroc").asDouble());
        }
        o.println("partial leads, query network (K-MERL: only those leads' tokens | baseline: the others zero-filled):");
        byView.forEach((view, cells) -> o.printf(Locale.ROOT, "  %-8s %s | %s%n", view, cells[0], cells[1]));
        o.printf(Locale.ROOT, "%ndone in %.0f s; wrote%n", seconds);
        o.println("  checkpoint     " + run.resolve("best") + " (and " + run.resolve("checkpoints") + ")");
        o.println("  metrics        " + run.resolve("metrics.jsonl") + ", curves " + run.resolve("curves.png"));
        o.println("  entities       " + run.resolve("knowledge"));
        o.println("  zero-shot      " + zeroShot.resolve("results.md") + " (+ ROC curves)");
        o.println("  partial leads  " + leads.resolve("results.md"));
    }

    private static String interval(JsonNode r) {
        if (!r.path("macro_auroc").isNumber()) {
            return "-";
        }
        return r.path("macro_auroc_low").isNumber()
                ? String.format(Locale.ROOT, "%.3f [%.3f, %.3f]", r.path("macro_auroc").asDouble(),
                        r.path("macro_auroc_low").asDouble(), r.path("macro_auroc_high").asDouble())
                : String.format(Locale.ROOT, "%.3f", r.path("macro_auroc").asDouble());
    }
}
