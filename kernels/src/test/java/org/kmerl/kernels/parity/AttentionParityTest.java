package org.kmerl.kernels.parity;

import org.junit.jupiter.api.Test;
import org.kmerl.tensor.AttentionOps;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.backend.AttentionConfig;
import org.kmerl.tensor.testing.TestData;

/**
 * Attention forward and backward, every variant: odd lengths, key padding (a fully padded row too), dropout.
 * v4 fuses dS into a product where the key count is a multiple of 4 (36, 40 below) and falls back elsewhere.
 */
class AttentionParityTest {
    // B, H, Tq, Tk, D, Dv
    private static final int[][] SHAPES = {
        {2, 3, 5, 7, 8, 8}, {1, 2, 33, 65, 64, 64}, {2, 1, 17, 17, 16, 16}, {1, 2, 70, 40, 128, 128}, {2, 2, 9, 11, 24, 40},
        {2, 3, 21, 36, 24, 16},
    };

    @Test
    void forwardAndBackward() {
        Gpu.forEachVariant("attention", variant -> {
            TestData data = new TestData(13);
            for (int[] s : SHAPES) {
                for (int mode = 0; mode < 3; mode++) {
                    check(data, variant, s, mode);
                }
            }
        });
    }

    /**
     * q, k and v as the model makes them: head-split views [B, H, T, D] of one packed [B, T, 3, H, D]
     * projection (v3-v5 read them through their strides, v5 also kᵀ and vᵀ; v1 and v2 get dense copies), with key
     * padding.
     */
    @Test
    void headSplitViews() {
        Gpu.forEachVariant("attention", variant -> {
            TestData data = new TestData(14);
            for (int t : new int[] {37, 36}) {   // 36 keys: v4's fused dS path
                int b = 2, h = 3, d = 16;
                Tensor packed = data.normal(b, t, 3, h, d);
                Tensor gradOut = data.normal(b, h, t, d);
                float[] p = new float[b * t];
                p[t - 1] = 1f;
                p[2 * t - 3] = 1f;
                Tensor pad = Tensor.of(p, b, t);
                AttentionConfig config = AttentionConfig.noDropout(0.25f);
                Tensor[] cpu = heads(packed);
                Tensor[] gpu = heads(Gpu.on(packed));
                String what = variant + " views T=" + t;
                AttentionOps.Result expected = AttentionOps.forward(cpu[0], cpu[1], cpu[2], pad, config);
                AttentionOps.Result got = AttentionOps.forward(gpu[0], gpu[1], gpu[2], Gpu.on(pad), config, true);
                Gpu.assertClose(expected.out(), got.out(), 1e-4, 1e-5, what + " out");
                AttentionOps.Grads eg = AttentionOps.backward(cpu[0], cpu[1], cpu[2], pad, config, expected.out(),
                        expected.lse(), gradOut);
                AttentionOps.Grads gg = AttentionOps.backward(gpu[0], gpu[1], gpu[2], Gpu.on(pad), config, got,
                        Gpu.on(gradOut));
                Gpu.assertClose(eg.q(), gg.q(), 1e-4, 1e-4, what + " dq");
                Gpu.assertClose(eg.k(), gg.k(), 1e-4, 1e-4, what + " dk");
                Gpu.assertClose(eg.v(), gg.v(), 1e-4, 1e-4, what + " dv");
            }
        });
    }

    private static Tensor[] heads(Tensor packed) {
        return new Tensor[] {packed.select(2, 0).permute(0, 2, 1, 3), packed.select(2, 1).permute(0, 2, 1, 3),
                packed.select(2, 2).permute(0, 2, 1, 3)};
    }

    /** mode 0: plain; 1: key padding, batch 0 fully padded when B > 1; 2: padding and dropout 0.2. */
    private static void check(TestData data, String variant, int[] s, int mode) {
        int b = s[0], h = s[1], tq = s[2], tk = s[3], d = s[4], dv = s[5];
        Tensor q = data.normal(b, h, tq, d);
        Tensor k = data.normal(b, h, tk, d);
        Tensor v = data.normal(b, h, tk, dv);
        Tensor pad = null;
        if (mode > 0) {
            float[] p = new float[b * tk];
            for (int i = 0; i < p.length; i++) {
                p[i] = (b > 1 && i < tk) || data.random().nextInt(4) == 0 ? 1f : 0f;
            }
            pad = Tensor.of(p, b, tk);
        }
        AttentionConfig config = new AttentionConfig((float) (1 / Math.sqrt(d)), mode == 2 ? 0.2f : 0f, 42L, 1000L);
        String what = variant + " " + java.util.Arrays.toString(s) + " mode " + mode;
        AttentionOps.Result expected = AttentionOps.forward(q, k, v, pad, config);
        Tensor gpuPad = pad == null ? null : Gpu.on(pad);
        Tensor gradOut = data.normal(b, h, tq, dv);
        AttentionOps.Grads eg = AttentionOps.backward(q, k, v, pad, config, expected.out(), expected.lse(), gradOut);
        // Both ways to the backward: recomputing the probabilities, and from those the forward kept for it
        // (v4 without dropout keeps them; the others ignore the request).
        for (boolean keep : new boolean[] {false, true}) {
            AttentionOps.Result got = AttentionOps.forward(Gpu.on(q), Gpu.on(k), Gpu.on(v), gpuPad, config, keep);
            String how = what + (keep ? " (probabilities kept)" : "");
            org.junit.jupiter.api.Assertions.assertEquals(keep && variant.endsWith("v4") && mode < 2,
                    got.probabilities() != null, how + ": kept probabilities");
            Gpu.assertClose(expected.out(), got.out(), 1e-4, 1e-5, how + " out");
            Gpu.assertClose(expected.lse(), got.lse(), 1e-5, 1e-5, how + " lse");
            AttentionOps.Grads gg = AttentionOps.backward(Gpu.on(q), Gpu.on(k), Gpu.on(v), gpuPad, config, got,
                    Gpu.on(gradOut));
            Gpu.assertClose(eg.q(), gg.q(), 1e-4, 1e-4, how + " dq");
            Gpu.assertClose(eg.k(), gg.k(), 1e-4, 1e-4, how + " dk");
            Gpu.assertClose(eg.v(), gg.v(), 1e-4, 1e-4, how + " dv");
        }
    }
}
