package org.kmerl.tensor;

import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.kmerl.tensor.backend.AttentionConfig;
import org.kmerl.tensor.backend.LossReduction;
import org.kmerl.tensor.cpu.CpuThreads;
import org.kmerl.tensor.testing.TensorAssert;
import org.kmerl.tensor.testing.TestData;

/** Kernels give bit-identical results at 1, 2 and 5 threads (work is split by output, never by reduction order). */
class ThreadCountTest {

    private static void sameAtEveryThreadCount(String what, Supplier<Tensor> computation) {
        int saved = CpuThreads.threads();
        try {
            CpuThreads.setThreads(1);
            Tensor reference = computation.get();
            for (int threads : new int[] {2, 5}) {
                CpuThreads.setThreads(threads);
                TensorAssert.assertBitwiseEqual(reference, computation.get(), what + " at " + threads + " threads");
            }
        } finally {
            CpuThreads.setThreads(saved);
        }
    }

    @Test
    void reductionsMatmulNormsAttentionAndScatters() {
        TestData data = new TestData(3);
        Tensor big = data.normal(300_001);
        Tensor m = data.normal(257, 129);
        Tensor a = data.normal(64, 96);
        Tensor b = data.normal(96, 80);
        Tensor q = data.normal(2, 3, 40, 16);
        Tensor g = data.normal(2, 3, 40, 16);
        Tensor rows = data.normal(512, 64);
        Tensor w = data.normal(64);
        Tensor ids = Tensor.ofInts(new Generator(4).permutation(512)).indexSelect(0,
                Tensor.ofInts(new int[] {1, 5, 1, 7, 5, 5, 300, 2}));
        sameAtEveryThreadCount("full sum", big::sum);
        sameAtEveryThreadCount("column sum", () -> m.sum(0));
        sameAtEveryThreadCount("matmul", () -> a.matmul(b));
        // Large enough to be split: by columns (a Linear layer's transposed weight, 333 columns), by
        // columns per batch, and by rows (too few columns).
        Tensor x = data.normal(2, 70, 200);
        Tensor weight = data.normal(333, 200);
        sameAtEveryThreadCount("matmul split by columns", () -> x.select(0, 0).matmul(weight.t()));
        sameAtEveryThreadCount("batched matmul split by columns", () -> x.matmul(weight.t()));
        Tensor thin = data.normal(200, 40);
        sameAtEveryThreadCount("matmul split by rows", () -> weight.matmul(thin));
        Tensor bias = data.normal(333);
        sameAtEveryThreadCount("addmm split by columns", () -> MatmulOps.addmm(bias, x.select(0, 0), weight.t()));
        sameAtEveryThreadCount("addmm split by rows", () -> MatmulOps.addmm(bias.narrow(0, 0, 40), weight, thin));
        sameAtEveryThreadCount("softmax", () -> m.softmax(0));
        sameAtEveryThreadCount("layer norm dw", () -> {
            NormOps.LayerNormResult r = NormOps.layerNorm(rows, w, w, 1e-5f);
            return NormOps.layerNormBackward(rows, rows, w, true, r.mean(), r.rstd()).weight();
        });
        sameAtEveryThreadCount("attention dk", () -> {
            AttentionOps.Result r = AttentionOps.forward(q, q, q, null, new AttentionConfig(0.25f, 0.1f, 1, 0));
            return AttentionOps.backward(q, q, q, null, new AttentionConfig(0.25f, 0.1f, 1, 0), r.out(), r.lse(), g).k();
        });
        sameAtEveryThreadCount("index add", () -> IndexOps.indexAdd(new int[] {512, 64}, 0, ids.toInt(),
                rows.narrow(0, 0, 8)));
        Tensor pairs = data.normal(150, 24);   // 150 rows: the column log-sum-exps in blocks of 64, 64 and 22
        sameAtEveryThreadCount("clip loss", () -> LossOps.clip(pairs, pairs.mul(0.5f).add(1f), Tensor.scalar(0.1f),
                LossReduction.MEAN).loss());
    }

    @Test
    void concurrentCallersGetTheSameResults() throws Exception {
        TestData data = new TestData(4);
        Tensor a = data.normal(200, 150);
        Tensor b = data.normal(150, 170);
        Tensor q = data.normal(2, 2, 70, 16);
        Tensor expectedProduct = a.matmul(b);
        Tensor expectedAttention = AttentionOps.forward(q, q, q, null, AttentionConfig.noDropout(0.25f)).out();
        java.util.concurrent.ExecutorService callers = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            java.util.List<java.util.concurrent.Future<Tensor[]>> results = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                results.add(callers.submit(() -> new Tensor[] {a.matmul(b),
                    AttentionOps.forward(q, q, q, null, AttentionConfig.noDropout(0.25f)).out()}));
            }
            for (var f : results) {
                Tensor[] r = f.get();
                TensorAssert.assertBitwiseEqual(expectedProduct, r[0], "matmul from a concurrent caller");
                TensorAssert.assertBitwiseEqual(expectedAttention, r[1], "attention from a concurrent caller");
            }
        } finally {
            callers.shutdown();
        }
    }
}
