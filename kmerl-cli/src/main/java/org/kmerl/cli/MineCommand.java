package org.kmerl.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.kmerl.model.data.ptbxl.PtbXl;
import org.kmerl.model.knowledge.EntityExtractor;
import org.kmerl.model.knowledge.KnowledgeMiner;
import org.kmerl.model.knowledge.ReportTexts;
import org.kmerl.model.knowledge.ScpEvaluation;
import org.kmerl.model.knowledge.Vocabulary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kmerl mine}: cardiac entities from free-text reports, and their agreement with PTB-XL's cardiologists. */
@Command(name = "mine", mixinStandardHelpOptions = true,
        description = "Extract cardiac entities from ECG reports (English, German, Swedish) with the embedded vocabulary:"
                + " negation and uncertainty aware, rolled up the hierarchy. Writes vocabulary.json, labels.csv and"
                + " frequencies.csv.",
        subcommands = {MineCommand.Evaluate.class},
        footer = {"", "Examples:",
            "  kmerl mine --reports ../shared/data/ptbxl --out mined/ptbxl",
            "  kmerl mine --reports reports.csv --out mined/mine --min-count 20 --no-uncertain",
            "  kmerl mine --reports reports.csv --out mined/llm --llm http://localhost:8000/v1 --model llama-3.1-70b",
            "  kmerl mine evaluate --ptbxl ../shared/data/ptbxl --out docs/knowledge-agreement.md"})
final class MineCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--reports", paramLabel = "CSV|DIR",
            description = "a CSV with id and report columns, or a PTB-XL, MIMIC-IV-ECG or synthetic dataset folder")
    Path reports;

    @Option(names = "--out", paramLabel = "DIR", description = "output folder")
    Path out;

    @Option(names = "--min-count", defaultValue = "1", description = "drop entities seen in fewer reports (default: ${DEFAULT-VALUE})")
    int minCount;

    @Option(names = "--no-uncertain", description = "do not count hedged mentions (possible, probable, verdacht auf, ...)")
    boolean noUncertain;

    @Option(names = "--vocabulary", paramLabel = "JSON", description = "a vocabulary file instead of the embedded one")
    Path vocabulary;

    @Option(names = "--llm", paramLabel = "URL",
            description = "an OpenAI-compatible server (e.g. http://localhost:8000/v1): extract, merge, organise and"
                    + " verify entities with a model instead of the embedded vocabulary")
    String llm;

    @Option(names = "--model", paramLabel = "NAME", description = "the model to ask (with --llm)")
    String model;

    @Option(names = "--api-key-env", paramLabel = "VAR", defaultValue = "OPENAI_API_KEY",
            description = "environment variable holding the API key, if the server wants one (default: ${DEFAULT-VALUE})")
    String apiKeyEnv;

    @Option(names = "--batch", defaultValue = "20", description = "reports per request (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--timeout", defaultValue = "120", description = "seconds per request (default: ${DEFAULT-VALUE})")
    int timeoutSeconds;

    @Option(names = "--retries", defaultValue = "4", description = "attempts per request (default: ${DEFAULT-VALUE})")
    int retries;

    static EntityExtractor extractor(Path vocabulary) throws IOException {
        return new EntityExtractor(vocabulary == null ? Vocabulary.embedded() : Vocabulary.load(vocabulary));
    }

    @Override
    public Integer call() throws IOException {
        if (reports == null || out == null) {
            spec.commandLine().usage(spec.commandLine().getOut());
            return reports == null && out == null ? 0 : 2;
        }
        if (llm != null && model == null) {
            throw new IllegalArgumentException("--llm needs --model (the model name the server serves)");
        }
        List<ReportTexts.Report> texts = ReportTexts.read(reports);
        if (llm != null) {
            org.kmerl.model.knowledge.llm.ChatClient client = new org.kmerl.model.knowledge.llm.ChatClient(llm, model,
                    System.getenv(apiKeyEnv), java.time.Duration.ofSeconds(timeoutSeconds), retries, 1000);
            try (org.kmerl.model.knowledge.llm.AnswerCache cache =
                         new org.kmerl.model.knowledge.llm.AnswerCache(out.resolve("llm-cache.jsonl"));
                 Progress progress = new Progress("mine (" + model + ")", texts.size(), "reports")) {
                new org.kmerl.model.knowledge.llm.LlmMiner(client, cache, model, batch).run(texts, minCount, out,
                        progress::done);
            }
            spec.commandLine().getOut().printf("mined %d reports with %s at %s (%d requests; answers cached in %s) -> %s%n",
                    texts.size(), model, llm, client.requests(), out.resolve("llm-cache.jsonl"), out);
            return 0;
        }
        KnowledgeMiner miner = new KnowledgeMiner(extractor(vocabulary), !noUncertain);
        KnowledgeMiner.Result result;
        try (Progress progress = new Progress("mine", texts.size(), "reports")) {
            result = miner.mine(texts, minCount, progress::done);
        }
        miner.write(result, out);
        PrintWriter w = spec.commandLine().getOut();
        w.printf("mined %d reports: %d entities (seen in >= %d reports) -> %s%n", texts.size(), result.counts().size(),
                minCount, out);
        result.counts().entrySet().stream().limit(10).forEach(e -> w.printf(Locale.ROOT, "  %-32s %7d%n", e.getKey(),
                e.getValue()));
        return 0;
    }

    @Command(name = "evaluate", mixinStandardHelpOptions = true,
            description = "Score the extraction against the SCP-ECG statements PTB-XL's cardiologists assigned:"
                    + " per-statement precision, recall and F1, macro F1 per group, as markdown.")
    static final class Evaluate implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--ptbxl", required = true, paramLabel = "DIR", description = "the PTB-XL folder")
        Path ptbxl;

        @Option(names = "--out", paramLabel = "MD", description = "write the table here (default: print it)")
        Path out;

        @Option(names = "--no-uncertain", description = "do not count hedged mentions")
        boolean noUncertain;

        @Option(names = "--examples", defaultValue = "3", description = "misses shown per explicit statement (default: ${DEFAULT-VALUE})")
        int examples;

        @Option(names = "--vocabulary", paramLabel = "JSON", description = "a vocabulary file instead of the embedded one")
        Path vocabulary;

        @Override
        public Integer call() throws IOException {
            ScpEvaluation.Result r = ScpEvaluation.evaluate(PtbXl.load(ptbxl), extractor(vocabulary), !noUncertain);
            String md = ScpEvaluation.markdown(r, examples);
            if (out == null) {
                spec.commandLine().getOut().print(md);
            } else {
                Path tmp = out.toAbsolutePath().resolveSibling(out.getFileName() + ".tmp");
                Files.writeString(tmp, md);
                Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                spec.commandLine().getOut().printf(Locale.ROOT,
                        "macro F1: %.3f over the %d explicit statements, %.3f over the %d with >= 50 positives -> %s%n",
                        r.macroF1(ScpEvaluation.EXPLICIT), ScpEvaluation.EXPLICIT.size(), r.macroF1(r.frequent(50)),
                        r.frequent(50).size(), out);
            }
            return 0;
        }
    }
}
