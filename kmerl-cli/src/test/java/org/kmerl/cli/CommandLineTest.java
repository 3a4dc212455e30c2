package org.kmerl.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kmerl.tensor.io.SafeTensors;
import picocli.CommandLine;

class CommandLineTest {
    private record Result(int exitCode, String out, String err) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void devicesReportsJavaCpuAndCuda() {
        Result r = run("devices");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().startsWith("java   " + Runtime.version()), r.out());
        assertTrue(r.out().contains("cpu    pure Java, ") && r.out().contains(" threads, SIMD: "), r.out());
        assertTrue(r.out().contains("\ncuda   "), r.out());
    }

    /** --kernel OP=VARIANT at any level: checked against the registry (no GPU needed), then handed to the backend. */
    @Test
    void kernelOptionChoosesVariantsAndRejectsUnknownOnes() {
        String before = System.getProperty("kmerl.kernels");
        try {
            System.clearProperty("kmerl.kernels");
            Result ok = run("--kernel", "gemm=v5", "devices", "--kernel", "layernorm=v3");
            assertEquals(0, ok.exitCode(), ok.err());
            assertTrue(System.getProperty("kmerl.kernels", "").endsWith("gemm=v5,layernorm=v3"),
                    System.getProperty("kmerl.kernels"));
            Result unknown = run("devices", "--kernel", "gemm=v99");
            assertEquals(2, unknown.exitCode());
            assertTrue(unknown.err().contains("--kernel: op 'gemm' has no variant 'v99'"), unknown.err());
            Result malformed = run("devices", "--kernel", "layernorm");
            assertEquals(2, malformed.exitCode());
            assertTrue(malformed.err().contains("is not OP=VARIANT"), malformed.err());
        } finally {
            if (before == null) {
                System.clearProperty("kmerl.kernels");
            } else {
                System.setProperty("kmerl.kernels", before);
            }
        }
    }

    @Test
    void kernelsListShowsEveryVariantAndPtxPrintsOneEntry() {
        Result list = run("kernels", "list");
        assertEquals(0, list.exitCode(), list.err());
        assertTrue(list.out().contains("gemm         v0  cuBLAS") && list.out().contains("v5  warp tiling"), list.out());
        assertTrue(list.out().contains("attention    v1  materialised"), list.out());
        org.junit.jupiter.api.Assumptions.assumeTrue(org.kmerl.kernels.runtime.PtxLibrary.missingReason() == null,
                "this build has no PTX (nvcc was absent)");
        Result ptx = run("kernels", "ptx", "gemm", "--entry", "kmerl_gemm_v5_warp_tiled");
        assertEquals(0, ptx.exitCode(), ptx.err());
        assertTrue(ptx.out().startsWith(".visible .entry kmerl_gemm_v5_warp_tiled("), ptx.out());
        assertTrue(!ptx.out().contains("kmerl_gemm_v4_vectorized"), "only the one entry point");
    }

    @Test
    void kernelsBenchRejectsBadInputInOneLine() {
        Result op = run("kernels", "bench", "convolution");
        assertEquals(1, op.exitCode());
        assertTrue(op.err().contains("unknown op 'convolution'"), op.err());
        Result shape = run("kernels", "bench", "gemm", "--shape", "64x64");
        assertTrue(shape.err().contains("gemm takes a shape of 3 positive sizes"), shape.err());
    }

    @Test
    void dataInspectAndPlotAWfdbRecord(@TempDir Path tmp) throws Exception {
        float[][] x = new float[12][1000];
        for (int l = 0; l < 12; l++) {
            for (int i = 0; i < 1000; i++) {
                x[l][i] = (float) Math.sin(i / 20.0) * (l + 1) / 10f;
            }
        }
        x[2][5] = Float.NaN;
        org.kmerl.model.data.EcgRecord r = new org.kmerl.model.data.EcgRecord("gen", 100,
                java.util.List.of(org.kmerl.model.data.Lead.values()), x, "", java.util.Set.of(), java.util.Map.of());
        org.kmerl.model.data.wfdb.WfdbWriter.write(r, tmp, "gen", 1000, java.util.List.of());
        Result inspect = run("data", "inspect", tmp.resolve("gen").toString());
        assertEquals(0, inspect.exitCode(), inspect.err());
        assertTrue(inspect.out().contains("rate     100 Hz, 1000 samples, 10.00 s"), inspect.out());
        assertTrue(inspect.out().matches("(?s).*\\nIII .* 1\\n.*"), "one missing sample in III: " + inspect.out());
        Path png = tmp.resolve("gen.png");
        Result plot = run("data", "plot", tmp.resolve("gen.hea").toString(), "-o", png.toString());
        assertEquals(0, plot.exitCode(), plot.err());
        java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(png.toFile());
        assertTrue(img.getWidth() > 1500 && img.getHeight() > 800, img.getWidth() + "x" + img.getHeight());
        Result missing = run("data", "inspect", tmp.resolve("nope").toString());
        assertEquals(1, missing.exitCode());
        assertTrue(missing.err().contains("nope.hea"), missing.err());
    }

    @Test
    void dataSynthThenCache(@TempDir Path tmp) throws Exception {
        Result synth = run("data", "synth", "-n", "3", "--seed", "2", "-o", tmp.resolve("syn").toString());
        assertEquals(0, synth.exitCode(), synth.err());
        assertEquals(4, java.nio.file.Files.readAllLines(tmp.resolve("syn/reports.csv")).size());
        Result cache = run("data", "cache", tmp.resolve("syn").toString(), "-o", tmp.resolve("cache").toString(),
                "--rate", "100", "--length", "1000", "--threads", "1");
        assertEquals(0, cache.exitCode(), cache.err());
        assertTrue(cache.out().contains("cached   3 records"), cache.out());
        try (org.kmerl.model.data.cache.SampleCache c = org.kmerl.model.data.cache.SampleCache.open(tmp.resolve("cache"))) {
            assertEquals(3, c.doneRows().length);
        }
        Result band = run("data", "cache", tmp.resolve("syn").toString(), "-o", tmp.resolve("c2").toString(), "--band", "5");
        assertEquals(1, band.exitCode());
        assertTrue(band.err().contains("--band takes LOW,HIGH"), band.err());
    }

    @Test
    void mineWritesEntitiesAndRejectsBadTables(@TempDir Path tmp) throws Exception {
        Path csv = tmp.resolve("reports.csv");
        java.nio.file.Files.writeString(csv, "id,report\na,sinus rhythm. left bundle branch block.\n"
                + "b,sinusrhythmus ueberdrehter linkstyp linksanteriorer hemiblock\n");
        Result mine = run("mine", "--reports", csv.toString(), "--out", tmp.resolve("out").toString());
        assertEquals(0, mine.exitCode(), mine.err());
        assertTrue(mine.out().contains("mined 2 reports"), mine.out());
        String labels = java.nio.file.Files.readString(tmp.resolve("out/labels.csv"));
        assertTrue(labels.contains("a,bundle_branch_block;conduction;lbbb;rhythm;sinus_rhythm"), labels);
        java.nio.file.Files.writeString(csv, "id;report\na;x\n");
        Result bad = run("mine", "--reports", csv.toString(), "--out", tmp.resolve("out2").toString());
        assertEquals(1, bad.exitCode());
        assertTrue(bad.err().contains("reports.csv") && bad.err().contains("'id'"), bad.err());
        Result noModel = run("mine", "--reports", csv.toString(), "--out", tmp.resolve("o3").toString(), "--llm",
                "http://127.0.0.1:9/v1");
        assertTrue(noModel.err().contains("--llm needs --model"), noModel.err());
    }

    @Test
    void pretrainRunsResumesAndRefusesBadConfigs(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("run");
        String[] args = {"pretrain", "--data", "synthetic", "--preset", "micro", "--steps", "4", "--batch-size", "8",
            "--synthetic-records", "24", "--validation-records", "12", "--min-entity-count", "1", "--device", "cpu",
            "--out", run.toString()};
        Result r = run(args);
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("zero-shot AUROC query"), r.out());
        assertTrue(r.out().contains(", I ") && r.out().contains(", limb "), "partial-lead validation: " + r.out());
        assertTrue(r.out().contains("waiting for data"), "the summary says where the time went: " + r.out());
        for (String f : new String[] {"metrics.jsonl", "curves.png", "summary.json", "config.json", "entities.json",
            "best/model.safetensors", "checkpoints/step-000004/training-state.safetensors", "knowledge/vocabulary.json"}) {
            assertTrue(java.nio.file.Files.exists(run.resolve(f)), f + " was written");
        }
        String[] more = args.clone();
        more[6] = "6";
        Result resumed = run(java.util.stream.Stream.concat(java.util.Arrays.stream(more), java.util.stream.Stream.of(
                "--resume")).toArray(String[]::new));
        assertEquals(0, resumed.exitCode(), resumed.err());
        assertTrue(resumed.out().contains("at step 4"), resumed.out());
        assertEquals(6, java.nio.file.Files.readAllLines(run.resolve("metrics.jsonl")).stream()
                .filter(l -> l.contains("\"kind\":\"step\"")).count(), "one line per step across both runs");

        // A config file that sets no schedule: --steps still scales warm-up, validation and checkpoints.
        Path model = tmp.resolve("model.yaml");
        java.nio.file.Files.writeString(model, "model: {entityWeight: 0.5}\n");
        Result scaled = run("pretrain", "--data", "synthetic", "--preset", "micro", "--steps", "20", "--batch-size", "8",
                "--synthetic-records", "24", "--validation-records", "12", "--min-entity-count", "1", "--device", "cpu",
                "--config", model.toString(), "--out", tmp.resolve("scaled").toString());
        assertEquals(0, scaled.exitCode(), scaled.err());
        assertTrue(scaled.out().contains("20 steps of 8 pairs") && scaled.out().contains("warm-up 1,"), scaled.out());
        assertTrue(scaled.out().contains("step    20/20"), "validated every 2 steps, so at step 20: " + scaled.out());

        Path config = tmp.resolve("bad.yaml");
        java.nio.file.Files.writeString(config, "model:\n  encoder: {widht: 32}\n");
        Result bad = run("pretrain", "--preset", "micro", "--config", config.toString(), "--out", tmp.resolve("x").toString());
        assertEquals(1, bad.exitCode());
        assertTrue(bad.err().contains("bad.yaml") && bad.err().contains("model.encoder.widht"), bad.err());
    }

    /** A pretrained micro model evaluated on a CSV dataset of synthetic WFDB records: all three evaluations. */
    @Test
    void evalZeroShotLeadsAndProbeWriteResultsAndPlots(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("run");
        Result pre = run("pretrain", "--data", "synthetic", "--preset", "micro", "--steps", "3", "--batch-size", "8",
                "--synthetic-records", "24", "--validation-records", "12", "--min-entity-count", "1", "--device", "cpu",
                "--out", run.toString());
        assertEquals(0, pre.exitCode(), pre.err());
        org.kmerl.model.data.synth.SyntheticEcg gen = new org.kmerl.model.data.synth.SyntheticEcg(100, 10, true);
        StringBuilder csv = new StringBuilder("path,split,AFIB,NORM\n");
        String[] splits = {"train", "train", "train", "val", "test"};
        for (int i = 0; i < 30; i++) {
            var conditions = i % 2 == 0 ? java.util.Set.of(org.kmerl.model.data.synth.Condition.ATRIAL_FIBRILLATION)
                    : java.util.Set.of(org.kmerl.model.data.synth.Condition.NORMAL);
            org.kmerl.model.data.wfdb.WfdbWriter.write(gen.generate(conditions, i).record(), tmp.resolve("recs"), "r" + i,
                    1000, java.util.List.of());
            csv.append("recs/r").append(i).append(',').append(splits[i % 5]).append(',').append(i % 2 == 0 ? 1 : 0)
                    .append(',').append(i % 2 == 0 ? 0 : 1).append('\n');
        }
        Path data = tmp.resolve("afib.csv");
        java.nio.file.Files.writeString(data, csv);
        Path texts = tmp.resolve("texts.csv");
        java.nio.file.Files.writeString(texts, "code,text\nAFIB,atrial fibrillation\nNORM,normal ecg\n");
        String[] common = {"--checkpoint", run.toString(), "--data", data.toString(), "--class-text", texts.toString(),
            "--device", "cpu"};

        Result zs = run(concat(new String[] {"eval", "zeroshot", "--out", tmp.resolve("zs").toString()}, common));
        assertEquals(0, zs.exitCode(), zs.err());
        assertTrue(zs.out().contains("query network") && zs.out().contains("ECG-text similarity"), zs.out());
        for (String f : new String[] {"results.json", "results.md", "roc-afib-query-all.png", "roc-afib-similarity-all.png",
            "features/all.safetensors"}) {
            assertTrue(java.nio.file.Files.exists(tmp.resolve("zs").resolve(f)), f + " was written");
        }
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(tmp.resolve("zs/results.json").toFile());
        assertEquals(2, json.path("results").size());
        assertEquals(6, json.path("results").get(0).path("test_records").asInt());
        assertEquals("atrial fibrillation", json.path("results").get(0).path("classes").get(0).path("text").asText());
        assertTrue(json.path("results").get(0).path("macro_auroc_low").isNumber(), json.toString());

        Result leads = run(concat(new String[] {"eval", "leads", "--leads", "all;I;I,II,V1", "--out",
            tmp.resolve("leads").toString()}, common));
        assertEquals(0, leads.exitCode(), leads.err());
        String md = java.nio.file.Files.readString(tmp.resolve("leads/results.md"));
        assertTrue(md.contains("| I (zero-filled) |") && md.contains("| I,II,V1 |") && md.contains("by lead view"), md);

        Result probe = run(concat(new String[] {"eval", "probe", "--fractions", "0.01,1", "--small-seeds", "2", "--out",
            tmp.resolve("probe").toString()}, common));
        assertEquals(0, probe.exitCode(), probe.err());
        assertEquals(3, new com.fasterxml.jackson.databind.ObjectMapper().readTree(tmp.resolve("probe/results.json").toFile())
                .path("results").size(), "1% twice (a small fraction: two draws), 100% once");

        Result embed = run(concat(new String[] {"embed", "--leads", "limb", "--out", tmp.resolve("emb").toString()}, common));
        assertEquals(0, embed.exitCode(), embed.err());
        assertTrue(embed.out().contains("[30, "), embed.out());
        assertEquals(31, java.nio.file.Files.readAllLines(tmp.resolve("emb/index.csv")).size(), "a header and 30 rows");
        assertTrue(java.nio.file.Files.size(tmp.resolve("emb/embeddings.npy")) > 30 * 4, "30 embeddings");

        Result explain = run("explain", "attention", "--checkpoint", run.toString(), "--record",
                tmp.resolve("recs/r0").toString(), "--top", "2", "--device", "cpu", "-o", tmp.resolve("att.png").toString());
        assertEquals(0, explain.exitCode(), explain.err());
        assertEquals(3, explain.out().lines().count(), "two entities and the path: " + explain.out());
        assertTrue(java.nio.file.Files.size(tmp.resolve("att.png")) > 10_000);

        Result missing = run("eval", "zeroshot", "--checkpoint", tmp.resolve("nope").toString(), "--data", data.toString(),
                "--out", tmp.resolve("x").toString());
        assertEquals(1, missing.exitCode());
        assertTrue(missing.err().contains("nope") && missing.err().lines().count() <= 2, missing.err());
    }

    private static String[] concat(String[] a, String[] b) {
        return java.util.stream.Stream.concat(java.util.Arrays.stream(a), java.util.Arrays.stream(b)).toArray(String[]::new);
    }

    @Test
    void traceWritesAChromeTraceAndASummaryOfAnyCommand(@TempDir Path tmp) throws Exception {
        Path trace = tmp.resolve("trace.json");
        Result r = run("text", "embed", "sinus rhythm", "--trace", trace.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("trace ") && r.out().contains("cpu matmul.addmm") && r.out().contains("GFLOP/s"), r.out());
        var events = new com.fasterxml.jackson.databind.ObjectMapper().readTree(trace.toFile()).path("traceEvents");
        assertTrue(events.size() > 20, "a BERT forward pass is many ops: " + events.size());
    }

    /** A malformed peak setting costs the summary, in one line, not the trace or a stack trace. */
    @Test
    void malformedPeakSettingLeavesTheTraceAndSaysWhy(@TempDir Path tmp) {
        Path trace = tmp.resolve("trace.json");
        System.setProperty("kmerl.cpu.peakGbps", "fast");
        try {
            Result r = run("text", "embed", "sinus rhythm", "--trace", trace.toString());
            assertEquals(0, r.exitCode(), r.err());
            assertTrue(r.out().contains("kmerl: trace written to " + trace + ", but no summary: KMERL_CPU_PEAK_GBPS"),
                    r.out());
            assertTrue(java.nio.file.Files.isRegularFile(trace));
        } finally {
            System.clearProperty("kmerl.cpu.peakGbps");
        }
    }

    @Test
    void profileTracesOneTrainingStep(@TempDir Path tmp) throws Exception {
        Path trace = tmp.resolve("step.json");
        Result r = run("profile", "--preset", "micro", "--leads", "3", "--batch-size", "4", "--device", "cpu", "--out",
                trace.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("ms per traced step") && r.out().contains("cpu attention.backward")
                && r.out().contains("cpu optimizer.adamw"), r.out());
        var events = new com.fasterxml.jackson.databind.ObjectMapper().readTree(trace.toFile()).path("traceEvents");
        assertTrue(events.size() > 50, "forward, backward and AdamW of a whole step: " + events.size());
        Result bad = run("profile", "--leads", "13", "--out", trace.toString());
        assertEquals(1, bad.exitCode());
        assertTrue(bad.err().contains("--leads must be 1-12"), bad.err());
    }

    /** Every command's help renders (picocli only warns, on System.err, about a stray '%' in a description). */
    @Test
    void everyHelpFormatsWithoutWarnings() {
        java.io.PrintStream err = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true));
        int commands = 0;
        try {
            java.util.Deque<CommandLine> todo = new java.util.ArrayDeque<>(List.of(Main.commandLine()));
            while (!todo.isEmpty()) {
                CommandLine c = todo.pop();
                c.getSubcommands().values().forEach(todo::push);
                c.setOut(new PrintWriter(new StringWriter()));
                c.usage(new PrintWriter(new StringWriter()));
                commands++;
            }
        } finally {
            System.setErr(err);
        }
        assertTrue(commands > 20, commands + " commands");
        assertFalse(captured.toString().contains("WARN"), captured.toString());
    }

    @Test
    void helpListsTheCommands() {
        Result r = run("--help");
        assertEquals(0, r.exitCode());
        assertTrue(r.out().contains("devices"), r.out());
    }

    @Test
    void unknownCommandsFailWithUsageAndCode2() {
        Result r = run("frobnicate");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("Unmatched argument"), r.err());
    }

    @Test
    void textTokenizeShowsPiecesAndIds() {
        Result r = run("text", "tokenize", "sinus rhythm. normal ecg.");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("tokens [CLS] sin ##us rhythm . normal ec ##g . [SEP]"), r.out());
        assertTrue(r.out().contains("ids    101 8254 2271 6348 1012 3671 14925 2290 1012 102"), r.out());
        Result ids = run("text", "tokenize", "--ids", "--max-length", "4", "sinus rhythm");
        assertEquals("101 8254 2271 102", ids.out().strip());
    }

    @Test
    void textEmbedPrintsCosinesAndWritesSafetensors(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("e.safetensors");
        Result r = run("text", "embed", "--cosine", "sinus rhythm. normal ecg.",
                "atrial fibrillation with rapid ventricular response", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        // The cosine langchain4j's ONNX Runtime gives for this pair (../shared/docs/minilm-notes.md): 0.389463.
        assertTrue(r.out().contains("[0]    1.0000  0.3895"), r.out());
        try (SafeTensors.Content c = SafeTensors.read(out)) {
            assertArrayEquals(new int[] {2, 384}, c.tensors().get("embeddings").shape());
            assertTrue(c.metadata().get("model").startsWith("all-MiniLM-L6-v2|"), c.metadata().toString());
        }
        Result vectors = run("text", "embed", "--dims", "3", "sinus rhythm. normal ecg.");
        assertTrue(vectors.out().startsWith("[0] 0.027611 -0.004771 -0.049049 ... (384 dims)"), vectors.out());
    }

    @Test
    void textErrorsAreOneLine(@TempDir Path dir) {
        Result r = run("text", "embed", "--model", dir.resolve("nothing").toString(), "x");
        assertEquals(1, r.exitCode());
        assertTrue(r.err().startsWith("kmerl: error: ") && r.err().contains("not a directory"), r.err());
        Result none = run("text", "embed");
        assertEquals(1, none.exitCode());
        assertTrue(none.err().contains("no text given"), none.err());
        Result pooling = run("text", "embed", "--pooling", "max", "x");
        assertTrue(pooling.err().contains("--pooling must be mean, cls or pooler"), pooling.err());
    }
}
