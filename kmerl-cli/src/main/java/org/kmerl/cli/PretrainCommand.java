package org.kmerl.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.kmerl.model.data.Lead;
import org.kmerl.model.data.cache.RecordSource;
import org.kmerl.model.data.cache.SampleCache;
import org.kmerl.model.data.cache.Sources;
import org.kmerl.model.data.ptbxl.PtbXl;
import org.kmerl.model.data.preprocess.Preprocessor;
import org.kmerl.model.ecg.EcgEncoderConfig;
import org.kmerl.model.ecg.EncoderInput;
import org.kmerl.model.pretrain.CacheData;
import org.kmerl.model.pretrain.InMemoryData;
import org.kmerl.model.pretrain.PretrainData;
import org.kmerl.model.pretrain.PretrainSettings;
import org.kmerl.model.pretrain.Supervision;
import org.kmerl.model.pretrain.Trainer;
import org.kmerl.model.pretrain.TrainerConfig;
import org.kmerl.model.pretrain.TrainingCurves;
import org.kmerl.model.pretrain.TrainingListener;
import org.kmerl.model.text.TextEncoder;
import org.kmerl.tensor.Backends;
import org.kmerl.tensor.Device;
import org.kmerl.tensor.backend.BackendProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kmerl pretrain}: K-MERL pretraining on synthetic data, a sample cache, or a dataset folder. */
@Command(name = "pretrain", mixinStandardHelpOptions = true,
        description = "Pretrain K-MERL: lead-aware ECG encoder, contrastive ECG-report loss and the cardiac query"
                + " network's entity loss, with dynamic lead masking and segment masking. Writes checkpoints (best and"
                + " last K), metrics.jsonl, curves.png, summary.json and the mined entities to --out.",
        footer = {"", "Examples:",
            "  kmerl pretrain --out runs/tiny           (synthetic data, tiny preset)",
            "  kmerl pretrain --out runs/tiny --resume",
            "  kmerl pretrain --data ../shared/data/ptbxl --preset small --out runs/ptbxl",
            "  kmerl pretrain --data caches/mimic --preset base --config base.yaml \\",
            "        --batch-size 128 --device cuda:0 --out runs/mimic",
            "", "Config files (YAML or JSON) override the preset key by key, e.g.:",
            "  model: {entityWeight: 0.5, masking: {segmentRatio: 0.5}}",
            "  trainer: {lr: 0.0005, warmupSteps: 100}"})
final class PretrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data", defaultValue = "synthetic", paramLabel = "synthetic|DIR",
            description = "'synthetic', a sample cache (kmerl data cache), or a PTB-XL / MIMIC-IV-ECG / Challenge folder"
                    + " (cached into OUT/cache first) (default: ${DEFAULT-VALUE})")
    String data;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "run folder")
    Path runDir;

    @Option(names = "--preset", defaultValue = "tiny", description = "micro, tiny, small or base (default: ${DEFAULT-VALUE})")
    String preset;

    @Option(names = "--config", paramLabel = "FILE", description = "YAML or JSON settings laid over the preset")
    Path config;

    @Option(names = "--steps", description = "optimizer steps (default: 600, or the config's)")
    Integer steps;

    @Option(names = "--batch-size", description = "pairs per step (default: 32, or the config's)")
    Integer batchSize;

    @Option(names = "--lr", description = "peak learning rate (default: 1e-3, or the config's)")
    Double lr;

    @Option(names = "--seed", description = "seed of initialisation, data order and masking (default: 42)")
    Long seed;

    @Option(names = "--eval-every", description = "validate every N steps (default: steps / 10)")
    Integer evalEvery;

    @Option(names = "--checkpoint-every", description = "checkpoint every N steps (default: steps / 5)")
    Integer checkpointEvery;

    @Option(names = "--validation-leads", split = ";", paramLabel = "SET",
            description = "lead subsets whose zero-shot AUROC is also logged at each validation, ';'-separated, each a"
                    + " lead list or preset (default: I;limb; give '' for none)")
    List<String> validationLeads;

    @Option(names = "--synthetic-records", defaultValue = "2000",
            description = "training records generated with --data synthetic (default: ${DEFAULT-VALUE})")
    int syntheticRecords;

    @Option(names = "--validation-records", defaultValue = "400",
            description = "validation records generated with --data synthetic (default: ${DEFAULT-VALUE})")
    int validationRecords;

    @Option(names = "--validation-fraction", defaultValue = "0.05",
            description = "share of a cache or dataset held out for validation (default: ${DEFAULT-VALUE})")
    double validationFraction;

    @Option(names = "--holdout-folds", defaultValue = "9,10", paramLabel = "F,F|none",
            description = "PTB-XL folds left out of pretraining, so that 'kmerl eval' can validate and test on them"
                    + " (default: ${DEFAULT-VALUE}, the benchmark's validation and test folds)")
    String holdoutFolds;

    @Option(names = "--min-entity-count", defaultValue = "5",
            description = "entities in fewer training reports are not queried (default: ${DEFAULT-VALUE})")
    int minEntityCount;

    @Option(names = "--text-model", defaultValue = TextEncoder.MINILM, paramLabel = "minilm|DIR",
            description = "frozen text encoder: the embedded all-MiniLM-L6-v2 or a Hugging Face BERT folder"
                    + " (default: ${DEFAULT-VALUE})")
    String textModel;

    @Option(names = "--device", defaultValue = "auto", paramLabel = "auto|cpu|cuda:N",
            description = "where to train; auto takes the first CUDA device when one works (default: ${DEFAULT-VALUE})")
    String device;

    @Option(names = "--resume", description = "continue from the latest checkpoint in --out")
    boolean resume;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        // The schedule defaults (warm-up, validation and checkpoint intervals) follow the step count that
        // will run: --steps, else the config file's, else 600; the config file then overrides what it sets.
        int planned = steps != null ? steps : 600;
        PretrainSettings settings = PretrainSettings.of(preset, planned, 32);
        if (config != null) {
            settings = settings.merge(config);
            if (steps == null && settings.trainer().steps() != planned) {
                settings = PretrainSettings.of(preset, settings.trainer().steps(), 32).merge(config);
            }
        }
        settings = settings.withTrainer(overrides(settings.trainer()));
        Device dev = pickDevice(device);
        EcgEncoderConfig enc = settings.model().encoder();
        Files.createDirectories(runDir);

        long t0 = System.nanoTime();
        Preprocessor pre = EncoderInput.preprocessor(enc, List.of(Lead.values()));
        PretrainData[] split = data(pre, settings.trainer().seed(), out);
        out.printf(Locale.ROOT, "data       %s%n           validation: %s (%.1f s)%n", split[0].describe(),
                split[1].describe(), seconds(t0));

        long t1 = System.nanoTime();
        TextEncoder text = TextEncoder.load(textModel);
        Supervision supervision = Supervision.prepare(split[0], split[1], text, runDir.resolve("text-embeddings.safetensors"),
                minEntityCount);
        supervision.writeMining(runDir.resolve("knowledge"));
        out.printf(Locale.ROOT, "text       %s, %d entities as queries (in >= %d reports), %d validation classes (%.1f s)%n",
                text.name(), supervision.entities().size(), minEntityCount, supervision.classCodes().size(), seconds(t1));
        var model = settings.model().withTextDim(text.dimension());
        out.printf(Locale.ROOT, "model      %s preset: %d leads x %d patches of %d samples at %.0f Hz, width %d, depth %d,"
                        + " %d heads, query layers %d%n           masking: %s%n", preset, 12, enc.patchesPerLead(),
                enc.patch(), enc.rate(), enc.width(), enc.depth(), enc.heads(), model.queryDepth(), model.masking());
        TrainerConfig tc = settings.trainer();
        out.printf(Locale.ROOT, "training   %d steps of %d pairs on %s, AdamW lr %.2g (warm-up %d, cosine), clip %.1f%n",
                tc.steps(), tc.batchSize(), dev, tc.lr(), tc.warmupSteps(), tc.clipNorm());
        out.flush();

        Trainer.Summary s;
        try (Listener listener = new Listener(out, tc.steps())) {
            s = new Trainer(model, tc, split[0], split[1], supervision, runDir, dev, listener).run(resume);
        } finally {
            for (PretrainData d : split) {
                if (d instanceof AutoCloseable c) {
                    try {
                        c.close();
                    } catch (Exception ignored) {
                        // read-only mappings
                    }
                }
            }
        }
        Path curves = runDir.resolve("curves.png");
        TrainingCurves.write(runDir.resolve("metrics.jsonl"), curves, "K-MERL " + preset + " pretraining, " + split[0].describe());
        printSummary(out, s, curves);
        return 0;
    }

    /** Command-line values win over the preset and the config file (the schedule already fits the steps). */
    private TrainerConfig overrides(TrainerConfig t) {
        return new TrainerConfig(steps != null ? steps : t.steps(), batchSize != null ? batchSize : t.batchSize(),
                lr != null ? lr : t.lr(), t.weightDecay(), Math.min(t.warmupSteps(), steps != null ? steps : t.steps()),
                t.minLrFactor(), t.clipNorm(), t.maxBadSteps(),
                evalEvery != null ? evalEvery : t.evalEvery(),
                checkpointEvery != null ? checkpointEvery : t.checkpointEvery(), t.keepLast(), t.loaderThreads(),
                seed != null ? seed : t.seed(),
                validationLeads != null ? validationLeads.stream().filter(v -> !v.isBlank()).toList() : t.validationLeads());
    }

    static Device pickDevice(String name) {
        if (!name.equalsIgnoreCase("auto")) {
            return Device.parse(name);
        }
        for (BackendProvider p : Backends.providers()) {
            if (p.kind() == Device.Kind.CUDA && p.probe().usable()) {
                return Device.cuda(0);
            }
        }
        return Device.CPU;
    }

    /** Training and validation data for --data. */
    private PretrainData[] data(Preprocessor pre, long seed, PrintWriter out) throws IOException {
        if (data.equalsIgnoreCase("synthetic")) {
            return new PretrainData[] {synthetic("synth", syntheticRecords, 1000 + seed, pre),
                synthetic("synth val", validationRecords, 2000 + seed, pre)};
        }
        Path dir = Path.of(data);
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--data " + data + ": not 'synthetic' and not a folder");
        }
        Path cacheDir = dir;
        if (!Files.exists(dir.resolve("cache.properties"))) {
            RecordSource source = Sources.open(dir, pre.rate() > 100, null);
            cacheDir = runDir.resolve("cache");
            out.println("caching    " + source.describe() + " -> " + cacheDir);
            List<String> failures = new ArrayList<>();
            try (Progress p = Progress.interactive() ? new Progress("cache", source.entries().size(), "rec") : null) {
                SampleCache.build(source, pre, cacheDir, Runtime.getRuntime().availableProcessors(),
                        p == null ? n -> { } : p::done, failures::add);
            }
            if (!failures.isEmpty()) {
                out.println("           " + failures.size() + " records failed and are skipped, e.g. " + failures.get(0));
            }
        }
        SampleCache cache = SampleCache.open(cacheDir);
        if (cache.rate() != pre.rate() || cache.length() != pre.length()) {
            throw new IllegalArgumentException(cacheDir + " holds " + cache.length() + " samples at " + cache.rate()
                    + " Hz; the encoder expects " + pre.length() + " at " + pre.rate() + " Hz");
        }
        int[] usable = cache.doneRows();
        if (Files.exists(dir.resolve(PtbXl.DATABASE))) {
            usable = withoutFolds(cache, usable, PtbXl.load(dir), out);
        }
        return CacheData.split(cache, usable, cacheDir, validationFraction, seed);
    }

    /** The cache rows whose PTB-XL record is not in a --holdout-folds fold. */
    private int[] withoutFolds(SampleCache cache, int[] rows, PtbXl db, PrintWriter out) {
        java.util.Set<Integer> folds = new java.util.TreeSet<>();
        if (!holdoutFolds.strip().equalsIgnoreCase("none")) {
            for (String f : holdoutFolds.split(",")) {
                folds.add(Integer.parseInt(f.strip()));
            }
        }
        Map<String, Integer> foldOf = new java.util.HashMap<>();
        db.records().forEach(r -> foldOf.put(Integer.toString(r.ecgId()), r.fold()));
        int[] kept = java.util.Arrays.stream(rows).filter(i -> !folds.contains(foldOf.get(cache.entry(i).id()))).toArray();
        out.printf(Locale.ROOT, "           PTB-XL folds %s held out for evaluation: %d of %d records left for pretraining%n",
                folds, kept.length, rows.length);
        return kept;
    }

    private static InMemoryData synthetic(String task, int count, long seed, Preprocessor pre) {
        try (Progress p = Progress.interactive() ? new Progress(task, count, "rec") : null) {
            return InMemoryData.synthetic(count, seed, pre, p == null ? null : p::done);
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static void printSummary(PrintWriter out, Trainer.Summary s, Path curves) {
        out.printf(Locale.ROOT, "%ndone       %d steps in %.1f s (%.1f samples/s)%s%n", s.steps(), s.wallSeconds(),
                s.samplesPerSecond(), s.skippedSteps() > 0 ? ", " + s.skippedSteps() + " skipped" : "");
        double total = s.secondsBy().values().stream().mapToDouble(Double::doubleValue).sum();
        for (Map.Entry<String, Double> e : s.secondsBy().entrySet()) {
            out.printf(Locale.ROOT, "           %-17s %8.1f s  %5.1f%%%n", e.getKey(), e.getValue(),
                    100 * e.getValue() / Math.max(total, 1e-9));
        }
        out.printf(Locale.ROOT, "best       zero-shot macro AUROC %.3f at step %d -> %s%n", s.bestAuroc(), s.bestStep(),
                s.out().resolve("best"));
        out.println("wrote      " + s.out().resolve("metrics.jsonl") + ", " + curves + ", " + s.out().resolve("summary.json")
                + ", " + s.out().resolve("checkpoints"));
    }

    /** A progress bar on a terminal; otherwise one line per validation. */
    private static final class Listener implements TrainingListener, AutoCloseable {
        private final PrintWriter out;
        private final long steps;
        private Progress bar;
        private String lastValidation = "";

        Listener(PrintWriter out, long steps) {
            this.out = out;
            this.steps = steps;
        }

        @Override
        public void started(long firstStep, long totalSteps) {
            if (Progress.interactive()) {
                bar = new Progress("pretrain", totalSteps, "step");
                bar.done(firstStep);
            }
        }

        @Override
        public void stepped(Step s) {
            if (bar != null) {
                bar.message(String.format(Locale.ROOT, "loss %.3f = clip %.3f + entity %.3f | %.0f samples/s%s",
                        s.loss(), s.contrastive(), s.entity(), s.samplesPerSecond(), lastValidation));
                bar.done(s.step());
            }
        }

        @Override
        public void validated(Validation v) {
            lastValidation = String.format(Locale.ROOT, " | val AUROC %.3f", v.aurocQuery());
            StringBuilder partial = new StringBuilder();
            v.aurocQueryByLeads().forEach((set, auroc) -> partial.append(String.format(Locale.ROOT, ", %s %.3f", set,
                    auroc)));
            String line = String.format(Locale.ROOT, "step %5d/%d  val loss %.3f (clip %.3f, entity %.3f)  zero-shot AUROC"
                    + " query %.3f%s, similarity %.3f%s", v.step(), steps, v.loss(), v.contrastive(), v.entity(),
                    v.aurocQuery(), partial, v.aurocSimilarity(), v.best() ? "  (best)" : "");
            if (bar == null) {
                out.println(line);
                out.flush();
            }
        }

        @Override
        public void message(String line) {
            out.println(line);
            out.flush();
        }

        @Override
        public void close() {
            if (bar != null) {
                bar.close();
            }
        }
    }
}
