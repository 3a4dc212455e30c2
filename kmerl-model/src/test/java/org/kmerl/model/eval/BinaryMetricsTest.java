package org.kmerl.model.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BinaryMetricsTest {
    /** scikit-learn's roc_auc_score, best F1 over precision_recall_curve and f1_score (make_metrics_fixture.py). */
    @Test
    void aurocAndF1AgreeWithScikitLearn() throws IOException {
        JsonNode fixture = new ObjectMapper().readTree(Path.of("src/test/resources/metrics.json").toFile());
        int cases = 0;
        for (JsonNode c : fixture.get("cases")) {
            int n = c.get("scores").size();
            double[] s = new double[n];
            boolean[] y = new boolean[n];
            for (int i = 0; i < n; i++) {
                s[i] = c.get("scores").get(i).asDouble();
                y[i] = c.get("labels").get(i).asInt() == 1;
            }
            assertEquals(c.get("auroc").asDouble(), Auroc.of(s, y), 1e-12, "AUROC of case " + cases);
            BinaryMetrics.Threshold best = BinaryMetrics.bestF1(s, y);
            assertEquals(c.get("best_f1").asDouble(), best.f1(), 1e-12, "best F1 of case " + cases);
            assertEquals(best.f1(), BinaryMetrics.f1(s, y, best.threshold()), 1e-12, "the threshold gives that F1");
            for (int k = 0; k < 3; k++) {
                double t = c.get("thresholds").get(k).asDouble();
                assertEquals(c.get("f1_at").get(k).asDouble(), BinaryMetrics.f1(s, y, t), 1e-12,
                        "F1 at " + t + " in case " + cases);
            }
            cases++;
        }
        assertEquals(5, cases);
    }

    @Test
    void bootstrapIntervalsAreSeededContainTheEstimateAndShrinkWithMoreData() {
        SplittableRandom r = new SplittableRandom(3);
        double[] widths = new double[2];
        int k = 0;
        for (int n : new int[] {100, 1600}) {
            double[] s = new double[n];
            boolean[] y = new boolean[n];
            for (int i = 0; i < n; i++) {
                y[i] = r.nextDouble() < 0.3;
                s[i] = r.nextGaussian() + (y[i] ? 1 : 0);
            }
            BinaryMetrics.Interval a = BinaryMetrics.bootstrap(s, y, Auroc::of, 500, 0.95, 7);
            BinaryMetrics.Interval b = BinaryMetrics.bootstrap(s, y, Auroc::of, 500, 0.95, 7);
            assertEquals(a, b, "same seed, same interval");
            assertTrue(a.low() < a.estimate() && a.estimate() < a.high(), a.toString());
            if (n == 1600) {
                assertTrue(a.low() < 0.76 && 0.76 < a.high(), "the true AUROC of a 1-sd shift, 0.76, is inside: " + a);
            }
            widths[k++] = a.high() - a.low();
        }
        assertTrue(widths[1] < widths[0] / 2.5, "16x the data should give about a quarter of the width: "
                + java.util.Arrays.toString(widths));
    }

    @Test
    void quantilesInterpolateLikeNumPy() {
        double[] v = {1, 2, 3, 4};
        assertEquals(1.75, BinaryMetrics.quantile(v, 0.25), 1e-12);   // numpy.quantile([1,2,3,4], 0.25)
        assertEquals(4.0, BinaryMetrics.quantile(v, 1.0), 1e-12);
    }
}
