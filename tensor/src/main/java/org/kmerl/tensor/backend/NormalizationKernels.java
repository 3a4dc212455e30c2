package org.kmerl.tensor.backend;

import org.kmerl.tensor.Tensor;

/** Softmax and layer normalisation, forward and backward. */
public interface NormalizationKernels {
    /** Softmax (or log-softmax) of {@code x} along {@code axis}; any strides. */
    void softmax(Tensor x, int axis, boolean log, Tensor out);

    /** Gradient of softmax/log-softmax given its output {@code y} and the incoming gradient. */
    void softmaxBackward(Tensor y, Tensor gradOut, int axis, boolean log, Tensor gradIn);

    /**
     * Layer norm over the last axis of a contiguous {@code x[rows, C]}:
     * {@code y = (x - mean) * rstd * weight + bias}; saves {@code mean[rows]} and {@code rstd[rows]}.
     * The variance is the biased one, computed in two passes (no E[x^2]-E[x]^2 cancellation).
     * {@code weight} and {@code bias} may be null (no affine transform).
     */
    void layerNormForward(Tensor x, Tensor weight, Tensor bias, float eps, Tensor y, Tensor mean, Tensor rstd);

    /** Backward of {@link #layerNormForward}; {@code gradWeight}/{@code gradBias} may be null. */
    void layerNormBackward(Tensor gradY, Tensor x, Tensor weight, Tensor mean, Tensor rstd,
                           Tensor gradX, Tensor gradWeight, Tensor gradBias);
}
