package org.kmerl.model.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RocAndScoresTest {
    @Test
    void theAreaUnderTheCurveEqualsTheRankAurocWithTies() {
        Random rng = new Random(3);
        for (int trial = 0; trial < 20; trial++) {
            int n = 5 + rng.nextInt(60);
            double[] s = new double[n];
            boolean[] y = new boolean[n];
            for (int i = 0; i < n; i++) {
                s[i] = rng.nextInt(7);   // many ties
                y[i] = rng.nextDouble() < 0.4;
            }
            y[0] = true;
            y[1] = false;
            List<double[]> curve = RocPlot.curve(s, y);
            assertEquals(0, curve.get(0)[0]);
            assertEquals(1, curve.get(curve.size() - 1)[0], 1e-12);
            assertEquals(1, curve.get(curve.size() - 1)[1], 1e-12);
            double area = 0;
            for (int i = 1; i < curve.size(); i++) {
                assertTrue(curve.get(i)[0] >= curve.get(i - 1)[0] && curve.get(i)[1] >= curve.get(i - 1)[1], "monotone");
                area += (curve.get(i)[0] - curve.get(i - 1)[0]) * (curve.get(i)[1] + curve.get(i - 1)[1]) / 2;
            }
            assertEquals(Auroc.of(s, y), area, 1e-12, "trial " + trial);
        }
    }

    private static EvalTask task(int classes) {
        List<String> codes = java.util.stream.IntStream.range(0, classes).mapToObj(k -> "C" + k).toList();
        return new EvalTask("t", codes, codes, new boolean[0][classes]);
    }

    @Test
    void classesWithoutBothLabelsAreListedAndThresholdsComeFromValidation() {
        Random rng = new Random(5);
        int n = 80;
        float[][] test = new float[n][3];
        boolean[][] labels = new boolean[n][3];
        float[][] val = new float[n][3];
        boolean[][] valLabels = new boolean[n][3];
        for (int i = 0; i < n; i++) {
            labels[i][0] = rng.nextBoolean();
            test[i][0] = (float) ((labels[i][0] ? 1 : 0) + rng.nextGaussian());
            labels[i][1] = false;                       // no positive in the test split
            test[i][1] = (float) rng.nextGaussian();
            labels[i][2] = i % 2 == 0;
            test[i][2] = (float) rng.nextGaussian();    // chance
            valLabels[i][0] = rng.nextBoolean();
            // The validation scores are shifted by +5: the chosen threshold must follow them, not the test scores.
            val[i][0] = (float) ((valLabels[i][0] ? 1 : 0) + rng.nextGaussian() + 5);
            valLabels[i][2] = i % 3 == 0;
            val[i][2] = (float) rng.nextGaussian();
        }
        TaskScores s = TaskScores.of(task(3), "m", test, labels, val, valLabels, 1);
        assertEquals(2, s.classes().size());
        assertEquals(List.of("C1 (no positive in the test split)"), s.excluded());
        TaskScores.ClassScore c0 = s.classes().get(0);
        assertEquals(Auroc.of(TaskScores.column(test, 0), TaskScores.column(labels, 0)), c0.auroc(), 1e-12);
        assertTrue(c0.low() <= c0.auroc() && c0.auroc() <= c0.high(), c0.toString());
        double expected = BinaryMetrics.bestF1(TaskScores.column(val, 0), TaskScores.column(valLabels, 0)).threshold();
        assertEquals(expected, c0.threshold(), 1e-12);
        assertTrue(c0.threshold() > 3, "the threshold sits where the validation scores are: " + c0.threshold());
        assertEquals(BinaryMetrics.f1(TaskScores.column(test, 0), TaskScores.column(labels, 0), expected), c0.f1(), 1e-12);
        assertEquals((c0.auroc() + s.classes().get(1).auroc()) / 2, s.macroAuroc(), 1e-12);
        assertTrue(s.macroLow() <= s.macroAuroc() && s.macroAuroc() <= s.macroHigh(), s.toString());
        assertTrue(s.macroHigh() - s.macroLow() > 0.02, "an interval, not a point");
        assertEquals(s, TaskScores.of(task(3), "m", test, labels, val, valLabels, 1), "seeded: the same every run");
    }
}
