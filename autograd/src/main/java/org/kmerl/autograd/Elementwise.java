package org.kmerl.autograd;

import java.util.Arrays;
import org.kmerl.tensor.ElementwiseOps;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.backend.UnaryOp;

/** Elementwise ops: forward and backward side by side. Broadcast inputs get gradients summed back to their shape. */
final class Elementwise {
    private Elementwise() {
    }

    /** Sums a broadcast gradient back down to an input's shape (NumPy broadcasting, reversed). */
    static Tensor sumTo(Tensor g, int[] shape) {
        int[] gs = g.shape();
        if (Arrays.equals(gs, shape)) {
            return g;
        }
        int lead = gs.length - shape.length;
        int[] axes = new int[gs.length];
        int n = 0;
        for (int d = 0; d < gs.length; d++) {
            if (d < lead || (shape[d - lead] == 1 && gs[d] != 1)) {
                axes[n++] = d;
            }
        }
        try (Tensor summed = g.sum(Arrays.copyOf(axes, n), true)) {
            return summed.reshape(shape);
        }
    }

    static Variable add(Variable a, Variable b) {
        Tensor out = a.data().add(b.data());
        return Variable.record("add", out, g -> new Tensor[] {
            sumTo(g, a.shape()),
            sumTo(g, b.shape())
        }, a, b);
    }

    static Variable sub(Variable a, Variable b) {
        Tensor out = a.data().sub(b.data());
        return Variable.record("sub", out, g -> new Tensor[] {
            sumTo(g, a.shape()),
            b.requiresGrad() ? sumTo(g.neg(), b.shape()) : null
        }, a, b);
    }

    static Variable mul(Variable a, Variable b) {
        Tensor x = a.data();
        Tensor y = b.data();
        return Variable.record("mul", x.mul(y), g -> new Tensor[] {
            a.requiresGrad() ? sumTo(g.mul(y), x.shape()) : null,
            b.requiresGrad() ? sumTo(g.mul(x), y.shape()) : null
        }, a, b);
    }

    static Variable div(Variable a, Variable b) {
        Tensor x = a.data();
        Tensor y = b.data();
        Tensor out = x.div(y);
        // d(x/y)/dx = 1/y,  d(x/y)/dy = -x/y^2 = -out/y
        return Variable.record("div", out, g -> new Tensor[] {
            a.requiresGrad() ? sumTo(g.div(y), x.shape()) : null,
            b.requiresGrad() ? sumTo(g.mul(out).div(y).neg(), y.shape()) : null
        }, a, b);
    }

    static Variable pow(Variable a, Variable b) {
        Tensor x = a.data();
        Tensor y = b.data();
        Tensor out = x.pow(y);
        // d(x^y)/dx = y x^(y-1),  d(x^y)/dy = x^y log x
        return Variable.record("pow", out, g -> new Tensor[] {
            a.requiresGrad() ? sumTo(g.mul(y).mul(x.pow(y.sub(1f))), x.shape()) : null,
            b.requiresGrad() ? sumTo(g.mul(out).mul(x.log()), y.shape()) : null
        }, a, b);
    }

    static Variable addScalar(Variable a, float s) {
        return Variable.record("addScalar", a.data().add(s), g -> new Tensor[] {g}, a);
    }

    static Variable mulScalar(Variable a, float s) {
        return Variable.record("mulScalar", a.data().mul(s), g -> new Tensor[] {g.mul(s)}, a);
    }

    static Variable powScalar(Variable a, float p) {
        Tensor x = a.data();
        return Variable.record("powScalar", x.pow(p), g -> new Tensor[] {g.mul(x.pow(p - 1f)).mul(p)}, a);
    }

    /** Any {@link UnaryOp}: the backend computes {@code g * op'(x)} from x and the saved output. */
    static Variable unary(UnaryOp op, Variable a) {
        Tensor x = a.data();
        Tensor y = ElementwiseOps.unary(op, x);
        return Variable.record(op.opName(), y, g -> new Tensor[] {ElementwiseOps.unaryBackward(op, x, y, g)}, a);
    }

    static Variable clamp(Variable a, float lo, float hi) {
        Tensor x = a.data();
        // Gradient passes where lo <= x <= hi, as in PyTorch.
        return Variable.record("clamp", x.clamp(lo, hi), g -> {
            try (Tensor inside = x.ge(lo).mul(x.le(hi))) {
                return new Tensor[] {g.mul(inside)};
            }
        }, a);
    }

    static Variable where(Tensor cond, Variable a, Variable b) {
        Tensor out = ElementwiseOps.where(cond, a.data(), b.data());
        return Variable.record("where", out, g -> {
            try (Tensor zero = Tensor.zeros(org.kmerl.tensor.DType.FLOAT32, g.device())) {
                return new Tensor[] {
                    a.requiresGrad() ? sumTo(ElementwiseOps.where(cond, g, zero), a.shape()) : null,
                    b.requiresGrad() ? sumTo(ElementwiseOps.where(cond, zero, g), b.shape()) : null
                };
            }
        }, a, b);
    }

    static Variable maskedFill(Variable a, Tensor mask, float value) {
        try (Tensor fill = Tensor.full(value, a.data().device())) {
            return where(mask, Variable.constant(fill), a);
        }
    }
}
