package org.kmerl.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.backend.BinaryOp;
import org.kmerl.tensor.backend.ElementwiseKernels;
import org.kmerl.tensor.backend.UnaryOp;

/**
 * Elementwise kernels with the Vector API. After {@link StridedLoop} has merged the axes, the common
 * layouts have inner strides of 1 (dense) or 0 (a broadcast value per row, or a scalar); those rows
 * run in vector form. Anything else (a transposed operand, an op without a vector form) falls back
 * to the reference loops of {@link CpuElementwise}.
 */
final class VectorElementwise implements ElementwiseKernels {
    private static final VectorSpecies<Float> S = VectorMath.S;
    private static final int L = S.length();
    private final CpuElementwise reference = new CpuElementwise();

    /** Inner strides the vector loops handle: 1, or 0 for an input (a value repeated along the row). */
    private static boolean vectorizable(StridedLoop loop, int outputOperand) {
        for (int k = 0; k < outputOperand; k++) {
            int s = loop.innerStride(k);
            if (s != 1 && s != 0) {
                return false;
            }
        }
        return loop.innerStride(outputOperand) == 1;
    }

    private static FloatVector load(float[] a, int at, int stride) {
        return stride == 0 ? FloatVector.broadcast(S, a[at]) : FloatVector.fromArray(S, a, at);
    }

    // ---------------------------------------------------------------------------------------------

    private static FloatVector apply(UnaryOp op, FloatVector x) {
        return switch (op) {
            case NEG -> x.neg();
            case EXP -> x.lanewise(VectorOperators.EXP);
            case LOG -> x.lanewise(VectorOperators.LOG);
            case SQRT -> x.sqrt();
            case RSQRT -> FloatVector.broadcast(S, 1f).div(x.sqrt());
            case RECIPROCAL -> FloatVector.broadcast(S, 1f).div(x);
            case SQUARE -> x.mul(x);
            case ABS -> x.abs();
            case TANH -> x.lanewise(VectorOperators.TANH);
            case SIGMOID -> VectorMath.sigmoid(x);
            case RELU -> x.max(0f);
            case GELU -> VectorMath.gelu(x);
        };
    }

    /** The derivative op'(x) given x and y = op(x). */
    private static FloatVector derivative(UnaryOp op, FloatVector x, FloatVector y) {
        return switch (op) {
            case NEG -> FloatVector.broadcast(S, -1f);
            case EXP -> y;
            case LOG -> FloatVector.broadcast(S, 1f).div(x);
            case SQRT -> FloatVector.broadcast(S, 0.5f).div(y);
            case RSQRT -> y.mul(y).mul(y).mul(-0.5f);
            case RECIPROCAL -> y.mul(y).neg();
            case SQUARE -> x.mul(2f);
            case ABS -> FloatVector.zero(S).blend(1f, x.compare(VectorOperators.GT, 0f))
                    .blend(-1f, x.compare(VectorOperators.LT, 0f));
            case TANH -> y.mul(y).neg().add(1f);
            case SIGMOID -> y.mul(y.neg().add(1f));
            case RELU -> FloatVector.zero(S).blend(1f, x.compare(VectorOperators.GT, 0f));
            case GELU -> VectorMath.geluDerivative(x);
        };
    }

    @Override
    public void unary(UnaryOp op, Tensor x, Tensor out) {
        StridedLoop loop = StridedLoop.over(out.shape(), x, out);
        if (!vectorizable(loop, 1)) {
            reference.unary(op, x, out);
            return;
        }
        float[] xs = CpuStorage.floats(x);
        float[] os = CpuStorage.floats(out);
        int sx = loop.innerStride(0);
        loop.run((off, n) -> {
            int i = 0;
            for (; i <= n - L; i += L) {
                apply(op, load(xs, off[0] + i * sx, sx)).intoArray(os, off[1] + i);
            }
            for (; i < n; i++) {
                os[off[1] + i] = op.apply(xs[off[0] + i * sx]);
            }
        });
    }

    @Override
    public void unaryBackward(UnaryOp op, Tensor x, Tensor y, Tensor gradOut, Tensor gradIn) {
        StridedLoop loop = StridedLoop.over(gradIn.shape(), x, y, gradOut, gradIn);
        if (!vectorizable(loop, 3)) {
            reference.unaryBackward(op, x, y, gradOut, gradIn);
            return;
        }
        float[] xs = CpuStorage.floats(x);
        float[] ys = CpuStorage.floats(y);
        float[] gs = CpuStorage.floats(gradOut);
        float[] os = CpuStorage.floats(gradIn);
        int sx = loop.innerStride(0);
        int sy = loop.innerStride(1);
        int sg = loop.innerStride(2);
        loop.run((off, n) -> {
            int i = 0;
            for (; i <= n - L; i += L) {
                FloatVector xv = load(xs, off[0] + i * sx, sx);
                FloatVector yv = load(ys, off[1] + i * sy, sy);
                load(gs, off[2] + i * sg, sg).mul(derivative(op, xv, yv)).intoArray(os, off[3] + i);
            }
            for (; i < n; i++) {
                os[off[3] + i] = gs[off[2] + i * sg] * op.derivative(xs[off[0] + i * sx], ys[off[1] + i * sy]);
            }
        });
    }

    // ---------------------------------------------------------------------------------------------

    private static boolean hasVectorForm(BinaryOp op) {
        return switch (op) {
            case ADD, SUB, MUL, DIV, MAXIMUM, MINIMUM -> true;
            default -> false;
        };
    }

    private static FloatVector apply(BinaryOp op, FloatVector a, FloatVector b) {
        return switch (op) {
            case ADD -> a.add(b);
            case SUB -> a.sub(b);
            case MUL -> a.mul(b);
            case DIV -> a.div(b);
            case MAXIMUM -> a.max(b);
            case MINIMUM -> a.min(b);
            default -> throw new IllegalArgumentException(op + " has no vector form");
        };
    }

    @Override
    public void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        StridedLoop loop = StridedLoop.over(out.shape(), a, b, out);
        if (!hasVectorForm(op) || !vectorizable(loop, 2)) {
            reference.binary(op, a, b, out);
            return;
        }
        float[] as = CpuStorage.floats(a);
        float[] bs = CpuStorage.floats(b);
        float[] os = CpuStorage.floats(out);
        int sa = loop.innerStride(0);
        int sb = loop.innerStride(1);
        loop.run((off, n) -> {
            int i = 0;
            for (; i <= n - L; i += L) {
                apply(op, load(as, off[0] + i * sa, sa), load(bs, off[1] + i * sb, sb)).intoArray(os, off[2] + i);
            }
            for (; i < n; i++) {
                os[off[2] + i] = op.apply(as[off[0] + i * sa], bs[off[1] + i * sb]);
            }
        });
    }

    @Override
    public void binaryScalar(BinaryOp op, Tensor a, float b, Tensor out) {
        StridedLoop loop = StridedLoop.over(out.shape(), a, out);
        if (!hasVectorForm(op) || !vectorizable(loop, 1)) {
            reference.binaryScalar(op, a, b, out);
            return;
        }
        float[] as = CpuStorage.floats(a);
        float[] os = CpuStorage.floats(out);
        int sa = loop.innerStride(0);
        FloatVector bv = FloatVector.broadcast(S, b);
        loop.run((off, n) -> {
            int i = 0;
            for (; i <= n - L; i += L) {
                apply(op, load(as, off[0] + i * sa, sa), bv).intoArray(os, off[1] + i);
            }
            for (; i < n; i++) {
                os[off[1] + i] = op.apply(as[off[0] + i * sa], b);
            }
        });
    }

    @Override
    public void clamp(Tensor x, float lo, float hi, Tensor out) {
        reference.clamp(x, lo, hi, out);
    }

    @Override
    public void where(Tensor cond, Tensor a, Tensor b, Tensor out) {
        reference.where(cond, a, b, out);
    }
}
