package org.kmerl.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kmerl.tensor.backend.AttentionConfig;
import org.kmerl.tensor.testing.TensorAssert;
import org.kmerl.tensor.testing.TestData;

/**
 * The fused attention kernels against attention composed from separate ops (matmul, masked
 * softmax, matmul), forward and backward, with padding masks and dropout.
 */
class AttentionTest {

    /** Materialised reference: returns {out, P (probabilities), keep (dropout scale per element)}. */
    private static Tensor[] reference(Tensor q, Tensor k, Tensor v, Tensor padding, AttentionConfig config) {
        Tensor s = q.matmul(k.transpose(-1, -2)).mul(config.scale());
        if (padding != null) {
            Tensor mask = padding.reshape(padding.dim(0), 1, 1, padding.dim(1));
            s = s.maskedFill(mask, Float.NEGATIVE_INFINITY);
        }
        Tensor p = s.softmax(-1);
        // Rows with every key padded: softmax gives NaN; the kernel defines them as zero.
        p = p.maskedFill(p.ne(p), 0f);
        int[] shape = p.shape();
        float[] keep = new float[p.numel()];
        for (int i = 0; i < keep.length; i++) {
            float u = config.dropout() == 0f ? 1f : Philox.uniform(config.seed(), config.offset() + i);
            keep[i] = u >= config.dropout() ? 1f / (1f - config.dropout()) : 0f;
        }
        Tensor keepT = Tensor.of(keep, shape);
        return new Tensor[] {p.mul(keepT).matmul(v), p, keepT};
    }

    private static void check(int b, int h, int tq, int tk, int d, int dv, boolean masked, float dropout, long seed) {
        TestData data = new TestData(seed);
        Tensor q = data.normal(b, h, tq, d);
        Tensor k = data.normal(b, h, tk, d);
        Tensor v = data.normal(b, h, tk, dv);
        Tensor padding = null;
        if (masked) {
            float[] m = new float[b * tk];
            for (int i = 0; i < m.length; i++) {
                m[i] = data.random().nextInt(3) == 0 ? 1f : 0f;
            }
            m[0] = 0f; // batch 0 keeps at least one key
            if (b > 1) {
                for (int j = 0; j < tk; j++) {
                    m[tk + j] = 1f; // batch 1: every key padded
                }
            }
            padding = Tensor.of(m, b, tk);
        }
        AttentionConfig config = new AttentionConfig((float) (1 / Math.sqrt(d)), dropout, 77L, 1000L);
        Tensor[] ref = reference(q, k, v, padding, config);
        String what = "attention B=" + b + " H=" + h + " Tq=" + tq + " Tk=" + tk + " D=" + d;
        AttentionOps.Result r = AttentionOps.forward(TestData.permuted(q), k, TestData.strided(v), padding, config);
        TensorAssert.assertClose(ref[0], r.out(), 1e-4, 1e-5, what + " forward");

        // Backward from the explicit formulas.
        Tensor gOut = data.normal(b, h, tq, dv);
        Tensor p = ref[1];
        Tensor keep = ref[2];
        Tensor pKept = p.mul(keep);
        Tensor dv2 = pKept.transpose(-1, -2).matmul(gOut);
        Tensor dpKept = gOut.matmul(v.transpose(-1, -2));
        Tensor dp = dpKept.mul(keep);
        Tensor ds = p.mul(dp.sub(dp.mul(p).sum(new int[] {-1}, true))).mul(config.scale());
        Tensor dq = ds.matmul(k);
        Tensor dk = ds.transpose(-1, -2).matmul(q);
        AttentionOps.Grads g = AttentionOps.backward(q, TestData.permuted(k), v, padding, config, r.out(), r.lse(),
                TestData.strided(gOut));
        TensorAssert.assertClose(dq, g.q(), 1e-3, 1e-4, what + " dq");
        TensorAssert.assertClose(dk, g.k(), 1e-3, 1e-4, what + " dk");
        TensorAssert.assertClose(dv2, g.v(), 1e-3, 1e-4, what + " dv");
    }

    @Test
    void matchesComposedAttentionOnOddShapes() {
        check(1, 1, 1, 1, 1, 1, false, 0f, 1);
        check(2, 3, 7, 5, 8, 8, false, 0f, 2);
        check(1, 2, 33, 17, 16, 4, false, 0f, 3);
        check(3, 1, 5, 9, 4, 6, false, 0f, 4);
    }

    @Test
    void paddedKeysAreIgnoredAndFullyPaddedRowsGiveZero() {
        check(3, 2, 6, 7, 8, 8, true, 0f, 5);
        check(2, 1, 1, 3, 2, 2, true, 0f, 6);
    }

    @Test
    void dropoutMaskIsRecomputedIdenticallyInBackward() {
        check(2, 2, 5, 6, 4, 4, false, 0.3f, 7);
        check(3, 2, 4, 9, 8, 3, true, 0.5f, 8);
    }

    @Test
    void perturbingAPaddedKeyChangesNothing() {
        TestData data = new TestData(9);
        Tensor q = data.normal(1, 2, 3, 4);
        Tensor k = data.normal(1, 2, 5, 4);
        Tensor v = data.normal(1, 2, 5, 4);
        Tensor padding = Tensor.of(new float[] {0, 0, 1, 0, 1}, 1, 5);
        AttentionConfig config = AttentionConfig.noDropout(0.5f);
        Tensor before = AttentionOps.forward(q, k, v, padding, config).out();
        k.narrow(2, 2, 1).fill(1000f);
        v.narrow(2, 4, 1).fill(-1000f);
        Tensor after = AttentionOps.forward(q, k, v, padding, config).out();
        TensorAssert.assertBitwiseEqual(before, after, "padded keys must not influence the output");
    }

    @Test
    void logSumExpIsSavedPerQueryRow() {
        TestData data = new TestData(10);
        Tensor q = data.normal(2, 1, 3, 4);
        Tensor k = data.normal(2, 1, 6, 4);
        AttentionOps.Result r = AttentionOps.forward(q, k, data.normal(2, 1, 6, 2), null, AttentionConfig.noDropout(1f));
        Tensor s = q.matmul(k.transpose(-1, -2));
        Tensor lse = s.sub(s.max(new int[] {-1}, true)).exp().sum(new int[] {-1}, true).log()
                .add(s.max(new int[] {-1}, true)).reshape(2, 1, 3);
        TensorAssert.assertClose(lse, r.lse(), 1e-5, 1e-5, "lse");
    }

    @Test
    void shapeMismatchesAreReported() {
        Tensor q = Tensor.zeros(2, 2, 3, 4);
        ShapeException e = assertThrows(ShapeException.class,
                () -> AttentionOps.forward(q, Tensor.zeros(2, 2, 5, 3), Tensor.zeros(2, 2, 5, 4), null,
                        AttentionConfig.noDropout(1f)));
        assertTrue(e.getMessage().contains("key shape [2, 2, 5, 3]"), e.getMessage());
        ShapeException m = assertThrows(ShapeException.class,
                () -> AttentionOps.forward(q, q, q, Tensor.zeros(2, 4), AttentionConfig.noDropout(1f)));
        assertTrue(m.getMessage().contains("key padding mask"), m.getMessage());
        assertEquals("attention dropout must be in [0, 1), got 1.0",
                assertThrows(IllegalArgumentException.class, () -> new AttentionConfig(1f, 1f, 0, 0)).getMessage());
    }
}
