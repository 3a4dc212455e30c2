package org.kmerl.tensor.backend;

import org.kmerl.tensor.Tensor;

/**
 * Multi-head scaled-dot-product attention in layout [B, H, T, D], contiguous inputs (q, k and v may be
 * strided views when {@link #readsViews} says so).
 * {@code keyPadding} is null or a float32 [B, Tk] tensor in which a non-zero entry marks a padded
 * key that no query may attend to. A query whose keys are all padded gets a zero output and zero gradients.
 * Forward saves the log-sum-exp of each query row ({@code lse[B, H, Tq]}); backward recomputes the
 * probabilities from it, as flash attention does, so no [Tq, Tk] matrix is kept between passes.
 */
public interface AttentionKernels {
    void forward(Tensor q, Tensor k, Tensor v, Tensor keyPadding, AttentionConfig config, Tensor out, Tensor lse);

    /**
     * Whether this call's kernels read q, k and v through their strides, so that head-split views need
     * no dense copies first (kernels that only multiply them, as the CUDA backend's GEMM-based v3 does).
     * The output, lse, output gradient and input gradients are dense either way.
     */
    default boolean readsViews(Tensor q, Tensor k, Tensor v) {
        return false;
    }

    void backward(Tensor q, Tensor k, Tensor v, Tensor keyPadding, AttentionConfig config, Tensor out, Tensor lse,
                  Tensor gradOut, Tensor gradQ, Tensor gradK, Tensor gradV);
}
