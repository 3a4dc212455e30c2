package org.kmerl.tensor.testing;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/**
 * Prints every skipped or aborted test with its reason (no CUDA driver, no ../shared/data), so that
 * a quiet build still says what it did not check. Registered for all modules' tests through
 * META-INF/services in this test jar.
 */
public final class SkipReporter implements TestExecutionListener {
    @Override
    public void executionSkipped(TestIdentifier test, String reason) {
        System.err.println("SKIPPED " + test.getDisplayName() + ": " + reason);
    }

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
            String reason = result.getThrowable().map(Throwable::getMessage).orElse("aborted");
            System.err.println("SKIPPED " + test.getDisplayName() + ": " + reason);
        }
    }
}
