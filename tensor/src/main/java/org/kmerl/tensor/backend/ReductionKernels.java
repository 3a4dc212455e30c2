package org.kmerl.tensor.backend;

import org.kmerl.tensor.Tensor;

/** Reductions. Results must not depend on the number of threads (fixed summation order). */
public interface ReductionKernels {
    /**
     * Reduces {@code x} over the axes flagged in {@code axes} into {@code out}, whose shape is
     * x's shape with those axes set to 1 (keepdim layout; the ops layer drops them afterwards).
     */
    void reduce(ReduceOp op, Tensor x, boolean[] axes, Tensor out);

    /** Index of the first maximum along {@code axis} into an int32 {@code out} in keepdim layout. */
    void argmax(Tensor x, int axis, Tensor out);
}
