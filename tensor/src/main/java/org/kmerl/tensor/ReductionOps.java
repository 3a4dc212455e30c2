package org.kmerl.tensor;

import org.kmerl.tensor.backend.ReduceOp;

/** Reductions along any set of axes (an empty axis list means all axes), with or without keepdim. */
public final class ReductionOps {
    private ReductionOps() {
    }

    public static Tensor reduce(ReduceOp op, Tensor x, int[] axes, boolean keepDim) {
        String name = op.opName();
        Checks.dtype(name, "input", x, DType.FLOAT32);
        int[] shape = x.shape();
        boolean[] mask = Shape.axesMask(name, axes, shape);
        if (op != ReduceOp.SUM) {
            for (int i = 0; i < shape.length; i++) {
                if (mask[i] && shape[i] == 0) {
                    throw new ShapeException(name + ": cannot reduce over axis " + i + " of size 0 in shape "
                            + Shape.format(shape));
                }
            }
        }
        Tensor out = Tensor.empty(DType.FLOAT32, x.device(), Shape.reducedShape(shape, mask, true));
        x.backend().reductions().reduce(op, x, mask, out);
        return keepDim ? out : Tensor.replaceWithView(out, out.reshape(Shape.reducedShape(shape, mask, false)));
    }

    public static Tensor sum(Tensor x, int[] axes, boolean keepDim) {
        return reduce(ReduceOp.SUM, x, axes, keepDim);
    }

    public static Tensor max(Tensor x, int[] axes, boolean keepDim) {
        return reduce(ReduceOp.MAX, x, axes, keepDim);
    }

    public static Tensor min(Tensor x, int[] axes, boolean keepDim) {
        return reduce(ReduceOp.MIN, x, axes, keepDim);
    }

    public static Tensor mean(Tensor x, int[] axes, boolean keepDim) {
        Tensor s = sum(x, axes, keepDim);
        int count = reducedCount(x.shape(), Shape.axesMask("mean", axes, x.shape()));
        s.mulInPlace(1f / count);
        return s;
    }

    /**
     * Variance with {@code correction} subtracted from the count (0: biased, 1: unbiased, as
     * PyTorch's default). Two passes: the mean first, then the mean squared deviation.
     */
    public static Tensor var(Tensor x, int[] axes, boolean keepDim, int correction) {
        int count = reducedCount(x.shape(), Shape.axesMask("var", axes, x.shape()));
        try (Tensor mu = mean(x, axes, true); Tensor dev = x.sub(mu); Tensor sq = dev.square()) {
            Tensor s = sum(sq, axes, keepDim);
            s.mulInPlace(1f / Math.max(count - correction, 0));
            return s;
        }
    }

    /** Position of the first maximum along one axis, as int32. */
    public static Tensor argmax(Tensor x, int axis, boolean keepDim) {
        Checks.dtype("argmax", "input", x, DType.FLOAT32);
        int[] shape = x.shape();
        int a = Shape.normalizeAxis("argmax", axis, shape);
        if (shape[a] == 0) {
            throw new ShapeException("argmax: axis " + axis + " of shape " + Shape.format(shape) + " is empty");
        }
        int[] kept = shape.clone();
        kept[a] = 1;
        Tensor out = Tensor.zeros(DType.INT32, x.device(), kept);
        x.backend().reductions().argmax(x, a, out);
        return keepDim ? out : Tensor.replaceWithView(out, out.squeeze(a));
    }

    static int reducedCount(int[] shape, boolean[] mask) {
        int n = 1;
        for (int i = 0; i < shape.length; i++) {
            if (mask[i]) {
                n *= shape[i];
            }
        }
        return n;
    }
}
