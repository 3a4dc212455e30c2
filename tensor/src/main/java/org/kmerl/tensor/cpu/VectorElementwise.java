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
 * layouts have dense rows (inner stride 1), or, for binary ops, one operand repeated along the row
 * (stride 0: a per-row scale, a scalar); those rows run in vector form. Anything else (a transposed
 * operand, an op without a vector form) falls back to the reference loops of {@link CpuElementwise}.
 */
final class VectorElementwise implements ElementwiseKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final float INV_SQRT_2 = (float) (1.0 / Math.sqrt(2.0));
    private static final float INV_SQRT_2PI = (float) (1.0 / Math.sqrt(2.0 * Math.PI));
    private final CpuElementwise reference = new CpuElementwise();

    /** True when every operand's rows are dense (inner stride 1). */
    private static boolean dense(StridedLoop loop, int operands) {
        for (int k = 0; k < operands; k++) {
            if (loop.innerStride(k) != 1) {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------------------------------------

    // Vector code must not hand vectors across a call the JIT might not inline: the vectors would be
    // boxed and their operations would fall back to slow Java code. So each loop below keeps all of
    // its vector math in its own body, loads only dense rows (a load that may also broadcast would
    // merge two vectors and be boxed at the merge), and the op is a switch
    // inside the loop. GELU, the heavy one that transformers use, has its own loop; sigmoid keeps the
    // reference loop.

    @Override
    public void unary(UnaryOp op, Tensor x, Tensor out) {
        StridedLoop loop = StridedLoop.over(out.shape(), x, out);
        if (op == UnaryOp.SIGMOID || !dense(loop, 2)) {
            reference.unary(op, x, out);
            return;
        }
        float[] xs = CpuStorage.floats(x);
        float[] os = CpuStorage.floats(out);
        if (op == UnaryOp.GELU) {
            // Two passes: out = Φ(x), then out = x · out.
            loop.run((off, n) -> normalCdf(xs, off[0], os, off[1], n));
            loop.run((off, n) -> binaryRow(BinaryOp.MUL, xs, off[0], os, off[1], os, off[1], n));
        } else {
            loop.run((off, n) -> unaryRow(op, xs, off[0], os, off[1], n));
        }
    }

    private static void unaryRow(UnaryOp op, float[] xs, int x0, float[] os, int o0, int n) {
        if (op == UnaryOp.EXP) {
            if (xs != os || x0 != o0) {
                System.arraycopy(xs, x0, os, o0, n);
            }
            VectorMath.expInPlace(os, o0, n, 0f);
            return;
        }
        if (op == UnaryOp.TANH) {
            VectorMath.tanh(xs, x0, os, o0, n);
            return;
        }
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector x = FloatVector.fromArray(S, xs, x0 + i);
            FloatVector y = switch (op) {
                case NEG -> x.neg();
                case LOG -> VectorMath.log(x);
                case SQRT -> x.sqrt();
                case RSQRT -> x.broadcast(1f).div(x.sqrt());
                case RECIPROCAL -> x.broadcast(1f).div(x);
                case SQUARE -> x.mul(x);
                case ABS -> x.abs();
                case RELU -> x.max(0f);
                default -> throw new IllegalArgumentException(op + " has its own loop");
            };
            y.intoArray(os, o0 + i);
        }
        for (; i < n; i++) {
            os[o0 + i] = op.apply(xs[x0 + i]);
        }
    }

    @Override
    public void unaryBackward(UnaryOp op, Tensor x, Tensor y, Tensor gradOut, Tensor gradIn) {
        StridedLoop loop = StridedLoop.over(gradIn.shape(), x, y, gradOut, gradIn);
        if (op == UnaryOp.SIGMOID || !dense(loop, 4)) {
            reference.unaryBackward(op, x, y, gradOut, gradIn);
            return;
        }
        float[] xs = CpuStorage.floats(x);
        float[] ys = CpuStorage.floats(y);
        float[] gs = CpuStorage.floats(gradOut);
        float[] os = CpuStorage.floats(gradIn);
        if (op == UnaryOp.GELU) {
            // Two passes: gradIn = Φ(x), then gradIn = g · (gradIn + x·φ(x)).
            loop.run((off, n) -> normalCdf(xs, off[0], os, off[3], n));
            loop.run((off, n) -> geluGradient(xs, off[0], gs, off[2], os, off[3], n));
        } else {
            loop.run((off, n) -> derivativeRow(op, xs, off[0], ys, off[1], gs, off[2], os, off[3], n));
        }
    }

    private static void derivativeRow(UnaryOp op, float[] xs, int x0, float[] ys, int y0, float[] gs, int g0,
                                      float[] os, int o0, int n) {
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector x = FloatVector.fromArray(S, xs, x0 + i);
            FloatVector y = FloatVector.fromArray(S, ys, y0 + i);
            FloatVector d = switch (op) {
                case NEG -> x.broadcast(-1f);
                case EXP -> y;
                case LOG -> x.broadcast(1f).div(x);
                case SQRT -> y.broadcast(0.5f).div(y);
                case RSQRT -> y.mul(y).mul(y).mul(-0.5f);
                case RECIPROCAL -> y.mul(y).neg();
                case SQUARE -> x.mul(2f);
                case ABS -> x.broadcast(0f).blend(1f, x.compare(VectorOperators.GT, 0f))
                        .blend(-1f, x.compare(VectorOperators.LT, 0f));
                case TANH -> y.mul(y).neg().add(1f);
                case RELU -> x.broadcast(0f).blend(1f, x.compare(VectorOperators.GT, 0f));
                default -> throw new IllegalArgumentException(op + " has its own loop");
            };
            FloatVector.fromArray(S, gs, g0 + i).mul(d).intoArray(os, o0 + i);
        }
        for (; i < n; i++) {
            os[o0 + i] = gs[g0 + i] * op.derivative(xs[x0 + i], ys[y0 + i]);
        }
    }

    // GELU runs in passes, each a small loop that is its own JIT compilation unit: Φ(x) into the
    // output, then the rest; and inside Φ and φ the exponential is its own pass over a block
    // (VectorMath.expInPlace). In one method, the inlined vector code exceeded C2's node budget, or
    // the compiled exp was "too large" to inline, and the vectors fell back to boxed objects and the
    // Vector API's Java fallbacks (seen with JFR: 20% of a K-MERL step in blendTemplate, reinterpret
    // through a ByteBuffer, stOp). The extra passes over an L1-sized block cost far less.
    private static final int BLOCK = 1024;
    private static final Scratch SCRATCH = new Scratch(1);

    /**
     * Φ(x) = erfc(-x/√2)/2 with Numerical Recipes' Chebyshev fit of erfc (relative error below
     * 1.2e-7): t = 1/(1 + z/2), erfc(z) = t·exp(-z² + P(t)) for z >= 0, and Φ(x) = 1 - Φ(-x) for x > 0.
     * Three passes per block: the exponent -z² + P(t) into the output, exp in place, then t·e/2 and
     * the reflection.
     */
    private static void normalCdf(float[] xs, int x0, float[] cdf, int c0, int n) {
        int vectorized = n - n % L;
        for (int b = 0; b < vectorized; b += BLOCK) {
            int m = Math.min(BLOCK, vectorized - b);
            erfcExponent(xs, x0 + b, cdf, c0 + b, m);
            VectorMath.expInPlace(cdf, c0 + b, m, 0f);
            erfcFinish(xs, x0 + b, cdf, c0 + b, m);
        }
        for (int i = vectorized; i < n; i++) {
            cdf[c0 + i] = (float) org.kmerl.tensor.MathFunctions.normalCdf(xs[x0 + i]);
        }
    }

    /**
     * The exponent of erfc's fit, -z² + P(t), with z = |x|/√2 and t = 1/(1 + z/2); Horner's rule in
     * FMAs. (Few vector operations per loop matter here: C2 inlines each Vector API call as a large
     * tree before it collapses into one instruction, and a loop with too many runs out of its node
     * budget, after which the remaining operations box their vectors.)
     */
    private static void erfcExponent(float[] xs, int x0, float[] out, int o0, int n) {
        for (int i = 0; i < n; i += L) {
            FloatVector z = FloatVector.fromArray(S, xs, x0 + i).mul(INV_SQRT_2).abs();
            FloatVector t = FloatVector.broadcast(S, 1f).div(z.fma(0.5f, 1f));
            FloatVector p = t.fma(0.17087277f, -0.82215223f);
            p = p.fma(t, FloatVector.broadcast(S, 1.48851587f));
            p = p.fma(t, FloatVector.broadcast(S, -1.13520398f));
            p = p.fma(t, FloatVector.broadcast(S, 0.27886807f));
            p = p.fma(t, FloatVector.broadcast(S, -0.18628806f));
            p = p.fma(t, FloatVector.broadcast(S, 0.09678418f));
            p = p.fma(t, FloatVector.broadcast(S, 0.37409196f));
            p = p.fma(t, FloatVector.broadcast(S, 1.00002368f));
            p = p.fma(t, FloatVector.broadcast(S, -1.26551223f));
            z.neg().fma(z, p).intoArray(out, o0 + i);
        }
    }

    private static void erfcFinish(float[] xs, int x0, float[] cdf, int c0, int n) {
        for (int i = 0; i < n; i += L) {
            FloatVector x = FloatVector.fromArray(S, xs, x0 + i);
            FloatVector t = FloatVector.broadcast(S, 1f).div(x.mul(INV_SQRT_2).abs().fma(0.5f, 1f));
            FloatVector tail = t.mul(FloatVector.fromArray(S, cdf, c0 + i)).mul(0.5f); // Φ(-|x|)
            // Φ(x) = tail for x <= 0, 1 - tail for x > 0, without a mask: H = clamp(x·2^100, 0, 1) is
            // 0 or 1 except for 0 < x < 2^-100, where tail is 0.5 and 1 - 2·tail is 0. (A blend with a
            // compare mask here made C2 drop the store intrinsic and box every vector.)
            FloatVector h = x.mul(0x1p100f).max(0f).min(1f);
            h.fma(tail.mul(-2f).add(1f), tail).intoArray(cdf, c0 + i);
        }
    }

    /** The second backward pass: out = g·(out + x·φ(x)) where out holds Φ(x), φ(x) = exp(-x²/2)/√(2π). */
    private static void geluGradient(float[] xs, int x0, float[] gs, int g0, float[] os, int o0, int n) {
        int vectorized = n - n % L;
        float[] pdf = SCRATCH.get(0, BLOCK);
        for (int b = 0; b < vectorized; b += BLOCK) {
            int m = Math.min(BLOCK, vectorized - b);
            halfSquareNegated(xs, x0 + b, pdf, m);
            VectorMath.expInPlace(pdf, 0, m, 0f);
            geluGradientFinish(xs, x0 + b, gs, g0 + b, pdf, os, o0 + b, m);
        }
        for (int i = vectorized; i < n; i++) {
            os[o0 + i] = gs[g0 + i] * UnaryOp.GELU.derivative(xs[x0 + i], 0f);
        }
    }

    private static void halfSquareNegated(float[] xs, int x0, float[] out, int n) {
        for (int i = 0; i < n; i += L) {
            FloatVector x = FloatVector.fromArray(S, xs, x0 + i);
            x.mul(x).mul(-0.5f).intoArray(out, i);
        }
    }

    private static void geluGradientFinish(float[] xs, int x0, float[] gs, int g0, float[] expHalfSquare, float[] os,
                                           int o0, int n) {
        for (int i = 0; i < n; i += L) {
            FloatVector x = FloatVector.fromArray(S, xs, x0 + i);
            FloatVector pdf = FloatVector.fromArray(S, expHalfSquare, i).mul(INV_SQRT_2PI);
            FloatVector d = FloatVector.fromArray(S, os, o0 + i).add(x.mul(pdf));
            FloatVector.fromArray(S, gs, g0 + i).mul(d).intoArray(os, o0 + i);
        }
    }

    // ---------------------------------------------------------------------------------------------

    private static boolean hasVectorForm(BinaryOp op) {
        return switch (op) {
            case ADD, SUB, MUL, DIV, MAXIMUM, MINIMUM -> true;
            default -> false;
        };
    }

    @Override
    public void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        StridedLoop loop = StridedLoop.over(out.shape(), a, b, out);
        int sa = loop.innerStride(0);
        int sb = loop.innerStride(1);
        boolean shapes = loop.innerStride(2) == 1 && (sa == 1 || sa == 0) && (sb == 1 || sb == 0) && !(sa == 0 && sb == 0);
        if (!hasVectorForm(op) || !shapes) {
            reference.binary(op, a, b, out);
            return;
        }
        float[] as = CpuStorage.floats(a);
        float[] bs = CpuStorage.floats(b);
        float[] os = CpuStorage.floats(out);
        if (sa == 1 && sb == 1) {
            loop.run((off, n) -> binaryRow(op, as, off[0], bs, off[1], os, off[2], n));
        } else if (sb == 0) {
            loop.run((off, n) -> scalarRow(op, as, off[0], bs[off[1]], false, os, off[2], n));
        } else {
            loop.run((off, n) -> scalarRow(op, bs, off[1], as[off[0]], true, os, off[2], n));
        }
    }

    private static void binaryRow(BinaryOp op, float[] as, int a0, float[] bs, int b0, float[] os, int o0, int n) {
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector a = FloatVector.fromArray(S, as, a0 + i);
            FloatVector b = FloatVector.fromArray(S, bs, b0 + i);
            FloatVector y = switch (op) {
                case ADD -> a.add(b);
                case SUB -> a.sub(b);
                case MUL -> a.mul(b);
                case DIV -> a.div(b);
                case MAXIMUM -> a.max(b);
                case MINIMUM -> a.min(b);
                default -> throw new IllegalArgumentException(op + " has no vector form");
            };
            y.intoArray(os, o0 + i);
        }
        for (; i < n; i++) {
            os[o0 + i] = op.apply(as[a0 + i], bs[b0 + i]);
        }
    }

    /** {@code out = a op s} along a dense row, or {@code s op a} when {@code scalarFirst}. */
    private static void scalarRow(BinaryOp op, float[] as, int a0, float s, boolean scalarFirst, float[] os, int o0,
                                  int n) {
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector a = FloatVector.fromArray(S, as, a0 + i);
            FloatVector y = switch (op) {
                case ADD -> a.add(s);
                case SUB -> scalarFirst ? a.neg().add(s) : a.sub(s);
                case MUL -> a.mul(s);
                case DIV -> scalarFirst ? a.broadcast(s).div(a) : a.div(s);
                case MAXIMUM -> a.max(s);
                case MINIMUM -> a.min(s);
                default -> throw new IllegalArgumentException(op + " has no vector form");
            };
            y.intoArray(os, o0 + i);
        }
        for (; i < n; i++) {
            os[o0 + i] = scalarFirst ? op.apply(s, as[a0 + i]) : op.apply(as[a0 + i], s);
        }
    }

    @Override
    public void binaryScalar(BinaryOp op, Tensor a, float b, Tensor out) {
        StridedLoop loop = StridedLoop.over(out.shape(), a, out);
        if (!hasVectorForm(op) || !dense(loop, 2)) {
            reference.binaryScalar(op, a, b, out);
            return;
        }
        float[] as = CpuStorage.floats(a);
        float[] os = CpuStorage.floats(out);
        loop.run((off, n) -> scalarRow(op, as, off[0], b, false, os, off[1], n));
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
