package org.kmerl.tensor;

import org.kmerl.tensor.backend.BinaryOp;
import org.kmerl.tensor.backend.UnaryOp;

/** Elementwise ops with NumPy broadcasting: shape checks, output allocation, dispatch. */
public final class ElementwiseOps {
    private ElementwiseOps() {
    }

    public static Tensor unary(UnaryOp op, Tensor x) {
        Checks.dtype(op.opName(), "input", x, DType.FLOAT32);
        Tensor out = Tensor.emptyLike(x);
        x.backend().elementwise().unary(op, x, out);
        return out;
    }

    /** {@code gradOut * op'(x)} for backward passes; {@code y} is the forward output. */
    public static Tensor unaryBackward(UnaryOp op, Tensor x, Tensor y, Tensor gradOut) {
        String name = op.opName() + " backward";
        Checks.sameDevice(name, x, y, gradOut);
        Tensor gradIn = Tensor.emptyLike(x);
        try (Tensor g = gradOut.broadcastTo(name, x.shape())) {
            x.backend().elementwise().unaryBackward(op, x, y, g, gradIn);
        }
        return gradIn;
    }

    public static Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        String name = op.opName();
        Checks.sameDevice(name, a, b);
        Checks.dtype(name, "left operand", a, DType.FLOAT32);
        Checks.dtype(name, "right operand", b, DType.FLOAT32);
        Tensor out = Tensor.empty(DType.FLOAT32, a.device(), Shape.broadcast(name, a.shape(), b.shape()));
        binaryInto(op, a, b, out);
        return out;
    }

    /** {@code out = a op b} into an existing tensor of the broadcast shape (out may be a). */
    public static void binaryInto(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        String name = op.opName();
        Checks.sameDevice(name, a, b, out);
        int[] shape = out.shape();
        try (Tensor ab = a.broadcastTo(name, shape); Tensor bb = b.broadcastTo(name, shape)) {
            a.backend().elementwise().binary(op, ab, bb, out);
        }
    }

    public static Tensor scalar(BinaryOp op, Tensor a, float s) {
        Checks.dtype(op.opName(), "input", a, DType.FLOAT32);
        Tensor out = Tensor.emptyLike(a);
        a.backend().elementwise().binaryScalar(op, a, s, out);
        return out;
    }

    public static Tensor clamp(Tensor x, float lo, float hi) {
        if (lo > hi) {
            throw new IllegalArgumentException("clamp: min " + lo + " is greater than max " + hi);
        }
        Checks.dtype("clamp", "input", x, DType.FLOAT32);
        Tensor out = Tensor.emptyLike(x);
        x.backend().elementwise().clamp(x, lo, hi, out);
        return out;
    }

    /** {@code cond != 0 ? a : b}, all three broadcast together. */
    public static Tensor where(Tensor cond, Tensor a, Tensor b) {
        Checks.sameDevice("where", cond, a, b);
        Checks.dtype("where", "first choice", a, DType.FLOAT32);
        Checks.dtype("where", "second choice", b, DType.FLOAT32);
        int[] shape = Shape.broadcast("where", cond.shape(), a.shape(), b.shape());
        Tensor out = Tensor.empty(DType.FLOAT32, a.device(), shape);
        try (Tensor floatCond = cond.toFloat(); Tensor c = floatCond.broadcastTo("where", shape); Tensor ab = a.broadcastTo("where", shape);
             Tensor bb = b.broadcastTo("where", shape)) {
            a.backend().elementwise().where(c, ab, bb, out);
        }
        return out;
    }

    public static Tensor maskedFill(Tensor x, Tensor mask, float value) {
        try (Tensor fill = Tensor.full(value, x.device())) {
            return where(mask, fill, x);
        }
    }
}
