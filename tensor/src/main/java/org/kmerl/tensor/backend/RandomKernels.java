package org.kmerl.tensor.backend;

import org.kmerl.tensor.Tensor;

/**
 * Counter-based random fills (Philox4x32-10, see {@link org.kmerl.tensor.Philox}): element i of the
 * output is a pure function of ({@code seed}, {@code offset}, i), so every backend and every thread
 * count produces the same numbers. {@code offset} is a word position in the stream: uniform and
 * truncated-normal element i uses word offset+i, normal element i uses words offset+2i and
 * offset+2i+1. Outputs are contiguous float32.
 */
public interface RandomKernels {
    void uniform(Tensor out, long seed, long offset, float low, float high);

    void normal(Tensor out, long seed, long offset, float mean, float std);

    /** Normal restricted to [low, high] by inverse-CDF sampling (as PyTorch's trunc_normal_). */
    void truncatedNormal(Tensor out, long seed, long offset, float mean, float std, float low, float high);
}
