package org.kmerl.tensor;

import org.junit.jupiter.api.Test;
import org.kmerl.tensor.testing.Naive;
import org.kmerl.tensor.testing.TensorAssert;
import org.kmerl.tensor.testing.TestData;

/** Softmax along any axis and layer norm (forward and backward) against plain double loops. */
class NormalizationTest {

    @Test
    void softmaxAndLogSoftmaxAlongEveryAxis() {
        TestData data = new TestData(31);
        for (int trial = 0; trial < 20; trial++) {
            int[] shape = data.shape(1 + trial % 3);
            int axis = data.random().nextInt(shape.length);
            Tensor x = data.uniform(-8, 8, shape);
            float[] sm = new float[x.numel()];
            float[] lsm = new float[x.numel()];
            Naive.forEachIndex(shape, i -> {
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < shape[axis]; j++) {
                    int[] k = i.clone();
                    k[axis] = j;
                    max = Math.max(max, x.get(k));
                }
                double sum = 0;
                for (int j = 0; j < shape[axis]; j++) {
                    int[] k = i.clone();
                    k[axis] = j;
                    sum += Math.exp(x.get(k) - max);
                }
                sm[Naive.flat(shape, i)] = (float) (Math.exp(x.get(i) - max) / sum);
                lsm[Naive.flat(shape, i)] = (float) (x.get(i) - max - Math.log(sum));
            });
            Tensor g = data.normal(shape);
            for (Tensor layout : TestData.layouts(x)) {
                Tensor y = layout.softmax(axis);
                TensorAssert.assertClose(sm, y, 1e-6, 1e-7, "softmax");
                Tensor ly = layout.logSoftmax(axis - shape.length);
                TensorAssert.assertClose(lsm, ly, 1e-6, 1e-6, "logSoftmax");
                // Backward against the explicit Jacobian-vector products.
                Tensor dot = g.mul(y).sum(new int[] {axis}, true);
                TensorAssert.assertClose(y.mul(g.sub(dot)), NormOps.softmaxBackward(y, g, axis, false), 1e-5, 1e-6,
                        "softmax backward");
                Tensor gsum = g.sum(new int[] {axis}, true);
                TensorAssert.assertClose(g.sub(ly.exp().mul(gsum)), NormOps.softmaxBackward(ly, g, axis, true), 1e-5,
                        1e-6, "logSoftmax backward");
            }
        }
    }

    @Test
    void layerNormForwardAndBackwardMatchTheFormulas() {
        TestData data = new TestData(32);
        int[][] shapes = {{1, 1}, {3, 7}, {2, 5, 33}, {4, 127}, {13}};
        for (int[] shape : shapes) {
            int c = shape[shape.length - 1];
            // A large DC offset: a single-pass E[x^2]-E[x]^2 variance would lose most digits here.
            Tensor x = data.uniform(-1, 1, shape).add(300f);
            Tensor w = data.uniform(0.5f, 1.5f, c);
            Tensor b = data.uniform(-1, 1, c);
            float eps = 1e-5f;
            Tensor mu = x.mean(new int[] {-1}, true);
            Tensor xc = x.sub(mu);
            Tensor rstd = xc.square().mean(new int[] {-1}, true).add(eps).rsqrt();
            Tensor xhat = xc.mul(rstd);
            for (Tensor layout : TestData.layouts(x)) {
                NormOps.LayerNormResult r = NormOps.layerNorm(layout, w, b, eps);
                TensorAssert.assertClose(xhat.mul(w).add(b), r.y(), 1e-4, 1e-4, "layerNorm " + java.util.Arrays.toString(shape));
                TensorAssert.assertClose(rstd.reshape(r.rstd().shape()), r.rstd(), 1e-4, 0, "rstd");
                Tensor gy = data.normal(shape);
                NormOps.LayerNormGrads grads = NormOps.layerNormBackward(TestData.strided(gy), layout, w, true, r.mean(),
                        r.rstd());
                // dx = rstd * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat)), dxhat = dy * w
                Tensor dxhat = gy.mul(w);
                Tensor expectedDx = rstd.mul(dxhat.sub(dxhat.mean(new int[] {-1}, true))
                        .sub(xhat.mul(dxhat.mul(xhat).mean(new int[] {-1}, true))));
                TensorAssert.assertClose(expectedDx, grads.x(), 2e-3, 2e-3, "layerNorm dx");
                int[] rows = new int[shape.length - 1];
                for (int i = 0; i < rows.length; i++) {
                    rows[i] = i;
                }
                // (an empty axis list means "all axes", so a single row is compared unreduced)
                Tensor dw = rows.length == 0 ? gy.mul(xhat) : gy.mul(xhat).sum(rows);
                Tensor db = rows.length == 0 ? gy : gy.sum(rows);
                TensorAssert.assertClose(dw, grads.weight(), 1e-3, 1e-3, "layerNorm dw");
                TensorAssert.assertClose(db, grads.bias(), 1e-4, 1e-4, "layerNorm db");
            }
        }
    }

    @Test
    void layerNormWithoutAffine() {
        Tensor x = new TestData(33).uniform(-2, 2, 4, 9);
        NormOps.LayerNormResult r = NormOps.layerNorm(x, null, null, 1e-5f);
        TensorAssert.assertClose(new float[4], r.y().mean(-1), 0, 1e-6, "mean 0");
        NormOps.LayerNormGrads g = NormOps.layerNormBackward(Tensor.ones(4, 9), x, null, false, r.mean(), r.rstd());
        TensorAssert.assertClose(new float[36], g.x(), 0, 1e-5, "constant gradient cancels");
        org.junit.jupiter.api.Assertions.assertNull(g.weight());
    }
}
