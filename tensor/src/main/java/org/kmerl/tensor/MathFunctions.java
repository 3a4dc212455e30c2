package org.kmerl.tensor;

/**
 * Scalar special functions that {@link java.lang.Math} lacks, in double precision so that the
 * float32 results are correctly rounded in practice. These are the reference definitions that every
 * backend's kernels are tested against.
 */
public final class MathFunctions {
    private static final double TWO_OVER_SQRT_PI = 2.0 / Math.sqrt(Math.PI);
    private static final double INV_SQRT_2 = 1.0 / Math.sqrt(2.0);
    private static final double INV_SQRT_2PI = 1.0 / Math.sqrt(2.0 * Math.PI);

    private MathFunctions() {
    }

    /** The error function. Taylor series near zero, the complementary continued fraction beyond. */
    public static double erf(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        double ax = Math.abs(x);
        if (ax < 2.5) {
            return erfSeries(x);
        }
        double r = 1.0 - erfcContinuedFraction(ax);
        return x < 0 ? -r : r;
    }

    /** The complementary error function 1 - erf(x), accurate where erf(x) is close to 1. */
    public static double erfc(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        if (x < 2.5) {
            return 1.0 - erf(x);
        }
        return erfcContinuedFraction(x);
    }

    // erf(x) = 2/sqrt(pi) * sum_n (-1)^n x^(2n+1) / (n! (2n+1)); terms peak near n = x^2, so for
    // |x| < 2.5 at most about 3 decimal digits are lost to cancellation.
    private static double erfSeries(double x) {
        double x2 = x * x;
        double term = x;
        double sum = x;
        for (int n = 1; n < 200; n++) {
            term *= -x2 / n;
            double add = term / (2 * n + 1);
            sum += add;
            if (Math.abs(add) < 1e-17 * Math.abs(sum)) {
                break;
            }
        }
        return TWO_OVER_SQRT_PI * sum;
    }

    // erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + ...))))),
    // evaluated with the modified Lentz method; converges fast for x >= 2.5.
    private static double erfcContinuedFraction(double x) {
        if (x > 27) {
            return 0.0;
        }
        final double tiny = 1e-300;
        double f = x;
        double c = x;
        double d = 0;
        for (int n = 1; n < 500; n++) {
            double an = n * 0.5;
            d = x + an * d;
            d = d == 0 ? tiny : d;
            c = x + an / c;
            c = c == 0 ? tiny : c;
            d = 1.0 / d;
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1.0) < 1e-16) {
                break;
            }
        }
        return Math.exp(-x * x) / (f * Math.sqrt(Math.PI));
    }

    /** Inverse error function on (-1, 1): a rational first guess refined by Newton steps on {@link #erf}. */
    public static double erfInv(double y) {
        if (y <= -1) {
            return y == -1 ? Double.NEGATIVE_INFINITY : Double.NaN;
        }
        if (y >= 1) {
            return y == 1 ? Double.POSITIVE_INFINITY : Double.NaN;
        }
        // M. Giles, "Approximating the erfinv function" (GPU Computing Gems, 2011), single precision.
        double w = -Math.log((1.0 - y) * (1.0 + y));
        double p;
        if (w < 5.0) {
            w -= 2.5;
            p = 2.81022636e-08;
            p = 3.43273939e-07 + p * w;
            p = -3.5233877e-06 + p * w;
            p = -4.39150654e-06 + p * w;
            p = 0.00021858087 + p * w;
            p = -0.00125372503 + p * w;
            p = -0.00417768164 + p * w;
            p = 0.246640727 + p * w;
            p = 1.50140941 + p * w;
        } else {
            w = Math.sqrt(w) - 3.0;
            p = -0.000200214257;
            p = 0.000100950558 + p * w;
            p = 0.00134934322 + p * w;
            p = -0.00367342844 + p * w;
            p = 0.00573950773 + p * w;
            p = -0.0076224613 + p * w;
            p = 0.00943887047 + p * w;
            p = 1.00167406 + p * w;
            p = 2.83297682 + p * w;
        }
        double x = p * y;
        for (int i = 0; i < 2; i++) {
            double err = erf(x) - y;
            x -= err / (TWO_OVER_SQRT_PI * Math.exp(-x * x));
        }
        return x;
    }

    /** Standard normal cumulative distribution function. */
    public static double normalCdf(double x) {
        return 0.5 * erfc(-x * INV_SQRT_2);
    }

    public static float sigmoid(float x) {
        // Written so that neither branch overflows exp.
        if (x >= 0) {
            return (float) (1.0 / (1.0 + Math.exp(-x)));
        }
        double e = Math.exp(x);
        return (float) (e / (1.0 + e));
    }

    /** log(1 + exp(x)) without overflow. */
    public static double softplus(double x) {
        return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
    }

    /** GELU, exact form: x * Phi(x) = x/2 * erfc(-x/sqrt 2). */
    public static float gelu(float x) {
        return (float) (x * normalCdf(x));
    }

    /** d/dx [x * Phi(x)] = Phi(x) + x * phi(x). */
    public static float geluDerivative(float x) {
        double xd = x;
        return (float) (normalCdf(xd) + xd * INV_SQRT_2PI * Math.exp(-0.5 * xd * xd));
    }
}
