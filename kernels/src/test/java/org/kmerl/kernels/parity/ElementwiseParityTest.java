package org.kmerl.kernels.parity;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.kmerl.tensor.ElementwiseOps;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.backend.BinaryOp;
import org.kmerl.tensor.backend.UnaryOp;
import org.kmerl.tensor.testing.TestData;

/** Every elementwise op on the GPU against the CPU backend: random odd shapes, broadcasting, three layouts. */
class ElementwiseParityTest {

    private static Tensor input(UnaryOp op, TestData data, int[] shape) {
        Tensor x = data.uniform(-4, 4, shape);
        boolean positive = op == UnaryOp.LOG || op == UnaryOp.SQRT || op == UnaryOp.RSQRT || op == UnaryOp.RECIPROCAL;
        return positive ? x.abs().add(0.1f) : x;
    }

    @ParameterizedTest
    @EnumSource(UnaryOp.class)
    void unaryForwardAndBackward(UnaryOp op) {
        Gpu.backend();
        TestData data = new TestData(10 + op.ordinal());
        for (int trial = 0; trial < 6; trial++) {
            int[] shape = data.shape(1 + trial % 4);
            Tensor x = input(op, data, shape);
            Tensor expected = ElementwiseOps.unary(op, x);
            for (Tensor g : Gpu.layouts(x)) {
                Gpu.assertClose(expected, ElementwiseOps.unary(op, g), 2e-6, 1e-7, op.opName());
            }
            Tensor grad = data.normal(shape);
            Tensor expectedGrad = ElementwiseOps.unaryBackward(op, x, expected, grad);
            // The CPU's forward output goes in on both sides: 1 - y*y (tanh) would turn a last-bit
            // difference of y into a large relative one, and backward is what is tested here.
            Tensor gotGrad = ElementwiseOps.unaryBackward(op, Gpu.permuted(Gpu.on(x)), Gpu.on(expected),
                    Gpu.strided(Gpu.on(grad)));
            Gpu.assertClose(expectedGrad, gotGrad, 2e-6, 1e-7, op.opName() + " backward");
            Gpu.assertClose(expectedGrad, ElementwiseOps.unaryBackward(op, Gpu.on(x), Gpu.on(expected), Gpu.on(grad)),
                    2e-6, 1e-7, op.opName() + " backward, dense operands");
        }
        // A large dense input takes the contiguous fast path over many blocks.
        Tensor big = input(op, data, new int[] {1_000_003});
        Gpu.assertClose(ElementwiseOps.unary(op, big), ElementwiseOps.unary(op, Gpu.on(big)), 2e-6, 1e-7, op.opName() + " large");
    }

    @ParameterizedTest
    @EnumSource(BinaryOp.class)
    void binaryWithBroadcasting(BinaryOp op) {
        Gpu.backend();
        TestData data = new TestData(100 + op.ordinal());
        for (int trial = 0; trial < 8; trial++) {
            int[] shape = data.shape(1 + trial % 4);
            int[] shapeB = data.broadcastable(shape);
            Tensor a = data.uniform(0.5f, 2f, shape);
            Tensor b = data.uniform(0.5f, 2f, shapeB);
            if (trial % 2 == 1) {   // ties for the comparisons
                a = a.mul(2f).toInt().toFloat();
                b = b.mul(2f).toInt().toFloat();
            }
            Tensor expected = ElementwiseOps.binary(op, a, b);
            for (Tensor ga : Gpu.layouts(a)) {
                Gpu.assertClose(expected, ElementwiseOps.binary(op, ga, Gpu.strided(Gpu.on(b))), 2e-6, 1e-7, op.opName());
                Gpu.assertClose(expected.transpose(0, expected.rank() - 1),
                        ElementwiseOps.binary(op, ga, Gpu.on(b)).transpose(0, expected.rank() - 1), 2e-6, 1e-7,
                        op.opName() + " transposed result");
            }
            Gpu.assertClose(ElementwiseOps.scalar(op, a, 1.25f), ElementwiseOps.scalar(op, Gpu.permuted(Gpu.on(a)), 1.25f),
                    2e-6, 1e-7, op.opName() + " scalar");
        }
    }

    @Test
    void clampAndWhere() {
        Gpu.backend();
        TestData data = new TestData(7);
        for (int trial = 0; trial < 6; trial++) {
            int[] shape = data.shape(1 + trial % 4);
            Tensor x = data.uniform(-3, 3, shape);
            for (Tensor g : Gpu.layouts(x)) {
                Gpu.assertClose(ElementwiseOps.clamp(x, -1f, 0.5f), ElementwiseOps.clamp(g, -1f, 0.5f), 0, 0, "clamp");
            }
            Tensor cond = data.uniform(-1, 1, shape).gt(0f);
            Tensor b = data.normal(data.broadcastable(shape));
            Gpu.assertClose(ElementwiseOps.where(cond, x, b),
                    ElementwiseOps.where(Gpu.permuted(Gpu.on(cond)), Gpu.strided(Gpu.on(x)), Gpu.on(b)), 0, 0, "where");
        }
    }
}
