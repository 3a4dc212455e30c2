package org.kmerl.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kmerl.tensor.testing.Naive;
import org.kmerl.tensor.testing.TensorAssert;
import org.kmerl.tensor.testing.TestData;

/** Reductions along every subset of axes against plain loops, keepdim or not, on all layouts. */
class ReductionTest {

    /** Reference reduction in double: kind 0 sum, 1 max, 2 min, 3 mean, 4 unbiased variance. */
    private static float[] reference(float[] x, int[] shape, boolean[] reduced, int kind) {
        int[] outShape = Shape.reducedShape(shape, reduced, true);
        int n = Shape.numel(outShape);
        List<List<Double>> groups = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            groups.add(new ArrayList<>());
        }
        Naive.forEachIndex(shape, idx -> {
            int[] o = idx.clone();
            for (int d = 0; d < o.length; d++) {
                if (reduced[d]) {
                    o[d] = 0;
                }
            }
            groups.get(Naive.flat(outShape, o)).add((double) x[Naive.flat(shape, idx)]);
        });
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            List<Double> g = groups.get(i);
            double sum = g.stream().mapToDouble(Double::doubleValue).sum();
            double mean = sum / g.size();
            out[i] = (float) switch (kind) {
                case 0 -> sum;
                case 1 -> g.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
                case 2 -> g.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
                case 3 -> mean;
                default -> g.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum() / (g.size() - 1);
            };
        }
        return out;
    }

    @Test
    void everyAxisSubsetMatchesPlainLoops() {
        TestData data = new TestData(11);
        for (int trial = 0; trial < 40; trial++) {
            int rank = 1 + trial % 4;
            int[] shape = data.shape(rank);
            shape[0] = Math.max(shape[0], 2); // the unbiased variance needs two elements
            Tensor x = data.uniform(-5, 5, shape);
            float[] xs = x.toFloatArray();
            boolean[] mask = new boolean[rank];
            List<Integer> axes = new ArrayList<>();
            for (int d = 0; d < rank; d++) {
                if (data.random().nextBoolean() || d == 0) {
                    mask[d] = true;
                    axes.add(d - (data.random().nextBoolean() ? rank : 0)); // negative axes too
                }
            }
            int[] ax = axes.stream().mapToInt(Integer::intValue).toArray();
            int[] keep = Shape.reducedShape(shape, mask, true);
            int[] drop = Shape.reducedShape(shape, mask, false);
            for (Tensor layout : TestData.layouts(x)) {
                Tensor s = layout.sum(ax, true);
                assertArrayEquals(keep, s.shape());
                TensorAssert.assertClose(reference(xs, shape, mask, 0), s, 1e-6, 1e-6, "sum");
                Tensor m = layout.max(ax, false);
                assertArrayEquals(drop, m.shape());
                TensorAssert.assertClose(reference(xs, shape, mask, 1), m, 0, 0, "max");
                TensorAssert.assertClose(reference(xs, shape, mask, 2), ReductionOps.min(layout, ax, true), 0, 0, "min");
                TensorAssert.assertClose(reference(xs, shape, mask, 3), layout.mean(ax, true), 1e-6, 1e-6, "mean");
                TensorAssert.assertClose(reference(xs, shape, mask, 4), ReductionOps.var(layout, ax, true, 1), 1e-5,
                        1e-6, "var");
            }
        }
    }

    @Test
    void fullReductionOfALargeTensorIsBlockedAndAccurate() {
        // Large enough for the fixed-block parallel path; values with a big common offset.
        int n = 5 * 8192 + 17;
        float[] v = new float[n];
        double exact = 0;
        for (int i = 0; i < n; i++) {
            v[i] = 1000f + (i % 7) * 0.125f;
            exact += v[i];
        }
        Tensor x = Tensor.of(v);
        TensorAssert.assertClose(new float[] {(float) exact}, x.sum(), 1e-7, 0, "sum");
        TensorAssert.assertClose(new float[] {1000.75f}, x.max(), 0, 0, "max");
        Tensor variance = ReductionOps.var(x, new int[0], false, 0);
        double mean = exact / n;
        double sq = 0;
        for (float f : v) {
            sq += (f - mean) * (f - mean);
        }
        TensorAssert.assertClose(new float[] {(float) (sq / n)}, variance, 1e-5, 0, "two-pass variance");
    }

    @Test
    void argmaxTakesTheFirstMaximum() {
        Tensor x = Tensor.of(new float[] {1, 5, 5, 2, 9, 0, 9, 3}, 2, 4);
        assertArrayEquals(new int[] {1, 0}, x.argmax(1).toIntArray());
        assertArrayEquals(new int[] {1, 0, 1, 1}, x.argmax(0).toIntArray());
        assertArrayEquals(new int[] {2, 1}, ReductionOps.argmax(x, -1, true).shape());
        Tensor t = TestData.permuted(x);
        assertArrayEquals(new int[] {1, 0}, t.argmax(1).toIntArray());
    }

    @Test
    void badAxesAreReported() {
        Tensor x = Tensor.zeros(2, 3);
        ShapeException e = assertThrows(ShapeException.class, () -> x.sum(2));
        assertTrue(e.getMessage().contains("sum") && e.getMessage().contains("[2, 3]"), e.getMessage());
        assertThrows(ShapeException.class, () -> x.sum(1, -1));
        assertThrows(ShapeException.class, () -> Tensor.zeros(0, 2).max(0));
    }
}
