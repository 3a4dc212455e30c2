package org.kmerl.benchmarks.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** benchmarks/gpu/verdicts.py on a made-up device-check output: each candidate against the default of its run. */
class VerdictsScriptTest {

    @Test
    void judgesEachCandidateAgainstTheDefaultOfItsRun(@TempDir Path out) throws Exception {
        Path script = Files.isRegularFile(Path.of("gpu/verdicts.py")) ? Path.of("gpu/verdicts.py")
                : Path.of("benchmarks/gpu/verdicts.py");
        Assumptions.assumeTrue(Files.isRegularFile(script), "the script is not beside this test run");
        Files.write(out.resolve("kmerl.jsonl"), List.of(
                row("gemm", "4096x4096x4096", "kmerl v7", 3.679), row("gemm", "4096x4096x4096", "kmerl v8", 3.300),
                row("gemm", "4096x4096x4096", "kmerl v10", 3.660), row("gemm", "4096x4096x4096", "kmerl v11", 3.900),
                row("gemm", "4096x4096x4096", "kmerl v1", 33.7),
                row("clip_fwd_bw", "4096x256", "kmerl v1", 0.979), row("clip_fwd_bw", "4096x256", "kmerl v2", 0.930)));
        Files.write(out.resolve("kmerl-step-candidates.log"), List.of(
                "## default",
                "one training step, leads=3: 120 kernels ...",   // KernelProfile and other lines are not JSON rows
                "{\"name\": \"kmerl step parity leads=3\", \"cpu_vs_cuda:0_losses\": [[1.0, 1.0]], \"max_rel_diff\": 1e-07, \"ok\": true}",
                "{\"name\": \"kmerl step leads=3\", \"device\": \"cuda:0\", \"median_ms\": 12.600, \"min_ms\": 12.1}",
                "## KMERL_KERNELS=attention=v4",
                "gemm tune 4096x4096x256 Bᵀ: v7 0.25 ms -> v7",
                "{\"name\": \"kmerl step parity leads=3\", \"cpu_vs_cuda:0_losses\": [[1.0, 1.0]], \"max_rel_diff\": 1e-07, \"ok\": true}",
                "{\"name\": \"kmerl step leads=3\", \"device\": \"cuda:0\", \"median_ms\": 11.000, \"min_ms\": 10.9}",
                "## KMERL_TF32=1",
                "{\"name\": \"kmerl step parity leads=3\", \"cpu_vs_cuda:0_losses\": [[1.0, 1.1]], \"max_rel_diff\": 1e-01, \"ok\": false}",
                "{\"name\": \"kmerl step leads=3\", \"device\": \"cuda:0\", \"median_ms\": 9.000, \"min_ms\": 8.9}"));
        Process p = new ProcessBuilder("python3", script.toString(), out.toString()).redirectErrorStream(true).start();
        String printed = new String(p.getInputStream().readAllBytes());
        Assumptions.assumeFalse(printed.contains("No such file") || printed.contains("not found"), "no python3 here");
        assertEquals(0, p.waitFor(), printed);
        assertTrue(printed.contains("| gemm | 4096x4096x4096 | v10 | 3.660 | v8 | 3.300 | 0.90 | faster: make it the default |"),
                printed);
        assertTrue(printed.contains("| v7 | 3.679 | 1.01 | no difference |"), printed);
        assertTrue(printed.contains("| v11 | 3.900 | 1.07 | slower: keep it off |"), printed);
        assertTrue(!printed.contains("| v1 | 33.700"), "only the staged candidates are judged:\n" + printed);
        assertTrue(printed.contains("| clip_fwd_bw | 4096x256 | v2 | 0.930 | v1 | 0.979 | 1.05 | slower: keep it off |"),
                printed);
        assertTrue(printed.contains("| KMERL_KERNELS=attention=v4 | 3 | 12.6 | 11.0 | 0.87 | yes | faster: make it the default |"),
                printed);
        assertTrue(printed.contains("| KMERL_TF32=1 | 3 | 12.6 | 9.0 | 0.71 | no | losses disagree with the CPU: keep it off |"),
                printed);
    }

    private static String row(String op, String shape, String impl, double ms) {
        return String.format(java.util.Locale.ROOT, "{\"op\":\"%s\",\"shape\":\"%s\",\"impl\":\"%s\",\"ms\":%.5f,"
                + "\"flops\":0,\"bytes\":0,\"device\":\"NVIDIA H200\"}", op, shape, impl, ms);
    }
}
