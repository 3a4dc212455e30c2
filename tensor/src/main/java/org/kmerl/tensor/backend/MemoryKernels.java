package org.kmerl.tensor.backend;

import org.kmerl.tensor.DType;
import org.kmerl.tensor.Storage;
import org.kmerl.tensor.Tensor;

/** Allocation, host transfers, strided copies and fills. */
public interface MemoryKernels {
    /** A zero-filled buffer of {@code length} elements. */
    Storage allocate(DType dtype, int length);

    /**
     * A buffer whose contents are unspecified, for outputs that a kernel overwrites entirely (saves
     * the zero-filling pass). Backends without a cheaper path just allocate zeros.
     */
    default Storage allocateUninitialized(DType dtype, int length) {
        return allocate(dtype, length);
    }

    Storage upload(float[] data);

    Storage upload(int[] data);

    /** Copies a contiguous float32 tensor to {@code dst} (length = numel). */
    void download(Tensor src, float[] dst);

    /** Copies a contiguous int32 tensor to {@code dst} (length = numel). */
    void download(Tensor src, int[] dst);

    /**
     * Element-by-element copy between two tensors of the same shape and any strides; converts
     * between float32 and int32 (truncating toward zero) when the dtypes differ.
     */
    void copy(Tensor src, Tensor dst);

    /** Sets every element of a (possibly strided) tensor. */
    void fill(Tensor dst, float value);
}
