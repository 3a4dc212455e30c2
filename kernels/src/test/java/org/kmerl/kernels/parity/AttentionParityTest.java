package org.kmerl.kernels.parity;

import org.junit.jupiter.api.Test;
import org.kmerl.tensor.AttentionOps;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.backend.AttentionConfig;
import org.kmerl.tensor.testing.TestData;

/** Attention forward and backward, both variants: odd lengths, key padding (a fully padded row too), dropout. */
class AttentionParityTest {
    // B, H, Tq, Tk, D, Dv
    private static final int[][] SHAPES = {
        {2, 3, 5, 7, 8, 8}, {1, 2, 33, 65, 64, 64}, {2, 1, 17, 17, 16, 16}, {1, 2, 70, 40, 128, 128}, {2, 2, 9, 11, 24, 40},
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
        AttentionOps.Result got = AttentionOps.forward(Gpu.on(q), Gpu.on(k), Gpu.on(v), gpuPad, config);
        Gpu.assertClose(expected.out(), got.out(), 1e-4, 1e-5, what + " out");
        Gpu.assertClose(expected.lse(), got.lse(), 1e-5, 1e-5, what + " lse");
        Tensor gradOut = data.normal(b, h, tq, dv);
        AttentionOps.Grads eg = AttentionOps.backward(q, k, v, pad, config, expected.out(), expected.lse(), gradOut);
        AttentionOps.Grads gg = AttentionOps.backward(Gpu.on(q), Gpu.on(k), Gpu.on(v), gpuPad, config, got.out(), got.lse(),
                Gpu.on(gradOut));
        Gpu.assertClose(eg.q(), gg.q(), 1e-4, 1e-4, what + " dq");
        Gpu.assertClose(eg.k(), gg.k(), 1e-4, 1e-4, what + " dk");
        Gpu.assertClose(eg.v(), gg.v(), 1e-4, 1e-4, what + " dv");
    }
}
