package org.kmerl.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * exp, log, tanh and the sum of lanes for float vectors, written with additions, multiplications,
 * FMAs and bit operations only, with a scalar twin of each function that performs the same
 * operations in the same order.
 *
 * <p>Why not {@code lanewise(VectorOperators.EXP)}: the JIT computes those with the SVML library
 * while the interpreter (and any code not yet compiled) falls back to {@code Math.exp} per lane, and
 * the two round differently. A kernel's result then depended on whether it had been compiled yet:
 * a training run resumed from a checkpoint differed from the uninterrupted run in the last bit.
 * Plain IEEE arithmetic is the same in every tier, so these functions give identical results
 * everywhere; vector lanes and scalar tails agree too.
 *
 * <p>Algorithms (Cephes, Moshier): exp by Cody-Waite reduction x = n·ln2 + r, |r| <= ln2/2, and a
 * degree-6 polynomial; log by x = m·2^e with m in [√½, √2) and a degree-9 polynomial in m - 1; tanh
 * by a polynomial below 0.625 and 1 - 2/(e^{2|x|} + 1) above. All within 2 ulp of the exact value.
 */
final class VectorMath {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    /** 1.5·2^23: adding it rounds a float of magnitude < 2^22 to an integer, held in the low mantissa bits. */
    private static final float ROUNDER = 12582912f;
    private static final int ROUNDER_BITS = Float.floatToRawIntBits(ROUNDER);
    /**
     * exp's input is clamped to [EXP_LO, EXP_HI], and no special case is needed: e^EXP_HI overflows to
     * +inf (ln of the largest float is 88.7228), e^EXP_LO rounds to exactly 0 (it is below half the
     * smallest denormal, 2^-150), and NaN passes through the arithmetic.
     */
    private static final float EXP_HI = 88.8f;
    private static final float EXP_LO = -104f;
    private static final float SQRT_HALF = 0.707106781186547524f;

    private VectorMath() {
    }

    // ---------------------------------------------------------------------------------------------
    // sum of lanes

    /**
     * Rotations by L/2, L/4, ..., 1 lanes: adding a vector to its rotations sums it in a fixed tree.
     */
    private static final VectorShuffle<Float>[] ROTATIONS = rotations();

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static VectorShuffle<Float>[] rotations() {
        int lanes = S.length();
        int steps = Integer.numberOfTrailingZeros(lanes);
        VectorShuffle<Float>[] out = new VectorShuffle[steps];
        for (int k = 0, half = lanes / 2; half >= 1; k++, half /= 2) {
            int shift = half;
            out[k] = VectorShuffle.fromOp(S, i -> (i + shift) % lanes);
        }
        return out;
    }

    /**
     * The lanes' sum, added in a fixed tree (lane i + lane i+L/2, then pairs of those, ...), written
     * with rotations and adds so that every tier computes the same tree. {@code reduceLanes(ADD)} may
     * not be used: on Java 25 its compiled form adds in a tree while the uncompiled form adds in lane
     * order, so the same vector summed to different floats before and after warm-up. (A scalar loop
     * over {@code toArray()} was deterministic too, but cost a fifth of a layer norm.)
     */
    static float sum(FloatVector v) {
        FloatVector acc = v;
        for (VectorShuffle<Float> rotation : ROTATIONS) {
            acc = acc.add(acc.rearrange(rotation));
        }
        return acc.lane(0);
    }

    // ---------------------------------------------------------------------------------------------
    // exp

    /**
     * {@code a[i] = exp(a[i] - shift)} for {@code i} in {@code [off, off+n)}: the one vector exp of
     * the CPU backend, on arrays; lane for lane equal to the scalar twin {@link #exp(float)}.
     *
     * <p>Why arrays and one big method: vector code is only fast when C2 inlines all of it into one
     * compilation unit. A caller that is large (an attention kernel's lambda, GELU with its
     * polynomial) runs out of C2's inlining budget, and from there on every vector op is a real call
     * on a boxed vector with no constant species, so the Vector API falls back to its Java code
     * (JFR: stOp, blendTemplate, a ByteBuffer reinterpretation; 95 GB allocated in 40 ViT steps, the
     * step 20% slower). This method's bytecode is larger than C2's FreqInlineSize (325 bytes), so it is
     * never inlined into a caller: it is compiled on its own, where all of exp fits. Callers stage
     * their arguments in an array (usually the output) and call it once per row or block.
     */
    static void expInPlace(float[] a, int off, int n, float shift) {
        int lanes = S.length();
        int rest = n % lanes;
        int full = n - rest;
        // A partial last vector goes first (i = -lanes), into a scratch row whose last `rest` lanes are
        // copied back at the end. With at least `lanes` values its inputs are the last `lanes` ones, read
        // before the loop overwrites any of them; with fewer, a padded copy. A vector costs less than the
        // scalar twin on up to 15 values (rows of 120 or 56 scores end in 8), with equal bits, and the
        // overlapping window costs less than padding (measured: 1.20 -> 0.57 ns per value on rows of 120).
        float[] pad = rest == 0 ? null : SCRATCH.get(1, lanes);
        for (int i = rest == 0 ? 0 : -lanes; i < full; i += lanes) {
            float[] src = a;
            float[] dst = a;
            int at = off + i;
            int to = at;
            if (i < 0) {
                if (n >= lanes) {
                    at = off + n - lanes;
                } else {
                    System.arraycopy(a, off, pad, 0, n);
                    src = pad;
                    at = 0;
                }
                dst = pad;
                to = 0;
            }
            FloatVector x = FloatVector.fromArray(S, src, at).sub(shift);
            FloatVector c = x.max(EXP_LO).min(EXP_HI);
            FloatVector t = c.fma(FloatVector.broadcast(S, LOG2E), FloatVector.broadcast(S, ROUNDER));
            FloatVector m = t.sub(ROUNDER);
            FloatVector r = m.fma(FloatVector.broadcast(S, -LN2_HI), c);
            r = m.fma(FloatVector.broadcast(S, -LN2_LO), r);
            FloatVector p = FloatVector.broadcast(S, 1.9875691500e-4f);
            p = p.fma(r, FloatVector.broadcast(S, 1.3981999507e-3f));
            p = p.fma(r, FloatVector.broadcast(S, 8.3334519073e-3f));
            p = p.fma(r, FloatVector.broadcast(S, 4.1665795894e-2f));
            p = p.fma(r, FloatVector.broadcast(S, 1.6666665459e-1f));
            p = p.fma(r, FloatVector.broadcast(S, 5.0000001201e-1f));
            FloatVector e = p.mul(r).fma(r, r).add(1f);
            // 2^k in two factors, each a normal float for every k in [-150, 128].
            IntVector k = t.reinterpretAsInts().sub(ROUNDER_BITS);
            IntVector k1 = k.lanewise(VectorOperators.ASHR, 1);
            FloatVector twoK1 = k1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            FloatVector twoK2 = k.sub(k1).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            e.mul(twoK1).mul(twoK2).intoArray(dst, to);
        }
        if (rest > 0) {
            System.arraycopy(pad, n >= lanes ? lanes - rest : 0, a, off + full, rest);
        }
    }

    /** Slot 0: tanh's exponentials; slot 1: the padded last vector of {@link #expInPlace}. */
    private static final Scratch SCRATCH = new Scratch(2);

    /** The scalar twin of {@link #expInPlace}: the same operations in the same order. */
    static float exp(float x) {
        float c = Math.min(Math.max(x, EXP_LO), EXP_HI);
        float t = Math.fma(c, LOG2E, ROUNDER);
        float n = t - ROUNDER;
        float r = Math.fma(n, -LN2_HI, c);
        r = Math.fma(n, -LN2_LO, r);
        float p = 1.9875691500e-4f;
        p = Math.fma(p, r, 1.3981999507e-3f);
        p = Math.fma(p, r, 8.3334519073e-3f);
        p = Math.fma(p, r, 4.1665795894e-2f);
        p = Math.fma(p, r, 1.6666665459e-1f);
        p = Math.fma(p, r, 5.0000001201e-1f);
        float e = Math.fma(p * r, r, r) + 1f;
        int k = Float.floatToRawIntBits(t) - ROUNDER_BITS;
        int k1 = k >> 1;
        return e * Float.intBitsToFloat((k1 + 127) << 23) * Float.intBitsToFloat((k - k1 + 127) << 23);
    }


    // ---------------------------------------------------------------------------------------------
    // log

    static FloatVector log(FloatVector x) {
        IntVector bits = x.reinterpretAsInts();
        IntVector exponent = bits.lanewise(VectorOperators.LSHR, 23).and(0xFF).sub(127);
        FloatVector m = bits.and(0x007FFFFF).or(0x3F000000).reinterpretAsFloats(); // [0.5, 1)
        VectorMask<Float> small = m.compare(VectorOperators.LT, SQRT_HALF);
        // m in [√½, √2): double m when it is below √½ (and lower the exponent), then f = m - 1.
        FloatVector e = ((FloatVector) exponent.add(1).convert(VectorOperators.I2F, 0));
        e = e.blend(e.sub(1f), small);
        FloatVector f = m.blend(m.add(m), small).sub(1f);
        FloatVector z = f.mul(f);
        FloatVector y = FloatVector.broadcast(S, 7.0376836292e-2f);
        y = y.fma(f, FloatVector.broadcast(S, -1.1514610310e-1f));
        y = y.fma(f, FloatVector.broadcast(S, 1.1676998740e-1f));
        y = y.fma(f, FloatVector.broadcast(S, -1.2420140846e-1f));
        y = y.fma(f, FloatVector.broadcast(S, 1.4249322787e-1f));
        y = y.fma(f, FloatVector.broadcast(S, -1.6668057665e-1f));
        y = y.fma(f, FloatVector.broadcast(S, 2.0000714765e-1f));
        y = y.fma(f, FloatVector.broadcast(S, -2.4999993993e-1f));
        y = y.fma(f, FloatVector.broadcast(S, 3.3333331174e-1f));
        y = y.mul(f).mul(z);
        y = e.fma(FloatVector.broadcast(S, LN2_LO), y);
        y = z.fma(FloatVector.broadcast(S, -0.5f), y);
        FloatVector result = e.fma(FloatVector.broadcast(S, LN2_HI), f.add(y));
        // Zero (and denormals, treated as zero) -> -inf, negative -> NaN, +inf -> +inf, NaN -> NaN.
        result = result.blend(Float.NEGATIVE_INFINITY, x.compare(VectorOperators.LT, Float.MIN_NORMAL));
        result = result.blend(Float.NaN, x.compare(VectorOperators.LT, 0f));
        result = result.blend(x, x.compare(VectorOperators.EQ, Float.POSITIVE_INFINITY));
        return result.blend(x, x.compare(VectorOperators.NE, x));
    }

    static float log(float x) {
        if (x != x || x == Float.POSITIVE_INFINITY) {
            return x;
        }
        if (x < 0f) {
            return Float.NaN;
        }
        if (x < Float.MIN_NORMAL) {
            return Float.NEGATIVE_INFINITY;
        }
        int bits = Float.floatToRawIntBits(x);
        int exponent = ((bits >>> 23) & 0xFF) - 127;
        float m = Float.intBitsToFloat((bits & 0x007FFFFF) | 0x3F000000);
        boolean small = m < SQRT_HALF;
        float e = exponent + 1;
        if (small) {
            e = e - 1f;
        }
        float f = (small ? m + m : m) - 1f;
        float z = f * f;
        float y = 7.0376836292e-2f;
        y = Math.fma(y, f, -1.1514610310e-1f);
        y = Math.fma(y, f, 1.1676998740e-1f);
        y = Math.fma(y, f, -1.2420140846e-1f);
        y = Math.fma(y, f, 1.4249322787e-1f);
        y = Math.fma(y, f, -1.6668057665e-1f);
        y = Math.fma(y, f, 2.0000714765e-1f);
        y = Math.fma(y, f, -2.4999993993e-1f);
        y = Math.fma(y, f, 3.3333331174e-1f);
        y = y * f * z;
        y = Math.fma(e, LN2_LO, y);
        y = Math.fma(z, -0.5f, y);
        return Math.fma(e, LN2_HI, f + y);
    }

    // ---------------------------------------------------------------------------------------------
    // tanh

    /**
     * {@code out[i] = tanh(x[i])} over n values (out may be x): a polynomial below |x| = 0.625,
     * 1 - 2/(e^{2|x|} + 1) above, the exponential staged in a scratch row through {@link #expInPlace}.
     */
    static void tanh(float[] x, int x0, float[] out, int o0, int n) {
        int vectorized = n - n % S.length();
        float[] e = SCRATCH.get(0, vectorized);
        for (int i = 0; i < vectorized; i += S.length()) {
            FloatVector a = FloatVector.fromArray(S, x, x0 + i).abs();
            a.add(a).intoArray(e, i);
        }
        expInPlace(e, 0, vectorized, 0f);
        tanhFinish(x, x0, e, out, o0, vectorized);
        for (int i = vectorized; i < n; i++) {
            out[o0 + i] = tanh(x[x0 + i]);
        }
    }

    /** out = tanh(x), with e^{2|x|} given in {@code exp2a}. */
    private static void tanhFinish(float[] xs, int x0, float[] exp2a, float[] out, int o0, int n) {
        for (int i = 0; i < n; i += S.length()) {
            FloatVector x = FloatVector.fromArray(S, xs, x0 + i);
            FloatVector a = x.abs();
            FloatVector z = x.mul(x);
            FloatVector p = FloatVector.broadcast(S, -5.70498872745e-3f);
            p = p.fma(z, FloatVector.broadcast(S, 2.06390887954e-2f));
            p = p.fma(z, FloatVector.broadcast(S, -5.37397155531e-2f));
            p = p.fma(z, FloatVector.broadcast(S, 1.33314422036e-1f));
            p = p.fma(z, FloatVector.broadcast(S, -3.33332819422e-1f));
            FloatVector near = p.mul(z).fma(x, x);
            FloatVector far = FloatVector.broadcast(S, 1f).sub(FloatVector.broadcast(S, 2f)
                    .div(FloatVector.fromArray(S, exp2a, i).add(1f)));
            far = far.blend(far.neg(), x.compare(VectorOperators.LT, 0f));
            FloatVector y = near.blend(far, a.compare(VectorOperators.GE, 0.625f));
            y.blend(x, x.compare(VectorOperators.NE, x)).intoArray(out, o0 + i);
        }
    }

    static float tanh(float x) {
        if (x != x) {
            return x;
        }
        float a = Math.abs(x);
        if (a < 0.625f) {
            float z = x * x;
            float p = -5.70498872745e-3f;
            p = Math.fma(p, z, 2.06390887954e-2f);
            p = Math.fma(p, z, -5.37397155531e-2f);
            p = Math.fma(p, z, 1.33314422036e-1f);
            p = Math.fma(p, z, -3.33332819422e-1f);
            return Math.fma(p * z, x, x);
        }
        float far = 1f - 2f / (exp(a + a) + 1f);
        return x < 0f ? -far : far;
    }
}
