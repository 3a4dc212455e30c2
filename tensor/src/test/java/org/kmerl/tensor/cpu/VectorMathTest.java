package org.kmerl.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * exp, log and tanh of {@link VectorMath}: within 2 ulp of the double-precision result, special
 * values right, and every vector lane bit-identical to the scalar twin (the property that makes
 * kernels independent of JIT compilation).
 */
class VectorMathTest {
    private static final int L = FloatVector.SPECIES_PREFERRED.length();

    private static float[] inputs(float lo, float hi, float... specials) {
        Random r = new Random(7);
        List<Float> xs = new ArrayList<>();
        for (float s : specials) {
            xs.add(s);
        }
        for (int i = 0; i < 20000; i++) {
            xs.add(lo + (hi - lo) * r.nextFloat());
        }
        // Pad to whole vectors.
        while (xs.size() % L != 0) {
            xs.add(0.5f);
        }
        float[] a = new float[xs.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = xs.get(i);
        }
        return a;
    }

    private static void check(String name, float[] x, UnaryOperator<FloatVector> vector, ScalarFn scalar,
                              DoubleUnaryOperator exact) {
        List<String> bad = new ArrayList<>();
        for (int i = 0; i < x.length; i += L) {
            float[] lanes = vector.apply(FloatVector.fromArray(FloatVector.SPECIES_PREFERRED, x, i)).toArray();
            for (int j = 0; j < L; j++) {
                float xi = x[i + j];
                float s = scalar.apply(xi);
                if (Float.floatToIntBits(s) != Float.floatToIntBits(lanes[j])) {
                    bad.add(name + "(" + xi + "): vector " + lanes[j] + ", scalar " + s);
                }
                float want = (float) exact.applyAsDouble(xi);
                boolean ok = Float.isNaN(want) ? Float.isNaN(s)
                        : Float.isInfinite(want) || want == 0f ? s == want || Math.abs(s - want) <= 2 * Math.ulp(want)
                        : Math.abs(s - want) <= 2 * Math.ulp(want);
                if (!ok) {
                    bad.add(name + "(" + xi + ") = " + s + ", exact " + want);
                }
            }
        }
        assertEquals(List.of(), bad.subList(0, Math.min(8, bad.size())));
    }

    /** The array kernels checked lane by lane: one vector in, one vector out. */
    private static FloatVector viaArray(FloatVector v, java.util.function.Consumer<float[]> kernel) {
        float[] a = v.toArray();
        kernel.accept(a);
        return FloatVector.fromArray(FloatVector.SPECIES_PREFERRED, a, 0);
    }

    @FunctionalInterface
    private interface ScalarFn {
        float apply(float x);
    }

    @Test
    void expIsAccurateAndLaneEqualsScalar() {
        float[] x = inputs(-110f, 89f, Float.NaN, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, 0f, -0f,
                88.72f, 88.73f, -87.5f, -103.9f, -104f, 1e-8f, -1e-8f, 0.34657359f);
        check("exp", x, v -> viaArray(v, a -> VectorMath.expInPlace(a, 0, a.length, 0f)), VectorMath::exp, Math::exp);
        assertEquals(0f, VectorMath.exp(Float.NEGATIVE_INFINITY), "masked scores become exactly 0");
        float[] shifted = {1f, 2f, 3f, Float.NEGATIVE_INFINITY, 5f};   // tail only: shorter than a vector
        VectorMath.expInPlace(shifted, 1, 3, 2f);
        assertEquals(List.of(1f, 1f, VectorMath.exp(1f), 0f, 5f), List.of(shifted[0], shifted[1], shifted[2], shifted[3],
                shifted[4]));
        assertEquals(1f, VectorMath.exp(0f));
    }

    @Test
    void logIsAccurateAndLaneEqualsScalar() {
        float[] x = inputs(1e-30f, 1e30f, Float.NaN, -1f, 0f, Float.POSITIVE_INFINITY, Float.MIN_NORMAL, 1f,
                0.70710677f, 1.4142135f, 2f, 0.5f, Float.MAX_VALUE);
        check("log", x, VectorMath::log, VectorMath::log, Math::log);
        float[] near = inputs(0.3f, 3f);
        check("log", near, VectorMath::log, VectorMath::log, Math::log);
        assertEquals(0f, VectorMath.log(1f));
    }

    @Test
    void tanhIsAccurateAndLaneEqualsScalar() {
        float[] x = inputs(-12f, 12f, Float.NaN, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, 0f, 0.625f,
                -0.625f, 0.6249f, 1e-7f, 100f);
        check("tanh", x, v -> viaArray(v, a -> VectorMath.tanh(a, 0, a, 0, a.length)), VectorMath::tanh, Math::tanh);
        assertTrue(VectorMath.tanh(-0.1f) < 0f);
    }

    @Test
    void sumAddsTheLanesInAFixedTree() {
        float[] x = inputs(-1e4f, 1e4f);
        for (int i = 0; i < x.length; i += L) {
            // The tree written as plain loops: lane j plus lane j + half (wrapping), halving each time.
            float[] acc = java.util.Arrays.copyOfRange(x, i, i + L);
            for (int half = L / 2; half >= 1; half /= 2) {
                float[] next = new float[L];
                for (int j = 0; j < L; j++) {
                    next[j] = acc[j] + acc[(j + half) % L];
                }
                acc = next;
            }
            assertEquals(Float.floatToIntBits(acc[0]),
                    Float.floatToIntBits(VectorMath.sum(FloatVector.fromArray(FloatVector.SPECIES_PREFERRED, x, i))));
        }
    }
}
