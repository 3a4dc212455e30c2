package org.kmerl.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MathFunctionsTest {
    /** x, erf(x), erfc(x) from CPython's math module (C library erf). */
    private static final double[][] REFERENCE = {
        {-3.5, -0.9999992569016276, 1.9999992569016276},
        {-2.6, -0.9997639655834707, 1.9997639655834707},
        {-1.0, -0.8427007929497149, 1.842700792949715},
        {-0.3, -0.3286267594591274, 1.3286267594591274},
        {0.0, 0.0, 1.0},
        {0.1, 0.1124629160182849, 0.8875370839817152},
        {0.7, 0.6778011938374184, 0.32219880616258156},
        {2.4, 0.999311486103355, 0.0006885138966450789},
        {2.5, 0.999593047982555, 0.0004069520174449589},
        {3.2, 0.9999939742388483, 6.025761151762088e-06},
        {5.0, 0.9999999999984626, 1.5374597944280351e-12},
    };

    @Test
    void erfAndErfcMatchTheCLibrary() {
        for (double[] r : REFERENCE) {
            assertEquals(r[1], MathFunctions.erf(r[0]), 1e-15, "erf(" + r[0] + ")");
            assertEquals(r[2], MathFunctions.erfc(r[0]), Math.abs(r[2]) * 1e-11, "erfc(" + r[0] + ")");
        }
    }

    @Test
    void erfInvInvertsErf() {
        for (double y = -0.999999; y < 1; y += 0.0137) {
            double x = MathFunctions.erfInv(y);
            assertEquals(y, MathFunctions.erf(x), 1e-14, "erf(erfinv(" + y + "))");
        }
        assertTrue(Double.isInfinite(MathFunctions.erfInv(1)));
    }

    @Test
    void geluAndItsDerivativeAgreeWithFiniteDifferences() {
        for (float x = -6f; x <= 6f; x += 0.37f) {
            double exact = 0.5 * x * (1 + MathFunctions.erf(x / Math.sqrt(2)));
            assertEquals(exact, MathFunctions.gelu(x), 1e-7 + 1e-6 * Math.abs(exact), "gelu(" + x + ")");
            double h = 1e-4;
            double numeric = (0.5 * (x + h) * (1 + MathFunctions.erf((x + h) / Math.sqrt(2)))
                    - 0.5 * (x - h) * (1 + MathFunctions.erf((x - h) / Math.sqrt(2)))) / (2 * h);
            assertEquals(numeric, MathFunctions.geluDerivative(x), 1e-6, "gelu'(" + x + ")");
        }
    }

    @Test
    void sigmoidAndSoftplusAreStableAtTheExtremes() {
        assertEquals(1f, MathFunctions.sigmoid(100f));
        assertEquals(0f, MathFunctions.sigmoid(-200f));
        assertEquals(0.5f, MathFunctions.sigmoid(0f));
        assertEquals(1000.0, MathFunctions.softplus(1000.0), 1e-9);
        assertEquals(Math.exp(-800.0), MathFunctions.softplus(-800.0), 1e-300);
        assertEquals(Math.log(2), MathFunctions.softplus(0), 1e-15);
    }
}
