package org.kmerl.autograd;

import org.kmerl.tensor.ReductionOps;
import org.kmerl.tensor.Shape;
import org.kmerl.tensor.Tensor;

/** Reductions: forward and backward side by side. The gradient is broadcast back over the reduced axes. */
final class Reductions {
    private Reductions() {
    }

    /** The output gradient reshaped to keepdim layout so it broadcasts against the input. */
    private static Tensor keepDims(Tensor g, int[] inputShape, int[] axes) {
        boolean[] mask = Shape.axesMask("reduce backward", axes, inputShape);
        return g.reshape(Shape.reducedShape(inputShape, mask, true));
    }

    static Variable sum(Variable a, int[] axes, boolean keepDim) {
        int[] shape = a.shape();
        Tensor out = ReductionOps.sum(a.data(), axes, keepDim);
        return Variable.record("sum", out, g -> {
            try (Tensor gk = keepDims(g, shape, axes); Tensor e = gk.expand(shape)) {
                return new Tensor[] {e.copy()};
            }
        }, a);
    }

    static Variable mean(Variable a, int[] axes, boolean keepDim) {
        int[] shape = a.shape();
        int count = count(shape, axes);
        Tensor out = ReductionOps.mean(a.data(), axes, keepDim);
        return Variable.record("mean", out, g -> {
            try (Tensor gk = keepDims(g, shape, axes); Tensor e = gk.expand(shape)) {
                return new Tensor[] {e.mul(1f / count)};
            }
        }, a);
    }

    static Variable max(Variable a, int[] axes, boolean keepDim) {
        return extremum("max", a, axes, keepDim, ReductionOps.max(a.data(), axes, true));
    }

    static Variable min(Variable a, int[] axes, boolean keepDim) {
        return extremum("min", a, axes, keepDim, ReductionOps.min(a.data(), axes, true));
    }

    /** The gradient is shared equally by all positions that attain the extremum (PyTorch's amax/amin rule). */
    private static Variable extremum(String op, Variable a, int[] axes, boolean keepDim, Tensor kept) {
        int[] shape = a.shape();
        Tensor x = a.data();
        boolean[] mask = Shape.axesMask(op, axes, shape);
        Tensor out = keepDim ? kept : kept.reshape(Shape.reducedShape(shape, mask, false));
        return Variable.record(op, out, g -> {
            try (Tensor hits = x.eq(kept); Tensor count = hits.sum(axes, true); Tensor gk = keepDims(g, shape, axes);
                 Tensor share = gk.div(count)) {
                return new Tensor[] {hits.mul(share)};
            }
        }, a);
    }

    /** Variance; {@code correction} 1 is the unbiased estimate. */
    static Variable var(Variable a, int[] axes, boolean keepDim, int correction) {
        int[] shape = a.shape();
        Tensor x = a.data();
        float scale = 2f / Math.max(count(shape, axes) - correction, 0);
        Tensor out = ReductionOps.var(x, axes, keepDim, correction);
        // d var / dx = 2 (x - mean) / (N - correction)
        return Variable.record("var", out, g -> {
            try (Tensor mu = ReductionOps.mean(x, axes, true); Tensor dev = x.sub(mu);
                 Tensor gk = keepDims(g, shape, axes)) {
                return new Tensor[] {dev.mul(gk).mul(scale)};
            }
        }, a);
    }

    private static int count(int[] shape, int[] axes) {
        boolean[] mask = Shape.axesMask("reduce", axes, shape);
        int n = 1;
        for (int d = 0; d < shape.length; d++) {
            if (mask[d]) {
                n *= shape[d];
            }
        }
        return n;
    }
}
