package org.kmerl.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Row primitives shared by the Vector API kernels. They take arrays and return scalars, so no vector
 * crosses a method boundary (see docs/kernels/cpu-vector.md on why that matters).
 */
final class VectorRows {
    private static final Scratch SCRATCH = new Scratch(1);
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private VectorRows() {
    }

    static float dot(float[] a, int ao, float[] b, int bo, int n) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (; i <= n - L; i += L) {
            acc = FloatVector.fromArray(S, a, ao + i).fma(FloatVector.fromArray(S, b, bo + i), acc);
        }
        float r = VectorMath.sum(acc);
        for (; i < n; i++) {
            r += a[ao + i] * b[bo + i];
        }
        return r;
    }

    static float max(float[] x, int at, int n) {
        FloatVector m = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        int i = 0;
        for (; i <= n - L; i += L) {
            m = m.max(FloatVector.fromArray(S, x, at + i));
        }
        float r = m.reduceLanes(VectorOperators.MAX);
        for (; i < n; i++) {
            r = Math.max(r, x[at + i]);
        }
        return r;
    }

    /** Sum of n values, lanes combined in double. */
    static double sum(float[] x, int at, int n) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (; i <= n - L; i += L) {
            acc = acc.add(FloatVector.fromArray(S, x, at + i));
        }
        double r = VectorMath.sum(acc);
        for (; i < n; i++) {
            r += x[at + i];
        }
        return r;
    }

    /** x[i] *= factor over n values. */
    static void scale(float[] x, int at, int n, float factor) {
        int j = 0;
        for (; j <= n - L; j += L) {
            FloatVector.fromArray(S, x, at + j).mul(factor).intoArray(x, at + j);
        }
        for (; j < n; j++) {
            x[at + j] *= factor;
        }
    }

    /** out[i] = exp(x[i] - shift) over n values (out may be x); returns the sum of the written values. */
    static double expShifted(float[] x, int at, int n, float shift, float[] out, int outAt) {
        if (x != out || at != outAt) {
            System.arraycopy(x, at, out, outAt, n);
        }
        VectorMath.expInPlace(out, outAt, n, shift);
        return sum(out, outAt, n);
    }

    /** out[i] = a[i] - b[i] over n values. */
    static void subtract(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
        int j = 0;
        for (; j <= n - L; j += L) {
            FloatVector.fromArray(S, a, ao + j).sub(FloatVector.fromArray(S, b, bo + j)).intoArray(out, oo + j);
        }
        for (; j < n; j++) {
            out[oo + j] = a[ao + j] - b[bo + j];
        }
    }

    /** out[i] = a[i] + b[i] over n values. */
    static void add(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
        int j = 0;
        for (; j <= n - L; j += L) {
            FloatVector.fromArray(S, a, ao + j).add(FloatVector.fromArray(S, b, bo + j)).intoArray(out, oo + j);
        }
        for (; j < n; j++) {
            out[oo + j] = a[ao + j] + b[bo + j];
        }
    }

    /** out[i] = max(a[i], b[i]) over n values. */
    static void maximum(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
        int j = 0;
        for (; j <= n - L; j += L) {
            FloatVector.fromArray(S, a, ao + j).max(FloatVector.fromArray(S, b, bo + j)).intoArray(out, oo + j);
        }
        for (; j < n; j++) {
            out[oo + j] = Math.max(a[ao + j], b[bo + j]);
        }
    }

    /** out[i] = a[i] · b[i] over n values. */
    static void multiply(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
        int j = 0;
        for (; j <= n - L; j += L) {
            FloatVector.fromArray(S, a, ao + j).mul(FloatVector.fromArray(S, b, bo + j)).intoArray(out, oo + j);
        }
        for (; j < n; j++) {
            out[oo + j] = a[ao + j] * b[bo + j];
        }
    }

    /** log Σ exp(x) over n values, shifted by their maximum (the exponentials staged in a scratch row). */
    static float logSumExp(float[] x, int at, int n) {
        float max = max(x, at, n);
        float[] e = SCRATCH.get(0, n);
        System.arraycopy(x, at, e, 0, n);
        VectorMath.expInPlace(e, 0, n, max);
        return max + (float) Math.log(sum(e, 0, n));
    }
}
