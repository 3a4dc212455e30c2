package org.kmerl.tensor.backend;

import org.kmerl.tensor.Tensor;

/**
 * Multi-head scaled-dot-product attention in layout [B, H, T, D], contiguous inputs (q, k and v may be
 * strided views when {@link #readsViews} says so).
 * {@code keyPadding} is null or a float32 [B, Tk] tensor in which a non-zero entry marks a padded
 * key that no query may attend to. A query whose keys are all padded gets a zero output and zero gradients.
 * Forward saves the log-sum-exp of each query row ({@code lse[B, H, Tq]}); backward recomputes the
 * probabilities from it, as flash attention does, so no [Tq, Tk] matrix is kept between passes, unless
 * the kernels keep them ({@link #keepsProbabilities}).
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

    /**
     * Whether this call's forward can hand its backward the attention probabilities P [B, H, Tq, Tk], so
     * the backward reuses them instead of recomputing q·kᵀ (llm.c keeps them likewise). Worth it where P is
     * a buffer the forward writes anyway: the CUDA backend's GEMM-based v3 without dropout, up to a size.
     */
    default boolean keepsProbabilities(Tensor q, Tensor k, Tensor v, AttentionConfig config) {
        return false;
    }

    /** {@link #forward}, also writing P into {@code probabilities} (dense [B, H, Tq, Tk]) where {@link #keepsProbabilities}. */
    default void forward(Tensor q, Tensor k, Tensor v, Tensor keyPadding, AttentionConfig config, Tensor out, Tensor lse,
                         Tensor probabilities) {
        forward(q, k, v, keyPadding, config, out, lse);
    }

    /** {@link #backward} from the probabilities the forward kept. */
    default void backward(Tensor q, Tensor k, Tensor v, Tensor keyPadding, AttentionConfig config, Tensor out, Tensor lse,
                          Tensor probabilities, Tensor gradOut, Tensor gradQ, Tensor gradK, Tensor gradV) {
        backward(q, k, v, keyPadding, config, out, lse, gradOut, gradQ, gradK, gradV);
    }
}
