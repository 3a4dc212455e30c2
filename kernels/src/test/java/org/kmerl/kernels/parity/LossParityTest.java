package org.kmerl.kernels.parity;

import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.kmerl.tensor.LossOps;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.backend.LossReduction;
import org.kmerl.tensor.testing.TestData;

/** Cross entropy (smoothing, ignore_index), BCE with logits (pos_weight) and the CLIP loss, both reductions. */
class LossParityTest {

    @Test
    void crossEntropy() {
        Gpu.backend();
        TestData data = new TestData(14);
        for (int[] nc : new int[][] {{1, 1}, {7, 5}, {64, 1000}, {300, 3}}) {
            int n = nc[0], c = nc[1];
            Tensor logits = data.normal(n, c).mul(3f);
            int[] t = new int[n];
            for (int i = 0; i < n; i++) {
                t[i] = i % 5 == 4 ? -100 : data.random().nextInt(c);
            }
            if (n == 1) {
                t[0] = 0;
            }
            Tensor targets = Tensor.ofInts(t, n);
            for (LossReduction r : LossReduction.values()) {
                for (float eps : new float[] {0f, 0.1f}) {
                    String what = n + "x" + c + " " + r + " eps " + eps;
                    LossOps.Result e = LossOps.crossEntropy(logits, targets, eps, -100, r);
                    LossOps.Result g = LossOps.crossEntropy(Gpu.on(logits), Gpu.on(targets), eps, -100, r);
                    Gpu.assertClose(e.loss(), g.loss(), 1e-5, 1e-6, what + " loss");
                    Gpu.assertClose(e.lseRows(), g.lseRows(), 1e-5, 1e-6, what + " lse");
                    Tensor gl = Tensor.scalar(0.7f);
                    Gpu.assertClose(LossOps.crossEntropyBackward(logits, targets, eps, -100, r, e.lseRows(), gl),
                            LossOps.crossEntropyBackward(Gpu.on(logits), Gpu.on(targets), eps, -100, r, g.lseRows(), Gpu.on(gl)),
                            1e-5, 1e-7, what + " grad");
                }
            }
        }
        Tensor bad = Tensor.ofInts(new int[] {0, 9}, 2);
        assertThrows(IndexOutOfBoundsException.class,
                () -> LossOps.crossEntropy(Gpu.on(data.normal(2, 3)), Gpu.on(bad), 0f, -100, LossReduction.MEAN));
    }

    @Test
    void bceWithLogits() {
        Gpu.backend();
        TestData data = new TestData(15);
        for (int[] shape : new int[][] {{1}, {7, 5}, {33, 277}}) {
            Tensor x = data.normal(shape).mul(4f);
            Tensor t = data.uniform(0, 1, shape).gt(0.7f);
            Tensor pw = data.uniform(0.5f, 3f, shape[shape.length - 1]);
            for (LossReduction r : LossReduction.values()) {
                for (Tensor w : new Tensor[] {null, pw}) {
                    String what = java.util.Arrays.toString(shape) + " " + r + (w == null ? "" : " pos_weight");
                    Tensor gw = w == null ? null : Gpu.on(w);
                    Gpu.assertClose(LossOps.bceWithLogits(x, t, w, r), LossOps.bceWithLogits(Gpu.on(x), Gpu.on(t), gw, r),
                            1e-5, 1e-6, what);
                    Tensor gl = Tensor.scalar(1.3f);
                    Gpu.assertClose(LossOps.bceWithLogitsBackward(x, t, w, r, gl),
                            LossOps.bceWithLogitsBackward(Gpu.on(x), Gpu.on(t), gw, r, Gpu.on(gl)), 1e-5, 1e-7, what + " grad");
                }
            }
        }
    }

    /**
     * Every CLIP loss variant against the CPU: 3 columns (v2 falls back to v1: not a multiple of 4), a partial
     * 64-tile, ragged tiles (100 = 64 + 36) and whole ones.
     */
    @Test
    void clipLoss() {
        Gpu.backend();
        Gpu.forEachVariant("clip_loss", variant -> {
            TestData data = new TestData(16);
            for (int[] nd : new int[][] {{2, 3}, {17, 64}, {100, 32}, {128, 256}}) {
                Tensor a = data.normal(nd[0], nd[1]);
                Tensor b = data.normal(nd[0], nd[1]);
                Tensor tau = Tensor.scalar(0.07f);
                for (LossReduction r : LossReduction.values()) {
                    String what = variant + " " + nd[0] + "x" + nd[1] + " " + r;
                    LossOps.Result e = LossOps.clip(a, b, tau, r);
                    LossOps.Result g = LossOps.clip(Gpu.on(a), Gpu.on(b), Gpu.on(tau), r);
                    Gpu.assertClose(e.loss(), g.loss(), 1e-5, 1e-5, what + " loss");
                    Gpu.assertClose(e.logits(), g.logits(), 1e-5, 1e-4, what + " logits");
                    Gpu.assertClose(e.lseRows(), g.lseRows(), 1e-5, 1e-4, what + " lse rows");
                    Gpu.assertClose(e.lseCols(), g.lseCols(), 1e-5, 1e-4, what + " lse cols");
                    Tensor gl = Tensor.scalar(0.9f);
                    LossOps.ClipGrads eg = LossOps.clipBackward(a, b, tau, r, e, gl, true);
                    LossOps.ClipGrads gg = LossOps.clipBackward(Gpu.on(a), Gpu.on(b), Gpu.on(tau), r, g, Gpu.on(gl), true);
                    Gpu.assertClose(eg.a(), gg.a(), 1e-4, 1e-5, what + " grad a");
                    Gpu.assertClose(eg.b(), gg.b(), 1e-4, 1e-5, what + " grad b");
                    Gpu.assertClose(eg.temperature(), gg.temperature(), 1e-4, 1e-5, what + " grad temperature");
                }
            }
        });
    }
}
