package org.kmerl.model.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AurocTest {
    /** The plain definition: the share of (positive, negative) pairs ordered right, ties counting half. */
    static double pairs(double[] s, boolean[] y) {
        double good = 0;
        long total = 0;
        for (int i = 0; i < s.length; i++) {
            for (int j = 0; j < s.length; j++) {
                if (y[i] && !y[j]) {
                    total++;
                    good += s[i] > s[j] ? 1 : s[i] == s[j] ? 0.5 : 0;
                }
            }
        }
        return good / total;
    }

    @Test
    void matchesThePairCountingDefinitionWithManyTies() {
        SplittableRandom r = new SplittableRandom(1);
        for (int trial = 0; trial < 50; trial++) {
            int n = 2 + r.nextInt(60);
            double[] s = new double[n];
            boolean[] y = new boolean[n];
            for (int i = 0; i < n; i++) {
                s[i] = r.nextInt(5);          // heavy ties
                y[i] = r.nextBoolean();
            }
            y[0] = true;
            y[1] = false;
            assertEquals(pairs(s, y), Auroc.of(s, y), 1e-12);
        }
    }

    @Test
    void knownValuesAndUndefinedCases() {
        assertEquals(1.0, Auroc.of(new double[] {0.1, 0.4, 0.35, 0.8}, new boolean[] {false, true, false, true}), 1e-12);
        // scikit-learn: roc_auc_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) = 0.75
        assertEquals(0.75, Auroc.of(new double[] {0.1, 0.4, 0.35, 0.8}, new boolean[] {false, false, true, true}), 1e-12);
        assertTrue(Double.isNaN(Auroc.of(new double[] {1, 2}, new boolean[] {true, true})));
        assertEquals(0.5, Auroc.macro(new double[] {Double.NaN, 0.25, 0.75}), 1e-12);
    }
}
