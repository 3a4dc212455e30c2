package org.kmerl.kernels.ops;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * Chooses, per product shape, the fastest of the GEMM variants that give the same bits, by timing each once on
 * the card (as {@code torch.backends.cudnn.benchmark} does for convolutions). v6, v7, v8, v10 and v11 differ in
 * tiling, prefetch and shared-memory layout only: every output element is summed by one thread, k-tile by
 * 16-deep k-tile in the same order, with the same FMAs, so whichever wins the result is identical bit for bit
 * (the parity test checks it) and a run stays reproducible. Split-K, which changes the order of the sum, is
 * decided before and apart from this, by shape alone.
 *
 * <p>Opt-in: {@code KMERL_GEMM_TUNE=1} (or {@code -Dkmerl.gemm.tune=true});
 * {@code KMERL_GEMM_TUNE=verbose} also prints each decision with every candidate's time to standard error.
 * The first product of each shape pays for the timing (one warm-up and three timed launches per candidate,
 * into a scratch output, then a wait for the events); later ones look the choice up.
 */
final class GemmTuner {
    private static final String SETTING = System.getenv().getOrDefault("KMERL_GEMM_TUNE", "");
    private static final boolean VERBOSE = SETTING.equals("verbose");
    /** The interchangeable variants, the current default first (it wins ties). */
    static final List<String> CANDIDATES = List.of("v10", "v6", "v7", "v8", "v11");

    /** What the choice depends on besides the card: the sizes and the operands' orientations. */
    record Shape(int m, int n, int k, int batch, boolean aColumnMajor, boolean bColumnMajor) {
        @Override
        public String toString() {
            return (batch > 1 ? batch + "x" : "") + m + "x" + n + "x" + k + (aColumnMajor ? " Aᵀ" : "")
                    + (bColumnMajor ? " Bᵀ" : "");
        }
    }

    private final Map<Shape, String> chosen = new ConcurrentHashMap<>();

    /** Whether products are tuned: the environment, or the system property (which tests may set and clear). */
    static boolean enabled() {
        return SETTING.equals("1") || VERBOSE || Boolean.getBoolean("kmerl.gemm.tune");
    }

    /** The variant for {@code shape}: measured with {@code millis} (time per launch) the first time, then remembered. */
    String choose(Shape shape, ToDoubleFunction<String> millis) {
        return chosen.computeIfAbsent(shape, s -> fastest(s, millis));
    }

    private static String fastest(Shape shape, ToDoubleFunction<String> millis) {
        String best = null;
        double bestMs = Double.POSITIVE_INFINITY;
        StringBuilder line = new StringBuilder();
        for (String variant : CANDIDATES) {
            double ms = millis.applyAsDouble(variant);
            line.append(String.format(Locale.ROOT, " %s %.4f ms", variant, ms));
            if (ms < bestMs) {
                best = variant;
                bestMs = ms;
            }
        }
        if (VERBOSE) {
            System.err.println("gemm tune " + shape + ":" + line + " -> " + best);
        }
        return best;
    }
}
