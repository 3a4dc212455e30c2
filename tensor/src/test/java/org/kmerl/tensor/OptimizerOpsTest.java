package org.kmerl.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kmerl.tensor.backend.AdamWStep;
import org.kmerl.tensor.backend.OptimizerKernels.AdamWOperands;
import org.kmerl.tensor.testing.TensorAssert;
import org.kmerl.tensor.testing.TestData;

/** The list forms of the optimizer ops (many tensors per call) against plain loops, on every layout. */
class OptimizerOpsTest {

    @Test
    void sumOfSquaresOfManyTensorsOfAnyLayout() {
        TestData data = new TestData(31);
        List<Tensor> tensors = new ArrayList<>();
        double expected = 0;
        for (int k = 0; k < 9; k++) {
            Tensor t = data.normal(data.shape(1 + k % 3));
            for (float x : t.toFloatArray()) {
                expected += (double) x * x;
            }
            tensors.add(TestData.layouts(t).get(k % 3));
        }
        Tensor got = OptimizerOps.sumOfSquares(tensors);
        assertEquals(0, got.rank(), "a 0-d tensor");
        assertEquals(expected, got.item(), 1e-5 * expected);
    }

    @Test
    void scaleInPlaceMultipliesEachTensorByTheOneElementFactor() {
        TestData data = new TestData(32);
        List<Tensor> tensors = new ArrayList<>();
        List<float[]> before = new ArrayList<>();
        for (int k = 0; k < 6; k++) {
            Tensor t = TestData.layouts(data.normal(data.shape(2))).get(k % 3);
            before.add(t.toFloatArray());
            tensors.add(t);
        }
        OptimizerOps.scaleInPlace(tensors, Tensor.of(new float[] {-0.25f}));
        for (int k = 0; k < tensors.size(); k++) {
            float[] expected = before.get(k).clone();
            for (int i = 0; i < expected.length; i++) {
                expected[i] *= -0.25f;
            }
            TensorAssert.assertClose(expected, tensors.get(k), 0, 0, "tensor " + k);
        }
    }

    @Test
    void adamwOverAListEqualsOneCallPerParameter() {
        TestData data = new TestData(33);
        AdamWStep step = new AdamWStep(1e-2f, 0.9f, 0.999f, 1e-8f, 0.1f, 3);
        List<AdamWOperands> together = new ArrayList<>();
        List<AdamWOperands> alone = new ArrayList<>();
        for (int k = 0; k < 5; k++) {
            int[] shape = data.shape(2);
            Tensor p = data.normal(shape);
            Tensor g = data.normal(shape);
            Tensor m = data.normal(shape);
            Tensor v = data.normal(shape).abs();
            together.add(new AdamWOperands(p.copy(), TestData.permuted(g), m.copy(), v.copy()));
            alone.add(new AdamWOperands(p, g, m, v));
        }
        OptimizerOps.adamw(together, step);
        alone.forEach(o -> OptimizerOps.adamw(o.param(), o.grad(), o.m(), o.v(), step));
        for (int k = 0; k < 5; k++) {
            TensorAssert.assertBitwiseEqual(alone.get(k).param(), together.get(k).param(), "param " + k);
            TensorAssert.assertBitwiseEqual(alone.get(k).v(), together.get(k).v(), "v " + k);
        }
    }

    @Test
    void badArgumentsAreNamed() {
        Tensor a = Tensor.zeros(3);
        var e = assertThrows(IllegalArgumentException.class, () -> OptimizerOps.scaleInPlace(List.of(a), Tensor.zeros(2)));
        assertTrue(e.getMessage().contains("one element"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> OptimizerOps.sumOfSquares(List.of()));
        var shape = assertThrows(RuntimeException.class, () -> OptimizerOps.adamw(
                List.of(new AdamWOperands(a, Tensor.zeros(4), Tensor.zeros(3), Tensor.zeros(3))),
                new AdamWStep(1e-3f, 0.9f, 0.999f, 1e-8f, 0f, 1)));
        assertTrue(shape.getMessage().contains("adamw"), shape.getMessage());
    }
}
