package org.kmerl.tensor.testing;

import java.util.Arrays;
import org.kmerl.tensor.Tensor;

/** Tolerant tensor comparisons whose failure messages show the shapes and the first mismatches. */
public final class TensorAssert {
    private TensorAssert() {
    }

    /** |actual - expected| <= atol + rtol * |expected| for every element; NaNs must match NaNs. */
    public static void assertClose(float[] expected, Tensor actual, double rtol, double atol, String what) {
        assertClose(expected, actual.toFloatArray(), rtol, atol, what + " " + Arrays.toString(actual.shape()));
    }

    public static void assertClose(Tensor expected, Tensor actual, double rtol, double atol, String what) {
        if (!Arrays.equals(expected.shape(), actual.shape())) {
            throw new AssertionError(what + ": shape " + Arrays.toString(actual.shape()) + ", expected "
                    + Arrays.toString(expected.shape()));
        }
        assertClose(expected.toFloatArray(), actual.toFloatArray(), rtol, atol, what);
    }

    public static void assertClose(float[] expected, float[] actual, double rtol, double atol, String what) {
        if (expected.length != actual.length) {
            throw new AssertionError(what + ": " + actual.length + " values, expected " + expected.length);
        }
        StringBuilder bad = new StringBuilder();
        int count = 0;
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i];
            double a = actual[i];
            boolean ok = Double.isNaN(e) ? Double.isNaN(a)
                    : (e == a || Math.abs(a - e) <= atol + rtol * Math.abs(e));
            if (!ok) {
                worst = Math.max(worst, Math.abs(a - e));
                if (count++ < 5) {
                    bad.append("\n  [").append(i).append("] expected ").append(e).append(", got ").append(a);
                }
            }
        }
        if (count > 0) {
            throw new AssertionError(what + ": " + count + " of " + expected.length + " values differ (max abs diff "
                    + worst + ", rtol " + rtol + ", atol " + atol + ")" + bad);
        }
    }

    public static void assertBitwiseEqual(Tensor expected, Tensor actual, String what) {
        float[] e = expected.toFloatArray();
        float[] a = actual.toFloatArray();
        for (int i = 0; i < e.length; i++) {
            if (Float.floatToRawIntBits(e[i]) != Float.floatToRawIntBits(a[i])) {
                throw new AssertionError(what + ": element " + i + " is " + a[i] + ", expected bit-identical " + e[i]);
            }
        }
    }
}
