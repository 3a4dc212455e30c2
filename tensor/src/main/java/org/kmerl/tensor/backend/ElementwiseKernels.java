package org.kmerl.tensor.backend;

import org.kmerl.tensor.Tensor;

/**
 * Elementwise kernels. Operands already have the output's shape (broadcast inputs arrive as
 * stride-0 views); any strides are allowed and the output may alias an input of the same layout.
 */
public interface ElementwiseKernels {
    void unary(UnaryOp op, Tensor x, Tensor out);

    /** {@code gradIn = gradOut * op'(x)}, given {@code y = op(x)} from the forward pass. */
    void unaryBackward(UnaryOp op, Tensor x, Tensor y, Tensor gradOut, Tensor gradIn);

    void binary(BinaryOp op, Tensor a, Tensor b, Tensor out);

    void binaryScalar(BinaryOp op, Tensor a, float b, Tensor out);

    /** {@code out = min(max(x, lo), hi)}; NaN stays NaN. */
    void clamp(Tensor x, float lo, float hi, Tensor out);

    /** {@code out = cond != 0 ? a : b} (all float32; the ops layer converts int32 conditions). */
    void where(Tensor cond, Tensor a, Tensor b, Tensor out);
}
