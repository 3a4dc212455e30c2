package org.kmerl.autograd;

import org.kmerl.tensor.NormOps;
import org.kmerl.tensor.Tensor;

/** Matrix products and softmax: forward and backward side by side. */
final class Products {
    private Products() {
    }

    /**
     * {@code a @ b} with NumPy rules. 1-D operands are promoted by views (recorded as graph nodes),
     * so the core below only sees rank >= 2:  dA = dC · Bᵀ,  dB = Aᵀ · dC, summed over broadcast
     * batch dimensions.
     */
    static Variable matmul(Variable a, Variable b) {
        if (a.rank() == 1) {
            return matmul(a.unsqueeze(0), b).squeeze(-2);
        }
        if (b.rank() == 1) {
            return matmul(a, b.unsqueeze(1)).squeeze(-1);
        }
        Tensor x = a.data();
        Tensor y = b.data();
        return Variable.record("matmul", x.matmul(y), g -> {
            Tensor ga = null;
            Tensor gb = null;
            if (a.requiresGrad()) {
                try (Tensor yt = y.transpose(-1, -2)) {
                    ga = Elementwise.sumTo(g.matmul(yt), x.shape());
                }
            }
            if (b.requiresGrad()) {
                try (Tensor xt = x.transpose(-1, -2)) {
                    gb = Elementwise.sumTo(xt.matmul(g), y.shape());
                }
            }
            return new Tensor[] {ga, gb};
        }, a, b);
    }

    /** Softmax or log-softmax along one axis; backward uses only the saved output. */
    static Variable softmax(Variable a, int axis, boolean log) {
        Tensor y = log ? NormOps.logSoftmax(a.data(), axis) : NormOps.softmax(a.data(), axis);
        return Variable.record(log ? "logSoftmax" : "softmax", y,
                g -> new Tensor[] {NormOps.softmaxBackward(y, g, axis, log)}, a);
    }
}
