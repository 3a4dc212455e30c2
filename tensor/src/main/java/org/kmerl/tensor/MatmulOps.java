package org.kmerl.tensor;

import java.util.Arrays;

/** Matrix products with NumPy's matmul rules: 1-D operands are promoted, batch dims broadcast. */
public final class MatmulOps {
    private MatmulOps() {
    }

    public static Tensor matmul(Tensor a, Tensor b) {
        Checks.sameDevice("matmul", a, b);
        Checks.dtype("matmul", "left operand", a, DType.FLOAT32);
        Checks.dtype("matmul", "right operand", b, DType.FLOAT32);
        if (a.rank() == 0 || b.rank() == 0) {
            throw new ShapeException("matmul: operands must be at least 1-D, got shapes " + Shape.format(a.shape())
                    + " and " + Shape.format(b.shape()));
        }
        boolean vectorLeft = a.rank() == 1;
        boolean vectorRight = b.rank() == 1;
        try (Tensor a2 = vectorLeft ? a.unsqueeze(0) : a.broadcastTo("matmul", a.shape());
             Tensor b2 = vectorRight ? b.unsqueeze(1) : b.broadcastTo("matmul", b.shape())) {
            int[] sa = a2.shape();
            int[] sb = b2.shape();
            int m = sa[sa.length - 2];
            int k = sa[sa.length - 1];
            int n = sb[sb.length - 1];
            if (sb[sb.length - 2] != k) {
                throw new ShapeException("matmul: shapes " + Shape.format(a.shape()) + " and " + Shape.format(b.shape())
                        + " have inner dimensions " + k + " and " + sb[sb.length - 2] + " that differ");
            }
            int[] batch = Shape.broadcast("matmul", Arrays.copyOf(sa, sa.length - 2), Arrays.copyOf(sb, sb.length - 2));
            Tensor out = Tensor.empty(DType.FLOAT32, a.device(), concat(batch, m, n));
            try (Tensor ae = a2.expand(concat(batch, m, k)); Tensor be = b2.expand(concat(batch, k, n))) {
                a.backend().matmul().matmul(ae, be, out);
            }
            if (vectorLeft) {
                out = Tensor.replaceWithView(out, out.squeeze(-2));
            }
            if (vectorRight) {
                out = Tensor.replaceWithView(out, out.squeeze(-1));
            }
            return out;
        }
    }

    /**
     * {@code bias + a · b} for a [m, k], b [k, n] and bias [n] (PyTorch's {@code addmm}): the
     * product of a Linear layer with its bias added in the same kernel.
     */
    public static Tensor addmm(Tensor bias, Tensor a, Tensor b) {
        Checks.sameDevice("addmm", a, b);
        Checks.sameDevice("addmm", a, bias);
        Checks.dtype("addmm", "left operand", a, DType.FLOAT32);
        Checks.dtype("addmm", "right operand", b, DType.FLOAT32);
        Checks.dtype("addmm", "bias", bias, DType.FLOAT32);
        if (a.rank() != 2 || b.rank() != 2 || bias.rank() != 1 || a.dim(1) != b.dim(0) || bias.dim(0) != b.dim(1)) {
            throw new ShapeException("addmm: expected a [m, k], b [k, n] and bias [n], got " + Shape.format(a.shape())
                    + ", " + Shape.format(b.shape()) + " and " + Shape.format(bias.shape()));
        }
        Tensor out = Tensor.empty(DType.FLOAT32, a.device(), a.dim(0), b.dim(1));
        a.backend().matmul().addmm(bias, a, b, out);
        return out;
    }

    private static int[] concat(int[] batch, int rows, int cols) {
        int[] s = Arrays.copyOf(batch, batch.length + 2);
        s[batch.length] = rows;
        s[batch.length + 1] = cols;
        return s;
    }
}
