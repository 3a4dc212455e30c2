package org.kmerl.tensor.backend;

import org.kmerl.tensor.Tensor;

/** Gathers and scatters with int32 indices, validated against the axis size by the ops layer. */
public interface IndexKernels {
    /** PyTorch's gather: {@code out[i][j] = x[i][index[i][j]]} along {@code axis}. */
    void gather(Tensor x, int axis, Tensor index, Tensor out);

    /** PyTorch's scatter_add_: {@code dst[i][index[i][j]] += src[i][j]} along {@code axis}. */
    void scatterAdd(Tensor dst, int axis, Tensor index, Tensor src);

    /** {@code out} = the slices of {@code x} along {@code axis} at the positions in 1-D {@code index}. */
    void indexSelect(Tensor x, int axis, Tensor index, Tensor out);

    /** The adjoint of indexSelect: slice i of {@code src} is added to slice index[i] of {@code dst}. */
    void indexAdd(Tensor dst, int axis, Tensor index, Tensor src);
}
