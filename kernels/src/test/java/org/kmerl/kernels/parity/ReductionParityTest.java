package org.kmerl.kernels.parity;

import org.junit.jupiter.api.Test;
import org.kmerl.tensor.ReductionOps;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.backend.ReduceOp;
import org.kmerl.tensor.testing.TestData;

/** Sum, max and min over random axis sets, in three layouts and with each variant forced; argmax with ties and NaN. */
class ReductionParityTest {

    @Test
    void reduceOverAnyAxes() {
        Gpu.forEachVariant("reduce", variant -> {
            TestData data = new TestData(3);
            for (int trial = 0; trial < 12; trial++) {
                int[] shape = data.shape(1 + trial % 4);
                Tensor x = data.normal(shape);
                int[] axes = randomAxes(data, shape.length);
                for (ReduceOp op : ReduceOp.values()) {
                    Tensor expected = ReductionOps.reduce(op, x, axes, trial % 2 == 0);
                    for (Tensor g : Gpu.layouts(x)) {
                        Gpu.assertClose(expected, ReductionOps.reduce(op, g, axes, trial % 2 == 0), 1e-5, 1e-5,
                                variant + " " + op.opName() + " over " + java.util.Arrays.toString(axes) + " of "
                                        + java.util.Arrays.toString(shape));
                    }
                }
            }
            // Long reductions: a full sum and the column sums of a tall matrix.
            Tensor tall = data.normal(70_001, 3);
            Gpu.assertClose(ReductionOps.sum(tall, new int[] {0, 1}, false), ReductionOps.sum(Gpu.on(tall), new int[] {0, 1}, false),
                    1e-5, 1e-3, variant + " full sum");
            Gpu.assertClose(ReductionOps.max(tall, new int[] {0}, false), ReductionOps.max(Gpu.on(tall), new int[] {0}, false),
                    0, 0, variant + " column max");
            Gpu.assertClose(ReductionOps.sum(tall, new int[] {0}, false), ReductionOps.sum(Gpu.permuted(Gpu.on(tall)), new int[] {0}, false),
                    1e-5, 1e-3, variant + " column sums");
            // Bias-gradient shapes: column sums and maxima of [rows, width] and of a batch of such matrices.
            Tensor bias = data.normal(3001, 70);
            Gpu.assertClose(ReductionOps.sum(bias, new int[] {0}, false), ReductionOps.sum(Gpu.on(bias), new int[] {0}, false),
                    1e-5, 1e-4, variant + " bias gradient");
            Gpu.assertClose(ReductionOps.max(bias, new int[] {0}, false), ReductionOps.max(Gpu.on(bias), new int[] {0}, false),
                    0, 0, variant + " column max");
            Tensor batch = data.normal(7, 130, 33);
            Gpu.assertClose(ReductionOps.sum(batch, new int[] {0, 1}, true),
                    ReductionOps.sum(Gpu.strided(Gpu.on(batch)), new int[] {0, 1}, true), 1e-5, 1e-4,
                    variant + " sum over two leading axes of a strided view");
        });
    }

    private static int[] randomAxes(TestData data, int rank) {
        int count = 1 + data.random().nextInt(rank);
        java.util.List<Integer> all = new java.util.ArrayList<>();
        for (int i = 0; i < rank; i++) {
            all.add(i);
        }
        java.util.Collections.shuffle(all, data.random());
        return all.subList(0, count).stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    @Test
    void argmaxWithTiesAndNaN() {
        Gpu.backend();
        TestData data = new TestData(4);
        for (int trial = 0; trial < 8; trial++) {
            int[] shape = data.shape(1 + trial % 4);
            Tensor x = data.uniform(0, 3, shape).toInt().toFloat();   // many ties
            for (int axis = 0; axis < shape.length; axis++) {
                for (Tensor g : Gpu.layouts(x)) {
                    Gpu.assertClose(x.argmax(axis), g.argmax(axis), 0, 0, "argmax axis " + axis);
                }
            }
        }
        Tensor withNaN = Tensor.of(new float[] {1, Float.NaN, 5, 2, 7, 7}, 2, 3);
        Gpu.assertClose(withNaN.argmax(1), Gpu.on(withNaN).argmax(1), 0, 0, "NaN counts as the maximum");
    }
}
