package org.kmerl.parallel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kmerl.tensor.Tensor;

/** Ranks as threads: sums and gathers in rank order, the same result on every rank, failures that do not hang. */
@Timeout(value = 300, unit = TimeUnit.SECONDS)   // ranks that wait for each other must never hang the build
class InProcessCollectiveTest {

    @Test
    void sumsAndGathersInRankOrderOnEveryRank() {
        List<float[][]> results = InProcessCollective.run(3, c -> {
            int r = c.rank();
            Tensor a = Tensor.of(new float[] {r, 10 * r}, 2);
            Tensor b = Tensor.full(r + 1f, 2, 2);
            c.allReduceSum(List.of(a, b));
            Tensor rows = Tensor.of(new float[] {r, r, r, r}, 2, 2);
            Tensor all = c.allGather(rows);
            assertArrayEquals(new int[] {6, 2}, all.shape());
            return new float[][] {a.toFloatArray(), b.toFloatArray(), all.toFloatArray()};
        });
        for (int r = 0; r < 3; r++) {
            assertArrayEquals(new float[] {3, 30}, results.get(r)[0], "rank " + r);
            assertArrayEquals(new float[] {6, 6, 6, 6}, results.get(r)[1], "rank " + r);
            assertArrayEquals(new float[] {0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2}, results.get(r)[2], "rank " + r);
        }
    }

    @Test
    void mismatchedShapesAreNamedOnEveryRank() {
        var e = assertThrows(IllegalStateException.class, () -> InProcessCollective.run(2, c ->
                c.allGather(Tensor.zeros(2, c.rank() + 3))));
        assertTrue(e.getMessage().contains("all but the first axis must agree"), e.getMessage());
    }

    @Test
    void aFailingRankReleasesTheOthers() {
        var e = assertThrows(IllegalArgumentException.class, () -> InProcessCollective.run(3, c -> {
            if (c.rank() == 1) {
                throw new IllegalArgumentException("rank 1 broke");
            }
            c.allReduceSum(List.of(Tensor.zeros(1)));   // would wait for rank 1 forever without the abort
            return null;
        }));
        assertEquals("rank 1 broke", e.getMessage());
    }

    @Test
    void oneProcessLeavesTensorsAsTheyAre() {
        Collective one = Collective.single();
        Tensor t = Tensor.of(new float[] {1, 2}, 2);
        one.allReduceSum(List.of(t));
        assertArrayEquals(new float[] {1, 2}, t.toFloatArray());
        assertArrayEquals(new float[] {1, 2}, one.allGather(t).toFloatArray());
        assertTrue(DataParallel.anyRank(true, one) && !DataParallel.anyRank(false, one));
    }
}
