package org.kmerl.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Row primitives shared by the Vector API kernels. They take arrays and return scalars, so no vector
 * crosses a method boundary (see docs/kernels/cpu-vector.md on why that matters).
 */
final class VectorRows {
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
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector e = VectorMath.exp(FloatVector.fromArray(S, x, at + i).sub(shift));
            e.intoArray(out, outAt + i);
            acc = acc.add(e);
        }
        double r = VectorMath.sum(acc);
        for (; i < n; i++) {
            float e = VectorMath.exp(x[at + i] - shift);
            out[outAt + i] = e;
            r += e;
        }
        return r;
    }

    /** log Σ exp(x) over n values, shifted by their maximum. */
    static float logSumExp(float[] x, int at, int n) {
        float max = max(x, at, n);
        FloatVector sum = FloatVector.zero(S);
        int j = 0;
        for (; j <= n - L; j += L) {
            sum = sum.add(VectorMath.exp(FloatVector.fromArray(S, x, at + j).sub(max)));
        }
        double total = VectorMath.sum(sum);
        for (; j < n; j++) {
            total += VectorMath.exp(x[at + j] - max);
        }
        return max + (float) Math.log(total);
    }
}
