package org.kmerl.tensor;

import org.kmerl.tensor.backend.LossReduction;

/** Fused losses (cross entropy, BCE with logits, CLIP): shape checks and dispatch. */
public final class LossOps {
    private LossOps() {
    }

    /** A 0-d loss and what backward needs: log-sum-exps per row (and column), the CLIP logits. */
    public record Result(Tensor loss, Tensor lseRows, Tensor lseCols, Tensor logits) {
    }

    public record ClipGrads(Tensor a, Tensor b, Tensor temperature) {
    }

    public static Result crossEntropy(Tensor logits, Tensor targets, float labelSmoothing, int ignoreIndex,
                                      LossReduction reduction) {
        checkCrossEntropy(logits, targets, labelSmoothing);
        Tensor loss = Tensor.zeros(DType.FLOAT32, logits.device());
        Tensor lse = Tensor.zeros(DType.FLOAT32, logits.device(), logits.dim(0));
        try (Tensor x = logits.dense(logits.shape()); Tensor t = targets.dense(targets.shape())) {
            logits.backend().losses().crossEntropyForward(x, t, labelSmoothing, ignoreIndex, reduction, loss, lse);
        }
        return new Result(loss, lse, null, null);
    }

    public static Tensor crossEntropyBackward(Tensor logits, Tensor targets, float labelSmoothing, int ignoreIndex,
                                              LossReduction reduction, Tensor lse, Tensor gradLoss) {
        checkCrossEntropy(logits, targets, labelSmoothing);
        Tensor grad = Tensor.zerosLike(logits);
        try (Tensor x = logits.dense(logits.shape()); Tensor t = targets.dense(targets.shape())) {
            logits.backend().losses().crossEntropyBackward(x, t, labelSmoothing, ignoreIndex, reduction, lse,
                    gradLoss, grad);
        }
        return grad;
    }

    private static void checkCrossEntropy(Tensor logits, Tensor targets, float labelSmoothing) {
        String op = "crossEntropy";
        Checks.sameDevice(op, logits, targets);
        Checks.rank(op, "logits", logits, 2);
        Checks.dtype(op, "targets", targets, DType.INT32);
        Checks.shape(op, "targets", targets, logits.dim(0));
        if (!(labelSmoothing >= 0f && labelSmoothing <= 1f)) {
            throw new IllegalArgumentException(op + ": label smoothing must be in [0, 1], got " + labelSmoothing);
        }
    }

    public static Tensor bceWithLogits(Tensor logits, Tensor targets, Tensor posWeight, LossReduction reduction) {
        checkBce(logits, targets, posWeight);
        Tensor loss = Tensor.zeros(DType.FLOAT32, logits.device());
        try (Tensor x = logits.dense(logits.shape()); Tensor t = targets.dense(targets.shape());
             Tensor pw = posWeight == null ? null : posWeight.dense(posWeight.shape())) {
            logits.backend().losses().bceWithLogitsForward(x, t, pw, reduction, loss);
        }
        return loss;
    }

    public static Tensor bceWithLogitsBackward(Tensor logits, Tensor targets, Tensor posWeight,
                                               LossReduction reduction, Tensor gradLoss) {
        checkBce(logits, targets, posWeight);
        Tensor grad = Tensor.zerosLike(logits);
        try (Tensor x = logits.dense(logits.shape()); Tensor t = targets.dense(targets.shape());
             Tensor pw = posWeight == null ? null : posWeight.dense(posWeight.shape())) {
            logits.backend().losses().bceWithLogitsBackward(x, t, pw, reduction, gradLoss, grad);
        }
        return grad;
    }

    private static void checkBce(Tensor logits, Tensor targets, Tensor posWeight) {
        String op = "bceWithLogits";
        Checks.sameDevice(op, logits, targets, posWeight);
        Checks.dtype(op, "targets", targets, DType.FLOAT32);
        Checks.shape(op, "targets", targets, logits.shape());
        if (posWeight != null) {
            if (logits.rank() == 0) {
                throw new ShapeException(op + ": pos_weight needs logits with a class axis, got a scalar");
            }
            Checks.shape(op, "pos_weight", posWeight, logits.dim(-1));
        }
    }

    public static Result clip(Tensor a, Tensor b, Tensor temperature, LossReduction reduction) {
        int n = checkClip(a, b, temperature);
        Tensor loss = Tensor.zeros(DType.FLOAT32, a.device());
        Tensor logits = Tensor.empty(DType.FLOAT32, a.device(), n, n);
        Tensor lseRows = Tensor.zeros(DType.FLOAT32, a.device(), n);
        Tensor lseCols = Tensor.zeros(DType.FLOAT32, a.device(), n);
        try (Tensor ad = a.dense(a.shape()); Tensor bd = b.dense(b.shape()); Tensor td = temperature.dense()) {
            a.backend().losses().clipForward(ad, bd, td, reduction, loss, logits, lseRows, lseCols);
        }
        return new Result(loss, lseRows, lseCols, logits);
    }

    /** Gradients from the saved {@code forward} result of {@link #clip} with the same inputs. */
    public static ClipGrads clipBackward(Tensor a, Tensor b, Tensor temperature, LossReduction reduction,
                                         Result forward, Tensor gradLoss, boolean needTemperature) {
        checkClip(a, b, temperature);
        Tensor ga = Tensor.zerosLike(a);
        Tensor gb = Tensor.zerosLike(b);
        Tensor gt = needTemperature ? Tensor.zeros(DType.FLOAT32, a.device()) : null;
        try (Tensor ad = a.dense(a.shape()); Tensor bd = b.dense(b.shape()); Tensor td = temperature.dense()) {
            a.backend().losses().clipBackward(ad, bd, td, reduction, forward.logits(), forward.lseRows(),
                    forward.lseCols(), gradLoss, ga, gb, gt);
        }
        return new ClipGrads(ga, gb, gt);
    }

    private static int checkClip(Tensor a, Tensor b, Tensor temperature) {
        String op = "clipLoss";
        Checks.sameDevice(op, a, b, temperature);
        Checks.rank(op, "first embeddings", a, 2);
        Checks.shape(op, "second embeddings", b, a.shape());
        if (temperature.numel() != 1) {
            throw new ShapeException(op + ": temperature must hold one value, got shape "
                    + Shape.format(temperature.shape()));
        }
        return a.dim(0);
    }
}
