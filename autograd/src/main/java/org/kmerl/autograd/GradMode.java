package org.kmerl.autograd;

/**
 * Whether operations on the current thread record the graph. Inside {@code try (var off =
 * GradMode.disabled()) { ... }} results never require grad, so inference and evaluation keep no
 * saved tensors alive.
 */
public final class GradMode {
    private static final ThreadLocal<Boolean> ENABLED = ThreadLocal.withInitial(() -> Boolean.TRUE);

    /** Restores the previous mode when closed. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    private GradMode() {
    }

    public static boolean isEnabled() {
        return ENABLED.get();
    }

    /** Turns recording off on this thread until the returned scope is closed. */
    public static Scope disabled() {
        return set(false);
    }

    /** Turns recording on (inside a disabled region) until the returned scope is closed. */
    public static Scope enabled() {
        return set(true);
    }

    private static Scope set(boolean on) {
        boolean previous = ENABLED.get();
        ENABLED.set(on);
        return () -> ENABLED.set(previous);
    }
}
