package org.kmerl.kernels.parity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;
import org.kmerl.kernels.CudaBackend;
import org.kmerl.kernels.ops.CudaMatmul;
import org.kmerl.tensor.MatmulOps;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.testing.TestData;

/** Every GEMM variant against the CPU on odd sizes, transposed and strided operands, broadcast batches, bias. */
class MatmulParityTest {
    private static final int[][] SIZES = {
        {1, 1, 1}, {3, 5, 7}, {17, 33, 9}, {64, 64, 64}, {129, 130, 131}, {128, 256, 64}, {200, 36, 300}, {5, 260, 12},
    };

    private static double atol(int k) {
        return 2e-5 * Math.sqrt(k);
    }

    /**
     * The TF32 variants (v9, v12, v13: the registry's flag) round their inputs to 10 mantissa bits: errors of
     * about 2^-11 per input, growing with √k. {@code variant} is "gemm=vN".
     */
    private static boolean tf32(String variant) {
        return Gpu.backend().registry().variants("gemm").stream()
                .anyMatch(v -> v.tf32() && variant.equals("gemm=" + v.name()));
    }

    private static double atol(String variant, int k) {
        return tf32(variant) ? 2e-3 * Math.sqrt(k) : atol(k);
    }

    private static double rtol(String variant) {
        return tf32(variant) ? 2e-3 : 1e-5;
    }

    @Test
    void plainTransposedAndStrided() {
        Gpu.forEachVariant("gemm", variant -> {
            TestData data = new TestData(5);
            for (int[] s : SIZES) {
                int m = s[0], n = s[1], k = s[2];
                Tensor a = data.normal(m, k);
                Tensor b = data.normal(k, n);
                Tensor expected = MatmulOps.matmul(a, b);
                String what = variant + " " + m + "x" + n + "x" + k;
                Gpu.assertClose(expected, MatmulOps.matmul(Gpu.on(a), Gpu.on(b)), rtol(variant), atol(variant, k), what);
                Tensor aT = Gpu.on(a.t().contiguous()).t();   // a transposed view: column-major A
                Tensor bT = Gpu.on(b.t().contiguous()).t();
                Gpu.assertClose(expected, MatmulOps.matmul(aT, bT), rtol(variant), atol(variant, k), what + " transposed");
                Gpu.assertClose(expected, MatmulOps.matmul(Gpu.strided(Gpu.on(a)), Gpu.on(b)), rtol(variant),
                        atol(variant, k), what + " strided A");
                Tensor bias = data.normal(n);
                Gpu.assertClose(MatmulOps.addmm(bias, a, b), MatmulOps.addmm(Gpu.on(bias), Gpu.on(a), Gpu.on(b)),
                        rtol(variant), atol(variant, k), what + " addmm");
            }
        });
    }

    @Test
    void batchedAndBroadcast() {
        Gpu.forEachVariant("gemm", variant -> {
            TestData data = new TestData(6);
            Tensor a = data.normal(2, 3, 33, 20);
            Tensor b = data.normal(2, 3, 20, 17);
            Gpu.assertClose(MatmulOps.matmul(a, b), MatmulOps.matmul(Gpu.on(a), Gpu.on(b)), rtol(variant), atol(variant, 20),
                    variant + " batched");
            Tensor shared = data.normal(20, 132);   // broadcast over the batch (stride 0)
            Gpu.assertClose(MatmulOps.matmul(a, shared), MatmulOps.matmul(Gpu.on(a), Gpu.on(shared)), rtol(variant),
                    atol(variant, 20), variant + " broadcast B");
            Tensor heads = data.normal(2, 4, 9, 16);   // attention-style: a permuted batch of matrices
            Tensor keys = data.normal(2, 4, 11, 16);
            Gpu.assertClose(MatmulOps.matmul(heads, keys.transpose(2, 3)),
                    MatmulOps.matmul(Gpu.permuted(Gpu.on(heads)), Gpu.on(keys).transpose(2, 3)), rtol(variant),
                    atol(variant, 16), variant + " permuted batch, transposed B");
        });
    }

    /**
     * v6, v8, v10 and v11 sum each output in v7's order, so they return v7's bits, and so do the default (v10)
     * and the tuned default path (KMERL_GEMM_TUNE, here its system property), whichever it picks: plain,
     * transposed and batched operands, whole and ragged tiles.
     */
    @Test
    void interchangeableVariantsAndTheTunedPathGiveV7sBits() throws Exception {
        TestData data = new TestData(9);
        Tensor a = Gpu.on(data.normal(3, 200, 72));
        Tensor b = Gpu.on(data.normal(3, 72, 132));
        Tensor aT = Gpu.on(data.normal(3, 72, 200)).transpose(1, 2);
        Tensor bT = Gpu.on(data.normal(3, 132, 72)).transpose(1, 2);
        Tensor[][] cases = {{a, b}, {aT, b}, {a, bT}, {aT, bT}};
        for (Tensor[] c : cases) {
            float[] v7 = sameBits("v7", new String[] {"v6", "v8", "v10", "v11"}, c[0], c[1]);
            if (!java.util.Arrays.equals(v7, MatmulOps.matmul(c[0], c[1]).toFloatArray())) {
                continue;   // the default here is not v10 (cuBLAS loads, or KMERL_TF32=1): nothing is tuned
            }
            System.setProperty("kmerl.gemm.tune", "true");
            try {
                assertArrayEquals(v7, MatmulOps.matmul(c[0], c[1]).toFloatArray(), "tuned, first call (timed)");
                assertArrayEquals(v7, MatmulOps.matmul(c[0], c[1]).toFloatArray(), "tuned, decided");
            } finally {
                System.clearProperty("kmerl.gemm.tune");
            }
        }
    }

    /** v12 and v13 issue v9's mma instructions in v9's order: the same bits, whichever KMERL_TF32=1 ends up running. */
    @Test
    void tf32VariantsGiveV9sBits() throws Exception {
        TestData data = new TestData(10);
        Tensor a = Gpu.on(data.normal(2, 150, 72));
        Tensor b = Gpu.on(data.normal(2, 72, 140));
        Tensor bT = Gpu.on(data.normal(2, 140, 72)).transpose(1, 2);
        for (Tensor right : new Tensor[] {b, bT}) {
            sameBits("v9", new String[] {"v12", "v13"}, a, right);
        }
    }

    /** a·b under {@code reference}, after asserting that each of {@code others} returns exactly its bits. */
    private static float[] sameBits(String reference, String[] others, Tensor a, Tensor b) throws Exception {
        CudaBackend backend = Gpu.backend();
        float[] expected;
        try (AutoCloseable forced = backend.registry().force("gemm", reference)) {
            expected = MatmulOps.matmul(a, b).toFloatArray();
        }
        for (String v : others) {
            try (AutoCloseable forced = backend.registry().force("gemm", v)) {
                assertArrayEquals(expected, MatmulOps.matmul(a, b).toFloatArray(), v + " against " + reference);
            }
        }
        return expected;
    }

    /**
     * out += a·b through every variant's epilogue (and, unforced, through split-K's sum for the long-K shape),
     * on an output that already holds values.
     */
    @Test
    void accumulateIntoTheOutput() {
        CudaMatmul matmul = (CudaMatmul) Gpu.backend().matmul();
        TestData data = new TestData(8);
        java.util.function.BiConsumer<String, int[]> check = (what, s) -> {   // what starts with the variant
            int batch = s[0], m = s[1], n = s[2], k = s[3];
            Tensor a = data.normal(batch, m, k);
            Tensor b = data.normal(batch, k, n);
            Tensor before = data.normal(batch, m, n);
            Tensor out = Gpu.on(before);
            matmul.gemmAccumulate(Gpu.on(a), Gpu.on(b.transpose(1, 2).contiguous()).transpose(1, 2), out);
            Gpu.assertClose(before.add(MatmulOps.matmul(a, b)), out, rtol(what.split(" ")[0]), atol(what.split(" ")[0], k),
                    what + " " + java.util.Arrays.toString(s));
        };
        Gpu.forEachVariant("gemm", variant -> {
            for (int[] s : new int[][] {{1, 3, 5, 7}, {2, 33, 20, 17}, {3, 64, 36, 64}, {1, 129, 130, 131}}) {
                check.accept(variant + " accumulate", s);
            }
        });
        check.accept("split-K accumulate", new int[] {1, 96, 160, 4096});
    }

    /**
     * Products with few output tiles and a long K take the split-K path when no variant is forced: the
     * weight-gradient shape (column-major A), a K that leaves a shorter last chunk, a batch, a bias, and
     * a product split only to fill the last wave.
     */
    @Test
    void splitKOnTheDefaultPath() {
        Gpu.backend();
        TestData data = new TestData(7);
        for (int[] s : new int[][] {{96, 160, 4096}, {128, 36, 2999}, {5, 260, 1030}}) {
            int m = s[0], n = s[1], k = s[2];
            Tensor x = data.normal(k, m);   // [tokens, in]: A = xᵀ, column-major
            Tensor dy = data.normal(k, n);
            String what = "split-K " + m + "x" + n + "x" + k;
            Gpu.assertClose(MatmulOps.matmul(x.t(), dy), MatmulOps.matmul(Gpu.on(x).t(), Gpu.on(dy)), 1e-5, atol(k), what);
            Tensor bias = data.normal(n);
            Gpu.assertClose(MatmulOps.addmm(bias, x.t(), dy), MatmulOps.addmm(Gpu.on(bias), Gpu.on(x).t(), Gpu.on(dy)),
                    1e-5, atol(k), what + " addmm");
        }
        Tensor wide = data.normal(2304, 600);   // 180 tiles: on 132 SMs split in two to fill the waves
        Tensor tall = data.normal(600, 1280);
        Gpu.assertClose(MatmulOps.matmul(wide, tall), MatmulOps.matmul(Gpu.on(wide), Gpu.on(tall)), 1e-5, atol(600),
                "split-K for wave fill");
        Tensor a = data.normal(3, 40, 1500);
        Tensor b = data.normal(3, 1500, 24);
        Gpu.assertClose(MatmulOps.matmul(a, b), MatmulOps.matmul(Gpu.on(a), Gpu.on(b)), 1e-5, atol(1500), "split-K batched");
    }
}
