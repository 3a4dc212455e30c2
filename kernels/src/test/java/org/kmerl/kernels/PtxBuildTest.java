package org.kmerl.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PTX build script: without nvcc the build succeeds and leaves the reason for the backend to report. */
class PtxBuildTest {

    @Test
    void withoutNvccTheBuildSucceedsAndSaysWhy(@TempDir Path out) throws Exception {
        // Maven runs tests in the module directory; the GPU check runs them from the repository root.
        Path cuda = Files.isDirectory(Path.of("src/main/cuda")) ? Path.of("src/main/cuda") : Path.of("kernels/src/main/cuda");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(cuda.resolve("build-ptx.sh")),
                "the CUDA sources are not beside this test run");
        Files.writeString(out.resolve("stale.ptx"), "old");
        ProcessBuilder pb = new ProcessBuilder("bash", cuda.resolve("build-ptx.sh").toString(), cuda.toString(), out.toString());
        pb.environment().put("NVCC", "none");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String log = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), log);
        assertTrue(Files.readString(out.resolve("NO_KERNELS")).contains("nvcc was not found"));
        assertFalse(Files.exists(out.resolve("stale.ptx")), "no PTX may be left from an earlier build");
        assertTrue(log.contains("building without CUDA kernels"), log);
    }
}
