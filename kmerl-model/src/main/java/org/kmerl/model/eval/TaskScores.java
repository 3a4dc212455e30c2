package org.kmerl.model.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One task scored one way on the test split: per-class AUROC with a bootstrap interval, F1 at the
 * threshold that maximised F1 on the validation split (never chosen on the test split), and the macro
 * means with a bootstrap interval for the macro AUROC (records resampled, the macro recomputed over
 * the classes defined in each resample). Classes without both positives and negatives in the test
 * split are listed in {@code excluded}, not silently dropped.
 */
public record TaskScores(String task, String method, int testRecords, double macroAuroc, double macroLow,
                         double macroHigh, double macroF1, List<ClassScore> classes, List<String> excluded) {
    public static final int ROUNDS = 1000;
    public static final double LEVEL = 0.95;

    /** One class: positives in the test split, AUROC and its interval, the validation threshold and test F1. */
    public record ClassScore(String code, String text, int positives, double auroc, double low, double high,
                             double threshold, double f1) {
    }

    /**
     * @param test       scores [test records][classes]
     * @param testLabels labels of the same records
     * @param val        scores of the validation records (may be empty: then no thresholds, F1 is NaN)
     */
    public static TaskScores of(EvalTask task, String method, float[][] test, boolean[][] testLabels, float[][] val,
                                boolean[][] valLabels, long seed) {
        int c = task.classes();
        List<ClassScore> classes = new ArrayList<>();
        List<String> excluded = new ArrayList<>();
        List<Integer> defined = new ArrayList<>();
        for (int k = 0; k < c; k++) {
            double[] s = column(test, k);
            boolean[] y = column(testLabels, k);
            int pos = count(y);
            if (pos == 0 || pos == y.length) {
                excluded.add(task.classCodes().get(k) + (pos == 0 ? " (no positive" : " (no negative") + " in the test split)");
                continue;
            }
            defined.add(k);
            BinaryMetrics.Interval auroc = BinaryMetrics.bootstrap(s, y, Auroc::of, ROUNDS / 2, LEVEL, seed + k);
            double threshold = Double.NaN;
            double f1 = Double.NaN;
            boolean[] vy = column(valLabels, k);
            if (count(vy) > 0) {
                threshold = BinaryMetrics.bestF1(column(val, k), vy).threshold();
                f1 = BinaryMetrics.f1(s, y, threshold);
            }
            classes.add(new ClassScore(task.classCodes().get(k), task.classTexts().get(k), pos, auroc.estimate(),
                    auroc.low(), auroc.high(), threshold, f1));
        }
        double macro = classes.stream().mapToDouble(ClassScore::auroc).average().orElse(Double.NaN);
        double macroF1 = classes.stream().mapToDouble(ClassScore::f1).filter(Double::isFinite).average().orElse(Double.NaN);
        double[] ci = macroInterval(test, testLabels, defined, seed);
        return new TaskScores(task.name(), method, test.length, macro, ci[0], ci[1], macroF1, classes, excluded);
    }

    /** Percentile bootstrap of the macro AUROC over records. */
    static double[] macroInterval(float[][] scores, boolean[][] labels, List<Integer> classes, long seed) {
        int n = scores.length;
        if (classes.isEmpty() || n < 2) {
            return new double[] {Double.NaN, Double.NaN};
        }
        SplittableRandom rng = new SplittableRandom(seed);
        double[] values = new double[ROUNDS];
        int kept = 0;
        double[] s = new double[n];
        boolean[] y = new boolean[n];
        int[] pick = new int[n];
        for (int r = 0; r < ROUNDS; r++) {
            for (int i = 0; i < n; i++) {
                pick[i] = rng.nextInt(n);
            }
            double sum = 0;
            int m = 0;
            for (int k : classes) {
                for (int i = 0; i < n; i++) {
                    s[i] = scores[pick[i]][k];
                    y[i] = labels[pick[i]][k];
                }
                double a = Auroc.of(s, y);
                if (!Double.isNaN(a)) {
                    sum += a;
                    m++;
                }
            }
            if (m > 0) {
                values[kept++] = sum / m;
            }
        }
        double[] sorted = Arrays.copyOf(values, kept);
        Arrays.sort(sorted);
        return kept == 0 ? new double[] {Double.NaN, Double.NaN}
                : new double[] {BinaryMetrics.quantile(sorted, (1 - LEVEL) / 2), BinaryMetrics.quantile(sorted, (1 + LEVEL) / 2)};
    }

    static double[] column(float[][] m, int k) {
        double[] out = new double[m.length];
        for (int i = 0; i < m.length; i++) {
            out[i] = m[i][k];
        }
        return out;
    }

    static boolean[] column(boolean[][] m, int k) {
        boolean[] out = new boolean[m.length];
        for (int i = 0; i < m.length; i++) {
            out[i] = m[i][k];
        }
        return out;
    }

    private static int count(boolean[] y) {
        int n = 0;
        for (boolean b : y) {
            n += b ? 1 : 0;
        }
        return n;
    }
}
