package org.kmerl.model.eval;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * The area under the ROC curve, exactly, with ties: the Mann-Whitney statistic with average ranks,
 * AUROC = (sum of positive ranks - P(P+1)/2) / (P·N). It equals scikit-learn's
 * {@code roc_auc_score} (trapezoids through tied scores). Undefined (NaN) without both classes.
 */
public final class Auroc {
    private Auroc() {
    }

    /** {@code positive[i]} is the label of {@code scores[i]}. */
    public static double of(double[] scores, boolean[] positive) {
        if (scores.length != positive.length) {
            throw new IllegalArgumentException(scores.length + " scores but " + positive.length + " labels");
        }
        int n = scores.length;
        Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble(i -> scores[i]));
        double positiveRanks = 0;
        long pos = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) {
                j++;
            }
            double rank = (i + j) / 2.0 + 1;       // the average of ranks i+1 .. j+1
            for (int k = i; k <= j; k++) {
                if (positive[order[k]]) {
                    positiveRanks += rank;
                    pos++;
                }
            }
            i = j + 1;
        }
        long neg = n - pos;
        if (pos == 0 || neg == 0) {
            return Double.NaN;
        }
        return (positiveRanks - pos * (pos + 1) / 2.0) / ((double) pos * neg);
    }

    /** Per-class AUROC of scores [N][C] against labels [N][C]; NaN for classes without both labels. */
    public static double[] perClass(float[][] scores, boolean[][] labels) {
        int c = scores.length == 0 ? 0 : scores[0].length;
        double[] out = new double[c];
        for (int k = 0; k < c; k++) {
            double[] s = new double[scores.length];
            boolean[] y = new boolean[scores.length];
            for (int i = 0; i < scores.length; i++) {
                s[i] = scores[i][k];
                y[i] = labels[i][k];
            }
            out[k] = of(s, y);
        }
        return out;
    }

    /** The mean over defined (non-NaN) values, NaN if none. */
    public static double macro(double[] perClass) {
        return Arrays.stream(perClass).filter(v -> !Double.isNaN(v)).average().orElse(Double.NaN);
    }
}
