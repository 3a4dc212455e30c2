package org.kmerl.tensor;

import java.util.Arrays;

/** Softmax, log-softmax and layer normalisation (forward and backward) with their shape checks. */
public final class NormOps {
    private NormOps() {
    }

    public static Tensor softmax(Tensor x, int axis) {
        return softmax(x, axis, false);
    }

    public static Tensor logSoftmax(Tensor x, int axis) {
        return softmax(x, axis, true);
    }

    private static Tensor softmax(Tensor x, int axis, boolean log) {
        String op = log ? "logSoftmax" : "softmax";
        Checks.dtype(op, "input", x, DType.FLOAT32);
        int a = Shape.normalizeAxis(op, axis, x.shape());
        Tensor out = Tensor.emptyLike(x);
        x.backend().normalization().softmax(x, a, log, out);
        return out;
    }

    /** Gradient with respect to the input of (log-)softmax, given its output {@code y}. */
    public static Tensor softmaxBackward(Tensor y, Tensor gradOut, int axis, boolean log) {
        String op = log ? "logSoftmax backward" : "softmax backward";
        Checks.sameDevice(op, y, gradOut);
        int a = Shape.normalizeAxis(op, axis, y.shape());
        Tensor gradIn = Tensor.emptyLike(y);
        try (Tensor g = gradOut.broadcastTo(op, y.shape())) {
            y.backend().normalization().softmaxBackward(y, g, a, log, gradIn);
        }
        return gradIn;
    }

    /** Output of layer norm and the per-row statistics that backward needs. */
    public record LayerNormResult(Tensor y, Tensor mean, Tensor rstd) {
    }

    /** Gradients of layer norm; {@code weight}/{@code bias} are null when there was no affine transform. */
    public record LayerNormGrads(Tensor x, Tensor weight, Tensor bias) {
    }

    /** Layer norm over the last axis of {@code x}; weight and bias are [C] or null. */
    public static LayerNormResult layerNorm(Tensor x, Tensor weight, Tensor bias, float eps) {
        int c = checkLayerNorm(x, weight, bias);
        int[] shape = x.shape();
        int rows = c == 0 ? 0 : x.numel() / c;
        int[] rowShape = Arrays.copyOf(shape, shape.length - 1);
        Tensor y = Tensor.emptyLike(x);
        Tensor mean = Tensor.empty(DType.FLOAT32, x.device(), rowShape);
        Tensor rstd = Tensor.empty(DType.FLOAT32, x.device(), rowShape);
        try (Tensor x2 = x.dense(rows, c); Tensor y2 = y.viewAs(rows, c);
             Tensor m2 = mean.viewAs(rows); Tensor r2 = rstd.viewAs(rows);
             Tensor w = weight == null ? null : weight.dense(c); Tensor b = bias == null ? null : bias.dense(c)) {
            x.backend().normalization().layerNormForward(x2, w, b, eps, y2, m2, r2);
        }
        return new LayerNormResult(y, mean, rstd);
    }

    public static LayerNormGrads layerNormBackward(Tensor gradY, Tensor x, Tensor weight, boolean hasBias,
                                                   Tensor mean, Tensor rstd) {
        int c = checkLayerNorm(x, weight, null);
        Checks.shape("layerNorm backward", "gradient", gradY, x.shape());
        int rows = c == 0 ? 0 : x.numel() / c;
        Tensor gx = Tensor.emptyLike(x);
        Tensor gw = weight == null ? null : Tensor.empty(DType.FLOAT32, x.device(), c);
        Tensor gb = hasBias ? Tensor.empty(DType.FLOAT32, x.device(), c) : null;
        try (Tensor g2 = gradY.dense(rows, c); Tensor x2 = x.dense(rows, c); Tensor gx2 = gx.viewAs(rows, c);
             Tensor m2 = mean.dense(rows); Tensor r2 = rstd.dense(rows);
             Tensor w = weight == null ? null : weight.dense(c)) {
            x.backend().normalization().layerNormBackward(g2, x2, w, m2, r2, gx2, gw, gb);
        }
        return new LayerNormGrads(gx, gw, gb);
    }

    private static int checkLayerNorm(Tensor x, Tensor weight, Tensor bias) {
        Checks.sameDevice("layerNorm", x, weight, bias);
        Checks.dtype("layerNorm", "input", x, DType.FLOAT32);
        if (x.rank() == 0) {
            throw new ShapeException("layerNorm: input must be at least 1-D, got a scalar");
        }
        int c = x.dim(-1);
        if (weight != null) {
            Checks.shape("layerNorm", "weight", weight, c);
        }
        if (bias != null) {
            Checks.shape("layerNorm", "bias", bias, c);
        }
        return c;
    }
}
