package org.kmerl.tensor;

import org.kmerl.tensor.backend.AttentionConfig;
import org.kmerl.tensor.backend.AttentionKernels;

/** Scaled-dot-product attention over [B, H, T, D] tensors: shape checks and dispatch. */
public final class AttentionOps {
    private AttentionOps() {
    }

    /**
     * The attention output and the per-query log-sum-exp saved for backward; {@code probabilities} is the
     * [B, H, Tq, Tk] softmax when the forward kept it for the backward, else null.
     */
    public record Result(Tensor out, Tensor lse, Tensor probabilities) {
    }

    public record Grads(Tensor q, Tensor k, Tensor v) {
    }

    /**
     * {@code softmax(q·kᵀ * scale, masked) · v} per batch and head. {@code keyPadding} is null or
     * [B, Tk] with non-zero entries marking keys to ignore.
     */
    public static Result forward(Tensor q, Tensor k, Tensor v, Tensor keyPadding, AttentionConfig config) {
        return forward(q, k, v, keyPadding, config, false);
    }

    /**
     * The forward; {@code forBackward}: a backward will follow, so the probabilities may be kept for it
     * where the backend offers ({@link AttentionKernels#keepsProbabilities}; {@link Result#probabilities}).
     */
    public static Result forward(Tensor q, Tensor k, Tensor v, Tensor keyPadding, AttentionConfig config,
                                 boolean forBackward) {
        int[] dims = check(q, k, v, keyPadding);
        Tensor out = Tensor.empty(DType.FLOAT32, q.device(), dims[0], dims[1], dims[2], dims[4]);
        Tensor lse = Tensor.empty(DType.FLOAT32, q.device(), dims[0], dims[1], dims[2]);
        AttentionKernels kernels = q.backend().attention();
        Tensor probabilities = forBackward && kernels.keepsProbabilities(q, k, v, config)
                ? Tensor.empty(DType.FLOAT32, q.device(), dims[0], dims[1], dims[2], dims[3]) : null;
        boolean views = kernels.readsViews(q, k, v);
        try (Tensor qd = operand(q, views); Tensor kd = operand(k, views); Tensor vd = operand(v, views);
             Tensor mask = floatMask(keyPadding)) {
            if (probabilities == null) {
                kernels.forward(qd, kd, vd, mask, config, out, lse);
            } else {
                kernels.forward(qd, kd, vd, mask, config, out, lse, probabilities);
            }
        }
        return new Result(out, lse, probabilities);
    }

    public static Grads backward(Tensor q, Tensor k, Tensor v, Tensor keyPadding, AttentionConfig config,
                                 Tensor out, Tensor lse, Tensor gradOut) {
        return backward(q, k, v, keyPadding, config, new Result(out, lse, null), gradOut);
    }

    /** The backward of {@code forward}, from its kept probabilities where it kept them. */
    public static Grads backward(Tensor q, Tensor k, Tensor v, Tensor keyPadding, AttentionConfig config,
                                 Result forward, Tensor gradOut) {
        Tensor out = forward.out();
        Tensor lse = forward.lse();
        check(q, k, v, keyPadding);
        Checks.shape("attention backward", "output gradient", gradOut, out.shape());
        Tensor gq = Tensor.zerosLike(q);
        Tensor gk = Tensor.zerosLike(k);
        Tensor gv = Tensor.zerosLike(v);
        boolean views = q.backend().attention().readsViews(q, k, v);
        try (Tensor qd = operand(q, views); Tensor kd = operand(k, views); Tensor vd = operand(v, views);
             Tensor mask = floatMask(keyPadding);
             Tensor od = out.dense(out.shape()); Tensor gd = gradOut.dense(gradOut.shape())) {
            AttentionKernels kernels = q.backend().attention();
            if (forward.probabilities() == null) {
                kernels.backward(qd, kd, vd, mask, config, od, lse, gd, gq, gk, gv);
            } else {
                kernels.backward(qd, kd, vd, mask, config, od, lse, forward.probabilities(), gd, gq, gk, gv);
            }
        }
        return new Grads(gq, gk, gv);
    }

    /** q, k or v as the kernels take it: a dense copy, or the view itself (a new handle) when they read views. */
    private static Tensor operand(Tensor t, boolean views) {
        return views ? t.narrow(0, 0, t.dim(0)) : t.dense(t.shape());
    }

    /** The kernels take a dense float32 mask; int32 masks are converted. */
    private static Tensor floatMask(Tensor keyPadding) {
        if (keyPadding == null) {
            return null;
        }
        return keyPadding.dtype() == DType.INT32 ? keyPadding.toFloat() : keyPadding.dense(keyPadding.shape());
    }

    /** Returns {B, H, Tq, Tk, Dv} after checking every shape. */
    private static int[] check(Tensor q, Tensor k, Tensor v, Tensor keyPadding) {
        String op = "attention";
        Checks.sameDevice(op, q, k, v, keyPadding);
        Checks.rank(op, "query", q, 4);
        Checks.rank(op, "key", k, 4);
        Checks.rank(op, "value", v, 4);
        int b = q.dim(0);
        int h = q.dim(1);
        int tq = q.dim(2);
        int d = q.dim(3);
        int tk = k.dim(2);
        if (k.dim(0) != b || k.dim(1) != h || k.dim(3) != d) {
            throw new ShapeException(op + ": key shape " + Shape.format(k.shape()) + " does not match query shape "
                    + Shape.format(q.shape()) + " (expected [" + b + ", " + h + ", Tk, " + d + "])");
        }
        if (v.dim(0) != b || v.dim(1) != h || v.dim(2) != tk) {
            throw new ShapeException(op + ": value shape " + Shape.format(v.shape()) + " does not match key shape "
                    + Shape.format(k.shape()) + " (expected [" + b + ", " + h + ", " + tk + ", Dv])");
        }
        if (keyPadding != null) {
            Checks.shape(op, "key padding mask", keyPadding, b, tk);
        }
        return new int[] {b, h, tq, tk, v.dim(3)};
    }
}
