package org.kmerl.cli;

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
import org.kmerl.model.data.challenge.Challenge2021;
import org.kmerl.model.data.ptbxl.PtbXl;
import org.kmerl.model.data.synth.SyntheticDataset;
import org.kmerl.model.eval.ClassTexts;
import org.kmerl.model.eval.EcgInputs;
import org.kmerl.model.eval.EvalData;
import org.kmerl.model.eval.EvalDataset;
import org.kmerl.model.eval.EvalRecord;
import org.kmerl.model.eval.EvalReport;
import org.kmerl.model.eval.Evaluator;
import org.kmerl.model.eval.LeadView;
import org.kmerl.model.eval.TaskScores;
import org.kmerl.model.pretrain.PretrainedModel;
import org.kmerl.model.text.EmbeddingCache;
import org.kmerl.model.text.TextEncoder;
import org.kmerl.tensor.Device;
import org.kmerl.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kmerl eval zeroshot | probe | leads}: downstream evaluation of a pretrained checkpoint. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate a pretrained K-MERL checkpoint: zero-shot classification (query network and ECG-text"
                + " similarity), linear probing, partial-lead tables. Scores are on the test split; thresholds and"
                + " probe selection come from the validation split. Writes results.json, results.md and ROC PNGs.",
        subcommands = {EvalCommand.ZeroShot.class, EvalCommand.Probe.class, EvalCommand.Leads.class},
        footer = {"", "Examples:",
            "  kmerl eval zeroshot --checkpoint runs/ptbxl --data ../shared/data/ptbxl --out eval/zs",
            "  kmerl eval leads --checkpoint runs/ptbxl --data ../shared/data/ptbxl \\",
            "        --task ptbxl-super --out eval/leads",
            "  kmerl eval probe --checkpoint runs/ptbxl --data ../shared/data/ptbxl \\",
            "        --fractions 0.01,0.1,1 --out eval/probe",
            "  kmerl eval zeroshot --checkpoint runs/x --data my-labels.csv --out eval/mine",
            "",
            "  kmerl eval zeroshot --checkpoint runs/x --data ../shared/data/challenge2021 \\",
            "        --task chapman --splits ../shared/data/labels/merl-splits --out eval/chapman",
            "",
            "PTB-XL tasks: ptbxl-super, ptbxl-sub, ptbxl-form, ptbxl-rhythm (folds 1-8 train, 9 validation,",
            "10 test). Challenge 2021 folders: cpsc2018 (9 classes) or chapman (38), MERL's class lists,",
            "labels through SNOMED-CT. A CSV dataset has a 'path' column (WFDB records), optional 'id'",
            "and 'split' (train/val/test) and one 0/1 column per class."})
public final class EvalCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The options every evaluation takes. */
    static final class Common {
        @Option(names = "--checkpoint", required = true, paramLabel = "DIR",
                description = "a pretraining run folder (its best/ checkpoint) or a checkpoint folder")
        Path checkpoint;

        @Option(names = "--data", required = true, paramLabel = "DIR|CSV",
                description = "a PTB-XL folder, a folder of Challenge 2021 records, a synthetic dataset (kmerl data"
                        + " synth) or a CSV of record paths with 0/1 label columns")
        Path data;

        @Option(names = "--task", split = ",", paramLabel = "TASK",
                description = "PTB-XL tasks, comma-separated (default: all four), or for a Challenge 2021 folder"
                        + " cpsc2018 or chapman")
        List<String> tasks;

        @Option(names = "--splits", paramLabel = "DIR",
                description = "MERL's split tables (labels/merl-splits) for the Challenge tasks: their train/val/test"
                        + " assignment (without it every Challenge record is a test record)")
        Path splits;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "where results go")
        Path out;

        @Option(names = "--device", defaultValue = "auto", paramLabel = "auto|cpu|cuda:N",
                description = "where the encoder runs (default: ${DEFAULT-VALUE})")
        String device;

        @Option(names = "--text-model", defaultValue = TextEncoder.MINILM, paramLabel = "minilm|DIR",
                description = "the text encoder the checkpoint was pretrained with (default: ${DEFAULT-VALUE})")
        String textModel;

        @Option(names = "--class-text", paramLabel = "CSV",
                description = "code,text rows that replace the default description of a class")
        Path classText;

        @Option(names = "--seed", defaultValue = "0", description = "seed of bootstrap and probe draws (default: 0)")
        long seed;
    }

    /** Model, data, inputs and class texts, loaded once for a subcommand. */
    record Loaded(PretrainedModel model, EvalDataset dataset, Evaluator evaluator, Map<String, String> header) {
    }

    static Loaded load(Common c, PrintWriter out, String commandLine) throws IOException {
        PretrainedModel model = PretrainedModel.load(c.checkpoint);
        Device device = PretrainCommand.pickDevice(c.device);
        model.model().to(device);
        Map<String, String> overrides = c.classText == null ? Map.of() : ClassTexts.readOverrides(c.classText);
        EvalDataset dataset;
        if (Files.isRegularFile(c.data) && c.data.toString().endsWith(".csv")) {
            if (c.tasks != null) {
                throw new IllegalArgumentException("--task is for PTB-XL; a CSV dataset is one task (its label columns)");
            }
            dataset = EvalData.csv(c.data, overrides);
        } else if (Files.exists(c.data.resolve(PtbXl.DATABASE))) {
            List<String> tasks = c.tasks != null ? c.tasks : List.of("ptbxl-super", "ptbxl-sub", "ptbxl-form", "ptbxl-rhythm");
            dataset = EvalData.ptbxl(c.data, tasks, model.config().encoder().rate() > 100, overrides);
        } else if (Files.exists(c.data.resolve(SyntheticDataset.REPORTS))) {
            dataset = EvalData.synthetic(c.data, overrides);
        } else if (Files.isDirectory(c.data) && !Challenge2021.list(c.data).isEmpty()) {
            if (c.tasks == null || c.tasks.size() != 1) {
                throw new IllegalArgumentException("--data " + c.data + " holds Challenge 2021 records: give one --task of "
                        + EvalData.CHALLENGE_TASKS);
            }
            dataset = EvalData.challenge(c.data, c.tasks.get(0), c.splits, overrides);
        } else {
            throw new IllegalArgumentException("--data " + c.data + ": not a CSV file, a PTB-XL folder ("
                    + PtbXl.DATABASE + "), a synthetic dataset (" + SyntheticDataset.REPORTS + ") or a folder of"
                    + " Challenge 2021 records");
        }
        out.printf(Locale.ROOT, "model      %s (%s, on %s)%n", model.dir(), describe(model), device);
        out.printf(Locale.ROOT, "data       %s%n           %d train, %d validation, %d test records; tasks %s%n",
                dataset.description(), dataset.count(EvalRecord.Split.TRAIN), dataset.count(EvalRecord.Split.VALIDATION),
                dataset.count(EvalRecord.Split.TEST), dataset.tasks().stream().map(t -> t.name() + " (" + t.classes()
                        + " classes)").toList());
        out.flush();
        EcgInputs inputs;
        try (Evaluator.Bar bar = bars(out).open("read", dataset.records().size())) {
            inputs = EcgInputs.load(dataset, model.config().encoder(), bar);
        }
        TextEncoder text = model.textEncoder(c.textModel);
        Files.createDirectories(c.out);
        EmbeddingCache cache = EmbeddingCache.open(c.out.resolve("text-embeddings.safetensors"), text);
        Tensor classText = cache.embed(dataset.allClassTexts());
        cache.save();
        Map<String, String> header = new LinkedHashMap<>();
        header.put("command", commandLine);
        header.put("checkpoint", model.dir().toString());
        header.put("model", describe(model));
        header.put("data", dataset.description());
        header.put("splits", dataset.count(EvalRecord.Split.TRAIN) + " train, " + dataset.count(EvalRecord.Split.VALIDATION)
                + " validation, " + dataset.count(EvalRecord.Split.TEST) + " test records");
        header.put("text encoder", text.name());
        header.put("device", device.toString());
        return new Loaded(model, dataset, new Evaluator(model, device, dataset, inputs, classText, c.out, c.seed, bars(out)),
                header);
    }

    private static String describe(PretrainedModel m) {
        var e = m.config().encoder();
        return String.format(Locale.ROOT, "width %d, depth %d, %d query layers, %s projection, %.0f Hz x %d samples",
                e.width(), e.depth(), m.config().queryDepth(), e.sharedProjection() ? "shared" : "lead-specific", e.rate(),
                e.samples());
    }

    /** Terminal bars, or nothing when output is not a terminal. */
    private static Evaluator.Bars bars(PrintWriter out) {
        return (task, total) -> {
            if (!Progress.interactive()) {
                return new Evaluator.Bar() {
                    @Override
                    public void accept(int value) {
                    }

                    @Override
                    public void close() {
                    }
                };
            }
            Progress p = new Progress(task, total, "rec");
            return new Evaluator.Bar() {
                @Override
                public void accept(int value) {
                    p.done(value);
                }

                @Override
                public void close() {
                    p.close();
                }
            };
        };
    }

    private static void finish(PrintWriter out, Common c, Loaded l, String kind, List<Evaluator.Row> rows) throws IOException {
        EvalReport.write(c.out, kind, l.header(), rows, l.evaluator().plots());
        out.println();
        out.printf(Locale.ROOT, "%-16s %-14s %-20s %-34s %s%n", "leads", "task", "method", "macro AUROC [95% CI]", "setting");
        for (Evaluator.Row r : rows) {
            TaskScores s = r.scores();
            out.printf(Locale.ROOT, "%-16s %-14s %-20s %-34s %s%n", r.view(), s.task(), r.method(),
                    Double.isFinite(s.macroAuroc()) ? String.format(Locale.ROOT, "%.3f [%.3f, %.3f]", s.macroAuroc(),
                            s.macroLow(), s.macroHigh()) : "- (no class scorable)", r.setting());
        }
        out.println("wrote      " + c.out.resolve("results.json") + ", " + c.out.resolve("results.md")
                + (l.evaluator().plots().isEmpty() ? "" : ", " + l.evaluator().plots().size() + " ROC plots"));
    }

    static String commandLine(CommandSpec spec) {
        return "kmerl " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
    }

    @Command(name = "zeroshot", mixinStandardHelpOptions = true,
            description = "Zero-shot classification: each class text as a query of the cardiac query network, and"
                    + " its cosine with the ECG embedding (MERL's way); per-class and macro AUROC with bootstrap"
                    + " intervals, F1 at validation thresholds, ROC curves.")
    static final class ZeroShot implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Common common;

        @Option(names = "--leads", defaultValue = "all", paramLabel = "SET",
                description = "leads the encoder sees: a preset (all, limb, chest, I, II, I+II, 3-lead) or a list"
                        + " such as I,II,V2 (default: all)")
        String leads;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            Loaded l = load(common, out, commandLine(spec));
            finish(out, common, l, "zeroshot", l.evaluator().zeroShot(LeadView.parse(leads, false), true));
            return 0;
        }
    }

    @Command(name = "probe", mixinStandardHelpOptions = true,
            description = "Linear probing on the frozen encoder's pooled features: a logistic head per task trained"
                    + " with AdamW on fractions of the training split, selected on the validation split.")
    static final class Probe implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Common common;

        @Option(names = "--leads", defaultValue = "all", paramLabel = "SET", description = "leads the encoder sees")
        String leads;

        @Option(names = "--fractions", split = ",", defaultValue = "0.01,0.1,1",
                description = "shares of the training split (default: ${DEFAULT-VALUE})")
        double[] fractions;

        @Option(names = "--small-seeds", defaultValue = "3",
                description = "draws of the training subset for fractions under 5%% (default: ${DEFAULT-VALUE})")
        int smallSeeds;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            Loaded l = load(common, out, commandLine(spec));
            finish(out, common, l, "probe", l.evaluator().probe(LeadView.parse(leads, false), fractions, smallSeeds));
            return 0;
        }
    }

    @Command(name = "leads", mixinStandardHelpOptions = true,
            description = "Partial-lead evaluation: zero-shot macro AUROC per lead set and task, each set also fed"
                    + " to the encoder as 12 leads with the missing ones zero-filled (the baseline of prior work).")
    static final class Leads implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Common common;

        @Option(names = "--leads", split = ";", paramLabel = "SET[;SET...]",
                description = "lead sets, ';'-separated (default: all;limb;chest;I;II;I+II;3-lead)")
        List<String> leads;

        @Option(names = "--no-baseline", description = "skip the zero-filled baseline")
        boolean noBaseline;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            Loaded l = load(common, out, commandLine(spec));
            List<LeadView> views = new ArrayList<>();
            for (String s : leads != null ? leads : LeadView.PRESETS) {
                views.add(LeadView.parse(s, false));
            }
            finish(out, common, l, "leads", l.evaluator().leads(views, !noBaseline));
            return 0;
        }
    }
}
