package org.kmerl.tensor.cpu;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.Future;

/**
 * The one thread pool of the CPU backend. Its size comes from the system property
 * {@code kmerl.threads}, else the environment variable {@code KMERL_THREADS}, else the number of
 * available cores. Work submitted from inside the pool runs inline, and concurrent callers share the
 * same workers, so nested or concurrent use never oversubscribes the cores.
 *
 * <p>Kernels split work so that results do not depend on the thread count: each output element is
 * computed by exactly one task, in a fixed order.
 */
public final class CpuThreads {
    /** Body of a parallel loop over the index range [start, end). */
    @FunctionalInterface
    public interface RangeBody {
        void run(int start, int end);
    }

    private static volatile ForkJoinPool pool = newPool(configuredThreads());

    private CpuThreads() {
    }

    public static int threads() {
        return pool.getParallelism();
    }

    /** Replaces the pool with one of {@code threads} workers (tests compare thread counts with this). */
    public static synchronized void setThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("thread count must be >= 1, got " + threads);
        }
        ForkJoinPool old = pool;
        pool = newPool(threads);
        old.shutdown();
    }

    /**
     * Runs {@code body} over [0, n) in up to {@link #threads()} contiguous chunks, each at least
     * {@code grain} long; runs inline when the work is small or the caller is a pool worker.
     */
    public static void parallelFor(int n, int grain, RangeBody body) {
        if (n <= 0) {
            return;
        }
        ForkJoinPool p = pool;
        int chunks = (int) Math.min(p.getParallelism(), (n + (long) Math.max(grain, 1) - 1) / Math.max(grain, 1));
        if (chunks <= 1 || insidePool()) {
            body.run(0, n);
            return;
        }
        List<Callable<Void>> tasks = new ArrayList<>(chunks);
        for (int c = 0; c < chunks; c++) {
            int start = (int) ((long) n * c / chunks);
            int end = (int) ((long) n * (c + 1) / chunks);
            tasks.add(() -> {
                body.run(start, end);
                return null;
            });
        }
        for (Future<Void> f : p.invokeAll(tasks)) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for CPU kernel tasks", e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException re) {
                    throw re;
                }
                if (cause instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException(cause);
            }
        }
    }

    private static boolean insidePool() {
        return Thread.currentThread() instanceof ForkJoinWorkerThread;
    }

    private static int configuredThreads() {
        String value = System.getProperty("kmerl.threads");
        String source = "system property kmerl.threads";
        if (value == null) {
            value = System.getenv("KMERL_THREADS");
            source = "environment variable KMERL_THREADS";
        }
        if (value == null || value.isBlank()) {
            return Runtime.getRuntime().availableProcessors();
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(source + " must be a positive integer, got '" + value + "'");
    }

    private static ForkJoinPool newPool(int threads) {
        return new ForkJoinPool(threads, p -> {
            ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
            t.setName("kmerl-cpu-" + t.getPoolIndex());
            t.setDaemon(true);
            return t;
        }, null, false);
    }
}
