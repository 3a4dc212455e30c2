package org.kmerl.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kmerl.tensor.Shape;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.backend.BinaryOp;
import org.kmerl.tensor.backend.AdamWStep;
import org.kmerl.tensor.backend.AttentionConfig;
import org.kmerl.tensor.backend.AttentionKernels;
import org.kmerl.tensor.backend.ElementwiseKernels;
import org.kmerl.tensor.backend.LossKernels;
import org.kmerl.tensor.backend.LossReduction;
import org.kmerl.tensor.backend.NormalizationKernels;
import org.kmerl.tensor.backend.OptimizerKernels;
import org.kmerl.tensor.backend.ReduceOp;
import org.kmerl.tensor.backend.ReductionKernels;
import org.kmerl.tensor.backend.UnaryOp;
import org.kmerl.tensor.testing.TensorAssert;
import org.kmerl.tensor.testing.TestData;

/**
 * Every variant of every CPU kernel family against its reference, called directly (not through the
 * backend's choice), on random and odd shapes, broadcast operands and non-contiguous layouts.
 */
class VectorVariantTest {
    /** Vectorised transcendental functions agree with the double-precision reference to this. */
    static final double RTOL = 1e-6;
    static final double ATOL = 1e-7;

    @Test
    void theVectorApiVariantsAreAvailableHere() {
        assertEquals(VectorSupport.available() ? 2 : 1, CpuVariants.elementwise().size());
    }

    @Test
    void elementwiseVariantsMatchTheReference() {
        List<CpuVariants.Variant<ElementwiseKernels>> variants = CpuVariants.elementwise();
        ElementwiseKernels reference = variants.get(0).impl();
        TestData data = new TestData(8);
        int[][] shapes = {{1}, {7}, {33}, {127}, {5, 17}, {3, 8, 13}, {2, 1, 31}};
        for (CpuVariants.Variant<ElementwiseKernels> v : variants) {
            for (int[] shape : shapes) {
                Tensor x = data.uniform(-6, 6, shape);
                Tensor positive = x.abs().add(0.1f);
                Tensor g = data.normal(shape);
                for (UnaryOp op : UnaryOp.values()) {
                    boolean domain = op == UnaryOp.LOG || op == UnaryOp.SQRT || op == UnaryOp.RSQRT
                            || op == UnaryOp.RECIPROCAL;
                    Tensor in = domain ? positive : x;
                    for (Tensor layout : TestData.layouts(in)) {
                        Tensor expected = Tensor.zerosLike(in);
                        reference.unary(op, layout, expected);
                        Tensor actual = Tensor.zerosLike(in);
                        v.impl().unary(op, layout, actual);
                        TensorAssert.assertClose(expected, actual, RTOL, ATOL, v.name() + " " + op + " " + Shape.format(shape));
                        Tensor expectedGrad = Tensor.zerosLike(in);
                        reference.unaryBackward(op, layout, expected, g, expectedGrad);
                        Tensor actualGrad = Tensor.zerosLike(in);
                        v.impl().unaryBackward(op, layout, expected, g, actualGrad);
                        TensorAssert.assertClose(expectedGrad, actualGrad, RTOL, ATOL,
                                v.name() + " " + op + " backward " + Shape.format(shape));
                    }
                }
                int[] bShape = data.broadcastable(shape);
                Tensor b = data.uniform(0.5f, 2f, bShape);
                for (BinaryOp op : BinaryOp.values()) {
                    for (Tensor layout : TestData.layouts(x)) {
                        try (Tensor bb = b.broadcastTo("test", shape)) {
                            Tensor expected = Tensor.zerosLike(x);
                            reference.binary(op, layout, bb, expected);
                            Tensor actual = Tensor.zerosLike(x);
                            v.impl().binary(op, layout, bb, actual);
                            TensorAssert.assertClose(expected, actual, 0, 0, v.name() + " " + op);
                            reference.binaryScalar(op, layout, 1.5f, expected);
                            v.impl().binaryScalar(op, layout, 1.5f, actual);
                            TensorAssert.assertClose(expected, actual, 0, 0, v.name() + " scalar " + op);
                        }
                    }
                }
            }
        }
    }

    @Test
    void normalizationVariantsMatchTheReference() {
        List<CpuVariants.Variant<NormalizationKernels>> variants = CpuVariants.normalization();
        NormalizationKernels reference = variants.get(0).impl();
        TestData data = new TestData(9);
        int[][] shapes = {{1, 1}, {3, 7}, {5, 33}, {2, 127}, {300, 16}, {4, 3, 40}};
        for (CpuVariants.Variant<NormalizationKernels> v : variants) {
            for (int[] shape : shapes) {
                Tensor x = data.uniform(-5, 5, shape).add(20f);
                Tensor g = data.normal(shape);
                for (int axis = 0; axis < shape.length; axis++) {
                    for (boolean log : new boolean[] {false, true}) {
                        for (Tensor layout : TestData.layouts(x)) {
                            Tensor expected = Tensor.zerosLike(x);
                            reference.softmax(layout, axis, log, expected);
                            Tensor actual = Tensor.zerosLike(x);
                            v.impl().softmax(layout, axis, log, actual);
                            // log-softmax is x - shift: near the row maximum it cancels, so allow an ulp of |x| (~25)
                            TensorAssert.assertClose(expected, actual, 2e-6, log ? 4e-6 : 1e-7,
                                    v.name() + " softmax log=" + log);
                            Tensor eg = Tensor.zerosLike(x);
                            reference.softmaxBackward(expected, g, axis, log, eg);
                            Tensor ag = Tensor.zerosLike(x);
                            v.impl().softmaxBackward(expected, g, axis, log, ag);
                            TensorAssert.assertClose(eg, ag, 1e-5, 1e-6, v.name() + " softmax backward log=" + log);
                        }
                    }
                }
                int c = shape[shape.length - 1];
                int rows = x.numel() / c;
                Tensor x2 = x.reshape(rows, c);
                Tensor g2 = g.reshape(rows, c);
                Tensor w = data.uniform(0.5f, 1.5f, c);
                Tensor b = data.uniform(-1, 1, c);
                Tensor[] ref = layerNorm(reference, x2, g2, w, b);
                Tensor[] got = layerNorm(v.impl(), x2, g2, w, b);
                String[] names = {"y", "mean", "rstd", "dx", "dw", "db"};
                for (int i = 0; i < ref.length; i++) {
                    TensorAssert.assertClose(ref[i], got[i], 2e-5, 2e-5, v.name() + " layer norm " + names[i] + " "
                            + Shape.format(shape));
                }
            }
        }
    }

    private static Tensor[] layerNorm(NormalizationKernels k, Tensor x, Tensor g, Tensor w, Tensor b) {
        int rows = x.dim(0);
        int c = x.dim(1);
        Tensor y = Tensor.zeros(rows, c);
        Tensor mean = Tensor.zeros(rows);
        Tensor rstd = Tensor.zeros(rows);
        k.layerNormForward(x, w, b, 1e-5f, y, mean, rstd);
        Tensor dx = Tensor.zeros(rows, c);
        Tensor dw = Tensor.zeros(c);
        Tensor db = Tensor.zeros(c);
        k.layerNormBackward(g, x, w, mean, rstd, dx, dw, db);
        return new Tensor[] {y, mean, rstd, dx, dw, db};
    }

    @Test
    void optimizerVariantsMatchTheReference() {
        TestData data = new TestData(10);
        for (CpuVariants.Variant<OptimizerKernels> v : CpuVariants.optimizers()) {
            for (int n : new int[] {1, 7, 33, 1000}) {
                Tensor p0 = data.normal(n);
                Tensor g = data.normal(n);
                Tensor[] expected = {p0.copy(), Tensor.zeros(n), Tensor.zeros(n)};
                Tensor[] actual = {p0.copy(), Tensor.zeros(n), Tensor.zeros(n)};
                for (long step = 1; step <= 3; step++) {
                    AdamWStep s = new AdamWStep(0.01f, 0.9f, 0.999f, 1e-8f, 0.1f, step);
                    CpuVariants.optimizers().get(0).impl().adamw(expected[0], g, expected[1], expected[2], s);
                    v.impl().adamw(actual[0], g, actual[1], actual[2], s);
                }
                for (int i = 0; i < 3; i++) {
                    TensorAssert.assertClose(expected[i], actual[i], 1e-6, 1e-7, v.name() + " adamw state " + i);
                }
            }
        }
    }

    @Test
    void attentionVariantsMatchTheReference() {
        List<CpuVariants.Variant<AttentionKernels>> variants = CpuVariants.attention();
        AttentionKernels reference = variants.get(0).impl();
        TestData data = new TestData(11);
        // Tile-boundary sizes: 1, BR-1, BR, BR+1 and two tiles plus a remainder; all queries in one tile while
        // their scores fit WHOLE_TILE; all keys in one tile up to WHOLE_KEYS, BC-key tiles (the online
        // rescaling) beyond.
        int[][] dims = {{1, 1, 1, 1, 1, 1}, {2, 3, 63, 65, 8, 8}, {1, 2, 64, 64, 33, 7}, {2, 1, 130, 20, 16, 16},
            {1, 1, 5, 129, 4, 4}, {1, 1, 128, 256, 8, 8}, {1, 2, 129, 512, 8, 5}, {2, 1, 70, 513, 5, 6},
            {1, 1, 3, 800, 4, 4}};
        for (CpuVariants.Variant<AttentionKernels> v : variants) {
            for (int[] d : dims) {
                for (int mode = 0; mode < 3; mode++) {
                    int b = d[0];
                    int h = d[1];
                    int tq = d[2];
                    int tk = d[3];
                    Tensor q = data.normal(b, h, tq, d[4]);
                    Tensor k = data.normal(b, h, tk, d[4]);
                    Tensor val = data.normal(b, h, tk, d[5]);
                    Tensor g = data.normal(b, h, tq, d[5]);
                    Tensor padding = null;
                    if (mode >= 1) {
                        padding = data.uniform(0, 1, b, tk).gt(0.6f);
                        padding.narrow(1, 0, 1).fill(0f); // every row keeps a key ...
                        if (b > 1) {
                            padding.select(0, b - 1).fill(1f); // ... except in the last batch
                        }
                    }
                    AttentionConfig config = new AttentionConfig((float) (1 / Math.sqrt(d[4])), mode == 2 ? 0.25f : 0f,
                            5, 100);
                    Tensor[] ref = attention(reference, q, k, val, padding, config, g);
                    Tensor[] got = attention(v.impl(), q, k, val, padding, config, g);
                    String[] names = {"out", "lse", "dq", "dk", "dv"};
                    for (int i = 0; i < ref.length; i++) {
                        TensorAssert.assertClose(ref[i], got[i], 1e-4, 1e-5, v.name() + " attention " + names[i]
                                + " dims " + java.util.Arrays.toString(d) + " mode " + mode);
                    }
                }
            }
        }
    }

    private static Tensor[] attention(AttentionKernels kernels, Tensor q, Tensor k, Tensor v, Tensor padding,
                                      AttentionConfig config, Tensor g) {
        int[] os = q.shape();
        os[3] = v.dim(3);
        Tensor out = Tensor.zeros(os);
        Tensor lse = Tensor.zeros(q.dim(0), q.dim(1), q.dim(2));
        kernels.forward(q, k, v, padding, config, out, lse);
        Tensor dq = Tensor.zerosLike(q);
        Tensor dk = Tensor.zerosLike(k);
        Tensor dv = Tensor.zerosLike(v);
        kernels.backward(q, k, v, padding, config, out, lse, g, dq, dk, dv);
        return new Tensor[] {out, lse, dq, dk, dv};
    }

    @Test
    void lossVariantsMatchTheReference() {
        List<CpuVariants.Variant<LossKernels>> variants = CpuVariants.losses();
        LossKernels reference = variants.get(0).impl();
        TestData data = new TestData(12);
        int[][] dims = {{2, 3}, {5, 16}, {33, 17}, {64, 40}, {150, 24}};   // 150: column blocks of 64, 64 and 22
        for (CpuVariants.Variant<LossKernels> v : variants) {
            for (int[] d : dims) {
                for (LossReduction reduction : LossReduction.values()) {
                    Tensor a = data.normal(d[0], d[1]);
                    Tensor b = data.normal(d[0], d[1]);
                    Tensor tau = Tensor.scalar(0.07f);
                    Tensor[] ref = clip(reference, a, b, tau, reduction);
                    Tensor[] got = clip(v.impl(), a, b, tau, reduction);
                    String[] names = {"loss", "logits", "lse rows", "lse cols", "da", "db", "dtau"};
                    for (int i = 0; i < ref.length; i++) {
                        TensorAssert.assertClose(ref[i], got[i], 2e-5, 2e-5, v.name() + " clip " + names[i] + " "
                                + java.util.Arrays.toString(d) + " " + reduction);
                    }
                }
            }
        }
    }

    private static Tensor[] clip(LossKernels k, Tensor a, Tensor b, Tensor tau, LossReduction reduction) {
        int n = a.dim(0);
        Tensor loss = Tensor.scalar(0f);
        Tensor logits = Tensor.zeros(n, n);
        Tensor rows = Tensor.zeros(n);
        Tensor cols = Tensor.zeros(n);
        k.clipForward(a, b, tau, reduction, loss, logits, rows, cols);
        Tensor saved = logits.copy();
        Tensor da = Tensor.zerosLike(a);
        Tensor db = Tensor.zerosLike(b);
        Tensor dtau = Tensor.scalar(0f);
        k.clipBackward(a, b, tau, reduction, logits, rows, cols, Tensor.scalar(1.3f), da, db, dtau);
        TensorAssert.assertBitwiseEqual(saved, logits, "backward leaves the saved logits unchanged");
        return new Tensor[] {loss, logits, rows, cols, da, db, dtau};
    }

    @Test
    void reductionVariantsMatchTheReference() {
        List<CpuVariants.Variant<ReductionKernels>> variants = CpuVariants.reductions();
        ReductionKernels reference = variants.get(0).impl();
        TestData data = new TestData(13);
        int[][] shapes = {{1}, {37}, {5, 33}, {64, 48}, {3, 7, 40}, {2, 130, 17}};
        for (CpuVariants.Variant<ReductionKernels> v : variants) {
            for (int[] shape : shapes) {
                Tensor x = data.uniform(-3, 3, shape);
                // every subset of axes (contiguous blocks take the vector path, the rest fall back)
                for (int mask = 1; mask < (1 << shape.length); mask++) {
                    boolean[] axes = new boolean[shape.length];
                    int[] outShape = shape.clone();
                    for (int d = 0; d < shape.length; d++) {
                        axes[d] = (mask & (1 << d)) != 0;
                        outShape[d] = axes[d] ? 1 : shape[d];
                    }
                    for (ReduceOp op : ReduceOp.values()) {
                        for (Tensor layout : TestData.layouts(x)) {
                            Tensor expected = Tensor.zeros(outShape);
                            reference.reduce(op, layout, axes, expected);
                            Tensor actual = Tensor.zeros(outShape);
                            v.impl().reduce(op, layout, axes, actual);
                            TensorAssert.assertClose(expected, actual, 1e-5, 1e-5, v.name() + " " + op + " "
                                    + Shape.format(shape) + " axes mask " + mask);
                        }
                    }
                }
            }
        }
    }
}
