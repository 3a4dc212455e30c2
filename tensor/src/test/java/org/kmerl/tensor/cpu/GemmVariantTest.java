package org.kmerl.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.kmerl.tensor.testing.TensorAssert;

/** Every GEMM variant against the reference loop: odd sizes, all transpose combinations, offsets, accumulation. */
class GemmVariantTest {
    private static final int[] SIZES = {1, 2, 5, 7, 16, 33, 65, 127, 130, 257};

    @Test
    void allVariantsMatchTheReference() {
        assertTrue(CpuVariants.gemms().size() >= 2 || !VectorSupport.available(),
                "the Vector API variant loads when the module is present");
        Random random = new Random(3);
        for (CpuVariants.Variant<Gemm> variant : CpuVariants.gemms()) {
            for (int trial = 0; trial < 60; trial++) {
                int m = SIZES[random.nextInt(SIZES.length)];
                int n = SIZES[random.nextInt(SIZES.length)];
                int k = trial == 0 ? 300 : SIZES[random.nextInt(SIZES.length)]; // > KC once
                boolean transA = random.nextBoolean();
                boolean transB = random.nextBoolean();
                boolean accumulate = random.nextBoolean();
                int aOff = random.nextInt(3);
                int bOff = random.nextInt(3);
                int cOff = random.nextInt(3);
                int ldc = n + random.nextInt(3);
                float[] a = randoms(random, aOff + m * k);
                float[] b = randoms(random, bOff + k * n);
                float[] c0 = randoms(random, cOff + m * ldc);
                int sam = transA ? 1 : k;
                int sak = transA ? m : 1;
                int sbk = transB ? 1 : n;
                int sbn = transB ? k : 1;
                float[] expected = c0.clone();
                Gemm.REFERENCE.multiply(m, n, k, a, aOff, sam, sak, b, bOff, sbk, sbn, expected, cOff, ldc, accumulate);
                float[] actual = c0.clone();
                variant.impl().multiply(m, n, k, a, aOff, sam, sak, b, bOff, sbk, sbn, actual, cOff, ldc, accumulate);
                TensorAssert.assertClose(expected, actual, 1e-5, 1e-5, variant.name() + " gemm m=" + m + " n=" + n + " k="
                        + k + " transA=" + transA + " transB=" + transB + " accumulate=" + accumulate);
            }
        }
    }

    private static float[] randoms(Random r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = r.nextFloat() * 2 - 1;
        }
        return x;
    }
}
