package org.kmerl.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.kmerl.tensor.backend.BinaryOp;
import org.kmerl.tensor.backend.UnaryOp;
import org.kmerl.tensor.testing.Naive;
import org.kmerl.tensor.testing.TensorAssert;
import org.kmerl.tensor.testing.TestData;

/** Every elementwise op against a plain loop, on random shapes, broadcasting and non-contiguous layouts. */
class ElementwiseTest {

    private static float[] positiveIfNeeded(UnaryOp op, float[] x) {
        if (op == UnaryOp.LOG || op == UnaryOp.SQRT || op == UnaryOp.RSQRT || op == UnaryOp.RECIPROCAL) {
            for (int i = 0; i < x.length; i++) {
                x[i] = Math.abs(x[i]) + 0.1f;
            }
        }
        return x;
    }

    @ParameterizedTest
    @EnumSource(UnaryOp.class)
    void unaryMatchesPlainLoop(UnaryOp op) {
        TestData data = new TestData(op.ordinal());
        for (int trial = 0; trial < 12; trial++) {
            int[] shape = data.shape(trial % 4);
            Tensor x = Tensor.of(positiveIfNeeded(op, data.uniform(-3, 3, shape).toFloatArray()), shape);
            float[] xs = x.toFloatArray();
            float[] expected = new float[xs.length];
            for (int i = 0; i < xs.length; i++) {
                expected[i] = op.apply(xs[i]);
            }
            for (Tensor layout : TestData.layouts(x)) {
                TensorAssert.assertClose(expected, ElementwiseOps.unary(op, layout), 1e-6, 1e-7, op.opName());
            }
            // Backward: g * f'(x).
            Tensor g = data.normal(shape);
            Tensor y = ElementwiseOps.unary(op, x);
            float[] gs = g.toFloatArray();
            float[] ys = y.toFloatArray();
            float[] grad = new float[xs.length];
            for (int i = 0; i < xs.length; i++) {
                grad[i] = gs[i] * op.derivative(xs[i], ys[i]);
            }
            TensorAssert.assertClose(grad, ElementwiseOps.unaryBackward(op, TestData.permuted(x), y, g), 1e-6, 1e-7,
                    op.opName() + " backward");
        }
    }

    @ParameterizedTest
    @EnumSource(BinaryOp.class)
    void binaryBroadcastsLikeNumPy(BinaryOp op) {
        TestData data = new TestData(100 + op.ordinal());
        for (int trial = 0; trial < 15; trial++) {
            int[] shape = data.shape(1 + trial % 4);
            int[] shapeA = trial % 2 == 0 ? shape : data.broadcastable(shape);
            int[] shapeB = trial % 2 == 0 ? data.broadcastable(shape) : shape;
            Tensor a = data.uniform(0.5f, 2f, shapeA);
            Tensor b = data.uniform(0.5f, 2f, shapeB);
            if (op == BinaryOp.EQ || op == BinaryOp.NE || op == BinaryOp.LE || op == BinaryOp.GE) {
                // Make ties happen.
                a = a.mul(2f).toInt().toFloat();
                b = b.mul(2f).toInt().toFloat();
            }
            int[] outShape = Shape.broadcast("test", shapeA, shapeB);
            float[] as = a.toFloatArray();
            float[] bs = b.toFloatArray();
            float[] expected = new float[Shape.numel(outShape)];
            Naive.forEachIndex(outShape, i -> expected[Naive.flat(outShape, i)] =
                    op.apply(as[Naive.broadcastFlat(shapeA, i)], bs[Naive.broadcastFlat(shapeB, i)]));
            for (Tensor la : TestData.layouts(a)) {
                Tensor out = ElementwiseOps.binary(op, la, TestData.strided(b));
                assertArrayEquals(outShape, out.shape());
                TensorAssert.assertClose(expected, out, 0, 0, op.opName());
            }
        }
    }

    @Test
    void scalarVariantsMatchTensorVariants() {
        Tensor x = new TestData(3).uniform(-2, 2, 4, 5);
        Tensor two = Tensor.scalar(2f);
        TensorAssert.assertClose(x.add(two), x.add(2f), 0, 0, "add");
        TensorAssert.assertClose(x.sub(two), x.sub(2f), 0, 0, "sub");
        TensorAssert.assertClose(x.mul(two), x.mul(2f), 0, 0, "mul");
        TensorAssert.assertClose(x.div(two), x.div(2f), 0, 0, "div");
        TensorAssert.assertClose(x.abs().pow(two), x.abs().pow(2f), 0, 0, "pow");
        TensorAssert.assertClose(x.gt(two), x.gt(2f), 0, 0, "gt");
    }

    @Test
    void clampWhereAndMaskedFill() {
        Tensor x = Tensor.of(new float[] {-2, -0.5f, 0.5f, 2, Float.NaN}, 5);
        assertArrayEquals(new float[] {-1, -0.5f, 0.5f, 1, Float.NaN}, x.clamp(-1, 1).toFloatArray());
        Tensor cond = Tensor.of(new float[] {1, 0, 1}, 3, 1);
        Tensor w = ElementwiseOps.where(cond, Tensor.full(7f, 1, 2), Tensor.arange(2));
        assertArrayEquals(new float[] {7, 7, 0, 1, 7, 7}, w.toFloatArray());
        Tensor intCond = Tensor.ofInts(new int[] {0, 3}, 2);
        assertArrayEquals(new float[] {0, 7}, ElementwiseOps.where(intCond, Tensor.full(7f, 2), Tensor.zeros(2))
                .toFloatArray());
        Tensor filled = Tensor.arange(4).reshape(2, 2).maskedFill(Tensor.of(new float[] {0, 1}, 2), -1f);
        assertArrayEquals(new float[] {0, -1, 2, -1}, filled.toFloatArray());
    }

    @Test
    void inPlaceUpdatesAliasTheirInput() {
        Tensor x = Tensor.arange(6).reshape(2, 3);
        x.addInPlace(Tensor.of(new float[] {10, 20, 30}));
        assertArrayEquals(new float[] {10, 21, 32, 13, 24, 35}, x.toFloatArray());
        x.t().mulInPlace(2f);
        assertArrayEquals(new float[] {20, 42, 64, 26, 48, 70}, x.toFloatArray());
    }

    @Test
    void incompatibleShapesAndDevicesAreReported() {
        ShapeException e = assertThrows(ShapeException.class, () -> Tensor.zeros(2, 3).add(Tensor.zeros(4)));
        assertTrue(e.getMessage().equals("add: shapes [2, 3] and [4] are not broadcastable"), e.getMessage());
        IllegalArgumentException c = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2).clamp(1, 0));
        assertTrue(c.getMessage().startsWith("clamp"), c.getMessage());
    }
}
