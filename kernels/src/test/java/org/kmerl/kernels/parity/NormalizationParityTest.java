package org.kmerl.kernels.parity;

import org.junit.jupiter.api.Test;
import org.kmerl.tensor.NormOps;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.testing.TestData;

/** Softmax / log-softmax on every axis and layer norm with and without affine, forward and backward, every variant. */
class NormalizationParityTest {

    @Test
    void softmaxAnyAxis() {
        Gpu.forEachVariant("softmax", variant -> {
            TestData data = new TestData(11);
            for (int trial = 0; trial < 11; trial++) {   // the last: a long row (softmax v5 with 8 float4 per thread)
                int[] shape = trial < 8 ? data.shape(1 + trial % 4) : new int[] {3, trial < 10 ? 1000 + trial : 4100};
                Tensor x = data.normal(shape).mul(3f);
                for (int axis = 0; axis < shape.length; axis++) {
                    for (boolean log : new boolean[] {false, true}) {
                        Tensor y = log ? NormOps.logSoftmax(x, axis) : NormOps.softmax(x, axis);
                        String what = variant + (log ? " logSoftmax" : " softmax") + " axis " + axis + " of "
                                + java.util.Arrays.toString(shape);
                        for (Tensor g : Gpu.layouts(x)) {
                            Gpu.assertClose(y, log ? NormOps.logSoftmax(g, axis) : NormOps.softmax(g, axis), 1e-5, 1e-6, what);
                        }
                        Tensor grad = data.normal(shape);
                        Gpu.assertClose(NormOps.softmaxBackward(y, grad, axis, log),
                                NormOps.softmaxBackward(Gpu.on(y), Gpu.permuted(Gpu.on(grad)), axis, log), 1e-5, 1e-5,
                                what + " backward");
                    }
                }
            }
        });
    }

    @Test
    void layerNormForwardAndBackward() {
        Gpu.forEachVariant("layernorm", variant -> {
            TestData data = new TestData(12);
            for (int c : new int[] {1, 7, 33, 384, 1000}) {
                for (boolean affine : new boolean[] {true, false}) {
                    Tensor x = data.normal(3, 5, c).mul(2f).add(1f);
                    Tensor w = affine ? data.normal(c) : null;
                    Tensor b = affine ? data.normal(c) : null;
                    NormOps.LayerNormResult expected = NormOps.layerNorm(x, w, b, 1e-5f);
                    Tensor gw = affine ? Gpu.on(w) : null;
                    Tensor gb = affine ? Gpu.on(b) : null;
                    NormOps.LayerNormResult got = NormOps.layerNorm(Gpu.permuted(Gpu.on(x)), gw, gb, 1e-5f);
                    String what = variant + " C=" + c + (affine ? " affine" : "");
                    Gpu.assertClose(expected.y(), got.y(), 1e-5, 1e-5, what + " y");
                    Gpu.assertClose(expected.mean(), got.mean(), 1e-5, 1e-6, what + " mean");
                    Gpu.assertClose(expected.rstd(), got.rstd(), 1e-5, 1e-6, what + " rstd");
                    Tensor gy = data.normal(3, 5, c);
                    NormOps.LayerNormGrads eg = NormOps.layerNormBackward(gy, x, w, affine, expected.mean(), expected.rstd());
                    NormOps.LayerNormGrads gg = NormOps.layerNormBackward(Gpu.on(gy), Gpu.on(x), gw, affine, got.mean(),
                            got.rstd());
                    // dx = rstd * (...): absolute rounding errors scale with rstd (316 for C = 1, where dx is 0).
                    double rstd = 0;
                    for (float r : expected.rstd().toFloatArray()) {
                        rstd = Math.max(rstd, r);
                    }
                    Gpu.assertClose(eg.x(), gg.x(), 1e-4, 1e-6 * Math.max(10, rstd), what + " dx");
                    if (affine) {
                        Gpu.assertClose(eg.weight(), gg.weight(), 1e-4, 1e-5, what + " dweight");
                        Gpu.assertClose(eg.bias(), gg.bias(), 1e-4, 1e-5, what + " dbias");
                    }
                }
            }
        });
    }
}
