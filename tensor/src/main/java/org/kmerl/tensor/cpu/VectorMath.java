package org.kmerl.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vectorised special functions for the Vector API kernels. The scalar definitions in
 * {@link org.kmerl.tensor.MathFunctions} are the reference; these agree with them to about 3e-7
 * relative (see VectorVariantTest).
 */
final class VectorMath {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final float INV_SQRT_2 = (float) (1.0 / Math.sqrt(2.0));
    private static final float INV_SQRT_2PI = (float) (1.0 / Math.sqrt(2.0 * Math.PI));
    private static final FloatVector ONE = FloatVector.broadcast(S, 1f);

    private VectorMath() {
    }

    /**
     * erfc(|z|) for z >= 0 with relative error below 1.2e-7 (Numerical Recipes' Chebyshev fit
     * "erfcc": t = 1/(1 + z/2), erfc = t·exp(-z² + P(t))).
     */
    static FloatVector erfcPositive(FloatVector z) {
        FloatVector t = ONE.div(z.fma(0.5f, 1f));
        FloatVector p = t.fma(0.17087277f, -0.82215223f);
        p = p.mul(t).add(1.48851587f);
        p = p.mul(t).add(-1.13520398f);
        p = p.mul(t).add(0.27886807f);
        p = p.mul(t).add(-0.18628806f);
        p = p.mul(t).add(0.09678418f);
        p = p.mul(t).add(0.37409196f);
        p = p.mul(t).add(1.00002368f);
        p = p.mul(t).add(-1.26551223f);
        FloatVector exponent = z.mul(z).neg().add(p);
        return t.mul(exponent.lanewise(VectorOperators.EXP));
    }

    /** The standard normal CDF Phi(x) = erfc(-x/sqrt 2)/2, accurate in the tails on both sides. */
    static FloatVector normalCdf(FloatVector x) {
        FloatVector z = x.mul(INV_SQRT_2);
        FloatVector tail = erfcPositive(z.abs()).mul(0.5f); // Phi(-|x|)
        return tail.blend(tail.neg().add(1f), x.compare(VectorOperators.GT, 0f));
    }

    /** GELU(x) = x·Phi(x). */
    static FloatVector gelu(FloatVector x) {
        return x.mul(normalCdf(x));
    }

    /** GELU'(x) = Phi(x) + x·phi(x). */
    static FloatVector geluDerivative(FloatVector x) {
        FloatVector pdf = x.mul(x).mul(-0.5f).lanewise(VectorOperators.EXP).mul(INV_SQRT_2PI);
        return normalCdf(x).add(x.mul(pdf));
    }

    /** 1/(1+exp(-x)), with exp's argument kept non-positive so it never overflows. */
    static FloatVector sigmoid(FloatVector x) {
        FloatVector e = x.abs().neg().lanewise(VectorOperators.EXP); // exp(-|x|) in (0, 1]
        FloatVector positive = ONE.div(e.add(1f));                      // 1/(1+e^-x) for x >= 0
        FloatVector negative = e.mul(positive);                          // e^x/(1+e^x) for x < 0
        return negative.blend(positive, x.compare(VectorOperators.GE, 0f));
    }
}
