package org.kmerl.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.io.StringWriter;
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
        CommandLine cli = new CommandLine(new KmerlCommand());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        cli.setExecutionExceptionHandler(new ErrorHandler());
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
