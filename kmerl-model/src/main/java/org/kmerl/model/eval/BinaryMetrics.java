package org.kmerl.model.eval;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Threshold metrics of one binary class and bootstrap confidence intervals, next to {@link Auroc}.
 * A sample is predicted positive when its score is at least the threshold (scikit-learn's convention
 * for {@code precision_recall_curve}).
 */
public final class BinaryMetrics {
    private BinaryMetrics() {
    }

    /** F1 of predicting {@code score >= threshold}; 0 when there are no true or no predicted positives. */
    public static double f1(double[] scores, boolean[] positive, double threshold) {
        long tp = 0;
        long fp = 0;
        long fn = 0;
        for (int i = 0; i < scores.length; i++) {
            boolean predicted = scores[i] >= threshold;
            if (predicted && positive[i]) {
                tp++;
            } else if (predicted) {
                fp++;
            } else if (positive[i]) {
                fn++;
            }
        }
        return tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);
    }

    /** A threshold and the F1 it gives. */
    public record Threshold(double threshold, double f1) {
    }

    /**
     * The threshold with the highest F1 among the distinct scores (the lowest one on ties), found in one
     * pass over the scores sorted high to low. Choose it on a validation split and apply it to the test
     * split: choosing it on the test split (as MERL did) overstates F1.
     */
    public static Threshold bestF1(double[] scores, boolean[] positive) {
        int n = scores.length;
        long positives = IntStream.range(0, n).filter(i -> positive[i]).count();
        if (positives == 0) {
            return new Threshold(Double.POSITIVE_INFINITY, 0);
        }
        Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
        Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a]));
        long tp = 0;
        long predicted = 0;
        Threshold best = new Threshold(Double.POSITIVE_INFINITY, 0);
        int i = 0;
        while (i < n) {
            double t = scores[order[i]];
            while (i < n && scores[order[i]] == t) {     // every sample tied at t flips together
                tp += positive[order[i]] ? 1 : 0;
                predicted++;
                i++;
            }
            double f1 = 2.0 * tp / (predicted + positives);
            if (f1 >= best.f1()) {
                best = new Threshold(t, f1);
            }
        }
        return best;
    }

    /** A metric of (scores, labels), for {@link #bootstrap}. */
    @FunctionalInterface
    public interface Metric {
        double of(double[] scores, boolean[] positive);
    }

    /** A point estimate with a percentile interval. */
    public record Interval(double estimate, double low, double high) {
    }

    /**
     * The percentile bootstrap: {@code rounds} resamples of the samples with replacement (seeded),
     * the metric on each (resamples where it is undefined are skipped), and the (1-level)/2 and
     * (1+level)/2 quantiles; {@code level} 0.95 gives the 95% interval.
     */
    public static Interval bootstrap(double[] scores, boolean[] positive, Metric metric, int rounds, double level,
                                     long seed) {
        if (rounds <= 0 || !(level > 0 && level < 1)) {
            throw new IllegalArgumentException("bootstrap needs rounds > 0 and a level in (0, 1), got " + rounds + ", "
                    + level);
        }
        int n = scores.length;
        SplittableRandom rng = new SplittableRandom(seed);
        double[] values = new double[rounds];
        int kept = 0;
        double[] s = new double[n];
        boolean[] y = new boolean[n];
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < n; i++) {
                int j = rng.nextInt(n);
                s[i] = scores[j];
                y[i] = positive[j];
            }
            double v = metric.of(s, y);
            if (!Double.isNaN(v)) {
                values[kept++] = v;
            }
        }
        double estimate = metric.of(scores, positive);
        if (kept == 0) {
            return new Interval(estimate, Double.NaN, Double.NaN);
        }
        double[] sorted = Arrays.copyOf(values, kept);
        Arrays.sort(sorted);
        return new Interval(estimate, quantile(sorted, (1 - level) / 2), quantile(sorted, (1 + level) / 2));
    }

    /** Linear interpolation between order statistics (NumPy's default). */
    static double quantile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }
}
