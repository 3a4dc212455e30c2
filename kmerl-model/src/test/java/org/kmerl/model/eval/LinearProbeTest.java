package org.kmerl.model.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LinearProbeTest {
    @Test
    void subsetsAreSeededSortedAndAtLeastTwo() {
        int[] train = IntStream.range(100, 300).toArray();
        int[] a = LinearProbe.subset(train, 0.1, 4);
        assertEquals(20, a.length);
        assertArrayEquals(a, LinearProbe.subset(train, 0.1, 4));
        assertTrue(!Arrays.equals(a, LinearProbe.subset(train, 0.1, 5)), "another seed, another draw");
        int[] sorted = a.clone();
        Arrays.sort(sorted);
        assertArrayEquals(sorted, a);
        assertEquals(2, LinearProbe.subset(train, 0.001, 1).length);
        assertArrayEquals(train, LinearProbe.subset(train, 1.0, 1));
        assertThrows(IllegalArgumentException.class, () -> LinearProbe.subset(train, 0, 1));
    }

    @Test
    void aLinearlySeparableTaskIsLearnedAndSelectionNeverSeesTheTestSplit() {
        Random rng = new Random(9);
        int n = 300;
        int d = 12;
        float[][] x = new float[n][d];
        boolean[][] y = new boolean[n][2];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                x[i][j] = (float) rng.nextGaussian();
            }
            y[i][0] = x[i][0] + 0.5 * x[i][1] > 0;
            y[i][1] = x[i][2] - x[i][3] > 0.3;
        }
        int[] train = IntStream.range(0, 200).toArray();
        int[] val = IntStream.range(200, 250).toArray();
        int[] test = IntStream.range(250, 300).toArray();
        LinearProbe.Result r = LinearProbe.fit(x, y, train, val, test, 1);
        double[] auroc = Auroc.perClass(r.test(), EvalDataset.rows(y, test));
        assertTrue(auroc[0] > 0.97 && auroc[1] > 0.97, Arrays.toString(auroc));
        // The chosen weight decay and epoch depend on the training and validation records only.
        LinearProbe.Result other = LinearProbe.fit(x, y, train, val, IntStream.range(0, 10).toArray(), 1);
        assertEquals(r.weightDecay(), other.weightDecay());
        assertEquals(r.epoch(), other.epoch());
        assertEquals(r.validationAuroc(), other.validationAuroc());
    }
}
