package org.kmerl.tensor.backend;

import org.kmerl.tensor.Tensor;

/** Matrix products. */
public interface MatmulKernels {
    /**
     * {@code out[..., m, n] = sum_k a[..., m, k] * b[..., k, n]}. The three tensors have the same
     * rank and the same batch dimensions (broadcast batch dims arrive with stride 0); {@code a} and
     * {@code b} may have any strides (a transposed operand is just swapped strides), {@code out} is
     * contiguous and is overwritten.
     */
    void matmul(Tensor a, Tensor b, Tensor out);

    /**
     * {@code out[m, n] = bias[n] + sum_k a[m, k] * b[k, n]} for 2-D operands (a Linear layer). The
     * default is the product followed by an in-place add; a backend that adds the bias inside its
     * product saves a pass over {@code out}.
     */
    default void addmm(Tensor bias, Tensor a, Tensor b, Tensor out) {
        matmul(a, b, out);
        out.addInPlace(bias);
    }
}
