package org.kmerl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Without {@code --add-modules jdk.incubator.vector} the tool still runs, on the reference kernels. */
class NoVectorApiTest {
    @Test
    void runsOnScalarKernelsWithoutTheIncubatorModule() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                "org.kmerl.cli.Main", "devices")).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.contains("SIMD: scalar (jdk.incubator.vector not loaded"), out);
        assertTrue(out.contains("gemm=reference") && out.contains("attention=reference"), out);
    }
}
