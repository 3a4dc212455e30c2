package org.kmerl.tensor;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kmerl.tensor.backend.LossReduction;
import org.kmerl.tensor.testing.TensorAssert;
import org.kmerl.tensor.testing.TestData;

/** Fused losses against the same losses composed from elementwise ops and reductions. */
class LossTest {

    @Test
    void crossEntropyWithSmoothingAndIgnoredRows() {
        TestData data = new TestData(41);
        int n = 9;
        int c = 7;
        Tensor logits = data.uniform(-4, 4, n, c);
        int[] t = new int[n];
        for (int i = 0; i < n; i++) {
            t[i] = data.random().nextInt(c);
        }
        t[3] = -100;
        Tensor targets = Tensor.ofInts(t);
        for (float eps : new float[] {0f, 0.1f}) {
            for (LossReduction red : LossReduction.values()) {
                // Composed: -(1-eps) * logp[t] - eps/C * sum logp, over the rows that count.
                Tensor logp = logits.logSoftmax(1);
                Tensor onehot = Tensor.zeros(n, c);
                Tensor rowMask = Tensor.zeros(n, 1);
                for (int i = 0; i < n; i++) {
                    if (t[i] != -100) {
                        onehot.narrow(0, i, 1).narrow(1, t[i], 1).fill(1f);
                        rowMask.narrow(0, i, 1).fill(1f);
                    }
                }
                Tensor q = onehot.mul(1 - eps).add(eps / c).mul(rowMask);
                Tensor perRow = logp.mul(q).sum(new int[] {1}, false).neg();
                Tensor expected = red == LossReduction.MEAN ? perRow.sum().div(n - 1) : perRow.sum();
                LossOps.Result r = LossOps.crossEntropy(TestData.permuted(logits), targets, eps, -100, red);
                TensorAssert.assertClose(expected, r.loss(), 1e-5, 1e-6, "cross entropy eps=" + eps + " " + red);
                // Gradient: (softmax - q) * rowMask * g / count.
                Tensor g = Tensor.scalar(0.7f);
                Tensor grad = LossOps.crossEntropyBackward(logits, targets, eps, -100, red, r.lseRows(), g);
                Tensor expectedGrad = logits.softmax(1).mul(rowMask).sub(q).mul(0.7f / (red == LossReduction.MEAN ? n - 1 : 1));
                TensorAssert.assertClose(expectedGrad, grad, 1e-5, 1e-6, "cross entropy gradient");
            }
        }
    }

    @Test
    void crossEntropyRejectsTargetsOutOfRange() {
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                () -> LossOps.crossEntropy(Tensor.zeros(2, 3), Tensor.ofInts(new int[] {0, 3}), 0f, -100,
                        LossReduction.MEAN));
        assertTrue(e.getMessage().contains("target 3") && e.getMessage().contains("3 classes"), e.getMessage());
        assertThrows(ShapeException.class, () -> LossOps.crossEntropy(Tensor.zeros(2, 3), Tensor.ofInts(new int[] {0}),
                0f, -100, LossReduction.MEAN));
    }

    @Test
    void bceWithLogitsIsStableAndWeighted() {
        TestData data = new TestData(42);
        Tensor x = data.uniform(-30, 30, 5, 4);
        Tensor t = data.uniform(0, 1, 5, 4).gt(0.5f);
        Tensor pw = Tensor.of(new float[] {1f, 2f, 0.5f, 3f});
        // softplus(z) = max(z, 0) + log1p(exp(-|z|))
        Tensor spNeg = x.neg().maximum(Tensor.scalar(0f)).add(x.abs().neg().exp().add(1f).log());
        Tensor spPos = x.maximum(Tensor.scalar(0f)).add(x.abs().neg().exp().add(1f).log());
        Tensor perElement = pw.mul(t).mul(spNeg).add(t.neg().add(1f).mul(spPos));
        Tensor loss = LossOps.bceWithLogits(TestData.strided(x), t, pw, LossReduction.MEAN);
        TensorAssert.assertClose(perElement.mean(), loss, 1e-5, 1e-6, "bce");
        TensorAssert.assertClose(perElement.sum(), LossOps.bceWithLogits(x, t, pw, LossReduction.SUM), 1e-5, 1e-5,
                "bce sum");
        Tensor grad = LossOps.bceWithLogitsBackward(x, t, pw, LossReduction.MEAN, Tensor.scalar(2f));
        Tensor sig = x.sigmoid();
        Tensor expected = sig.mul(pw.mul(t).add(t.neg().add(1f))).sub(pw.mul(t)).mul(2f / 20);
        TensorAssert.assertClose(expected, grad, 1e-5, 1e-6, "bce gradient");
    }

    @Test
    void clipLossBothDirectionsAndTemperatureGradient() {
        TestData data = new TestData(43);
        int n = 6;
        Tensor a = data.normal(n, 5);
        Tensor b = data.normal(n, 5);
        Tensor tau = Tensor.scalar(0.07f);
        Tensor an = a.div(a.square().sum(new int[] {1}, true).sqrt());
        Tensor bn = b.div(b.square().sum(new int[] {1}, true).sqrt());
        Tensor logits = an.matmul(bn.t()).div(0.07f);
        Tensor diag = Tensor.zeros(n);
        for (int i = 0; i < n; i++) {
            diag.narrow(0, i, 1).fill(logits.get(i, i));
        }
        Tensor rows = logits.logSoftmax(1);
        Tensor cols = logits.logSoftmax(0);
        float rowLoss = 0;
        float colLoss = 0;
        for (int i = 0; i < n; i++) {
            rowLoss -= rows.get(i, i) / n;
            colLoss -= cols.get(i, i) / n;
        }
        LossOps.Result mean = LossOps.clip(a, TestData.permuted(b), tau, LossReduction.MEAN);
        TensorAssert.assertClose(new float[] {(rowLoss + colLoss) / 2}, mean.loss(), 1e-5, 1e-6, "clip mean");
        LossOps.Result sum = LossOps.clip(a, b, tau, LossReduction.SUM);
        TensorAssert.assertClose(new float[] {rowLoss + colLoss}, sum.loss(), 1e-5, 1e-6, "clip sum");

        // Temperature gradient by central differences on the loss itself (double-checked in autograd gradcheck).
        LossOps.ClipGrads g = LossOps.clipBackward(a, TestData.permuted(b), tau, LossReduction.MEAN, mean,
                Tensor.scalar(1f), true);
        float h = 1e-4f;
        float up = LossOps.clip(a, b, Tensor.scalar(0.07f + h), LossReduction.MEAN).loss().item();
        float down = LossOps.clip(a, b, Tensor.scalar(0.07f - h), LossReduction.MEAN).loss().item();
        TensorAssert.assertClose(new float[] {(up - down) / (2 * h)}, g.temperature(), 2e-2, 1e-2, "d loss / d tau");
        // Scaling an embedding does not change the loss: its gradient is orthogonal to it.
        TensorAssert.assertClose(new float[n], g.a().mul(a).sum(new int[] {1}, false), 0, 1e-5, "a . dL/da");
    }
}
