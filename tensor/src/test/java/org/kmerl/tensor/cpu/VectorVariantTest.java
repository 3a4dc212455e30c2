package org.kmerl.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kmerl.tensor.Shape;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.backend.BinaryOp;
import org.kmerl.tensor.backend.ElementwiseKernels;
import org.kmerl.tensor.backend.UnaryOp;
import org.kmerl.tensor.testing.TensorAssert;
import org.kmerl.tensor.testing.TestData;

/**
 * Every variant of every CPU kernel family against its reference, called directly (not through the
 * backend's choice), on random and odd shapes, broadcast operands and non-contiguous layouts.
 */
class VectorVariantTest {
    /** Vectorised transcendental functions agree with the double-precision reference to this. */
    static final double RTOL = 1e-6;
    static final double ATOL = 1e-7;

    @Test
    void theVectorApiVariantsAreAvailableHere() {
        assertEquals(VectorSupport.available() ? 2 : 1, CpuVariants.elementwise().size());
    }

    @Test
    void elementwiseVariantsMatchTheReference() {
        List<CpuVariants.Variant<ElementwiseKernels>> variants = CpuVariants.elementwise();
        ElementwiseKernels reference = variants.get(0).impl();
        TestData data = new TestData(8);
        int[][] shapes = {{1}, {7}, {33}, {127}, {5, 17}, {3, 8, 13}, {2, 1, 31}};
        for (CpuVariants.Variant<ElementwiseKernels> v : variants) {
            for (int[] shape : shapes) {
                Tensor x = data.uniform(-6, 6, shape);
                Tensor positive = x.abs().add(0.1f);
                Tensor g = data.normal(shape);
                for (UnaryOp op : UnaryOp.values()) {
                    boolean domain = op == UnaryOp.LOG || op == UnaryOp.SQRT || op == UnaryOp.RSQRT
                            || op == UnaryOp.RECIPROCAL;
                    Tensor in = domain ? positive : x;
                    for (Tensor layout : TestData.layouts(in)) {
                        Tensor expected = Tensor.zerosLike(in);
                        reference.unary(op, layout, expected);
                        Tensor actual = Tensor.zerosLike(in);
                        v.impl().unary(op, layout, actual);
                        TensorAssert.assertClose(expected, actual, RTOL, ATOL, v.name() + " " + op + " " + Shape.format(shape));
                        Tensor expectedGrad = Tensor.zerosLike(in);
                        reference.unaryBackward(op, layout, expected, g, expectedGrad);
                        Tensor actualGrad = Tensor.zerosLike(in);
                        v.impl().unaryBackward(op, layout, expected, g, actualGrad);
                        TensorAssert.assertClose(expectedGrad, actualGrad, RTOL, ATOL,
                                v.name() + " " + op + " backward " + Shape.format(shape));
                    }
                }
                int[] bShape = data.broadcastable(shape);
                Tensor b = data.uniform(0.5f, 2f, bShape);
                for (BinaryOp op : BinaryOp.values()) {
                    for (Tensor layout : TestData.layouts(x)) {
                        try (Tensor bb = b.broadcastTo("test", shape)) {
                            Tensor expected = Tensor.zerosLike(x);
                            reference.binary(op, layout, bb, expected);
                            Tensor actual = Tensor.zerosLike(x);
                            v.impl().binary(op, layout, bb, actual);
                            TensorAssert.assertClose(expected, actual, 0, 0, v.name() + " " + op);
                            reference.binaryScalar(op, layout, 1.5f, expected);
                            v.impl().binaryScalar(op, layout, 1.5f, actual);
                            TensorAssert.assertClose(expected, actual, 0, 0, v.name() + " scalar " + op);
                        }
                    }
                }
            }
        }
    }
}
