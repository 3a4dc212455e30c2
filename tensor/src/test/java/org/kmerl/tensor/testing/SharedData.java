package org.kmerl.tensor.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * The team's shared data folder ({@code ../shared/data} next to the repository, or the folder named
 * by {@code -Dkmerl.shared.data}). A user's clone has none: tests that need it skip with the reason;
 * CI has it, so there they run.
 */
public final class SharedData {
    private SharedData() {
    }

    /** {@code sub} inside the shared data folder, or skips the calling test when it is absent. */
    public static Path require(String sub) {
        Path root = root();
        Path p = root == null ? null : root.resolve(sub);
        Assumptions.assumeTrue(p != null && Files.exists(p),
                () -> "shared data " + (root == null ? "../shared/data" : root) + "/" + sub
                        + " is absent (only CI and the team's machines have it)");
        return p;
    }

    private static Path root() {
        String configured = System.getProperty("kmerl.shared.data");
        if (configured != null) {
            return Path.of(configured);
        }
        // Surefire runs in the module folder: walk up to the repository (the folder with .ci).
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve(".ci")) && dir.getParent() != null) {
                return dir.getParent().resolve("shared").resolve("data");
            }
        }
        return null;
    }
}
