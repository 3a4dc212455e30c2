package org.kmerl.kernels.parity;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kmerl.kernels.CudaBackend;
import org.kmerl.kernels.runtime.Grid;
import org.kmerl.kernels.runtime.KernelLaunchException;
import org.kmerl.tensor.AttentionOps;
import org.kmerl.tensor.IndexOps;
import org.kmerl.tensor.NormOps;
import org.kmerl.tensor.ReductionOps;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.backend.AttentionConfig;
import org.kmerl.tensor.testing.TensorAssert;
import org.kmerl.tensor.testing.TestData;

/**
 * No kernel accumulates with float atomics, so every backward reduction repeats bit for bit; and a
 * launch that the driver refuses names the kernel and its launch shape.
 */
class DeterminismAndErrorsTest {

    @Test
    void backwardReductionsRepeatBitForBit() {
        Gpu.backend();
        TestData data = new TestData(21);
        Tensor q = Gpu.on(data.normal(2, 3, 50, 32));
        Tensor k = Gpu.on(data.normal(2, 3, 70, 32));
        Tensor v = Gpu.on(data.normal(2, 3, 70, 32));
        Tensor go = Gpu.on(data.normal(2, 3, 50, 32));
        AttentionConfig cfg = new AttentionConfig(0.17f, 0.1f, 3L, 0L);
        AttentionOps.Result r = AttentionOps.forward(q, k, v, null, cfg);
        AttentionOps.Grads first = AttentionOps.backward(q, k, v, null, cfg, r.out(), r.lse(), go);
        AttentionOps.Grads second = AttentionOps.backward(q, k, v, null, cfg, r.out(), r.lse(), go);
        TensorAssert.assertBitwiseEqual(first.k(), second.k(), "attention dK");
        TensorAssert.assertBitwiseEqual(first.v(), second.v(), "attention dV");
        Tensor x = Gpu.on(data.normal(5000, 96));
        Tensor gy = Gpu.on(data.normal(5000, 96));
        Tensor w = Gpu.on(data.normal(96));
        NormOps.LayerNormResult ln = NormOps.layerNorm(x, w, null, 1e-5f);
        TensorAssert.assertBitwiseEqual(NormOps.layerNormBackward(gy, x, w, true, ln.mean(), ln.rstd()).weight(),
                NormOps.layerNormBackward(gy, x, w, true, ln.mean(), ln.rstd()).weight(), "layer norm dweight");
        int[] ids = new int[5000];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = (i * 7919) % 13;
        }
        Tensor idx = Gpu.on(Tensor.ofInts(ids, 5000));
        TensorAssert.assertBitwiseEqual(IndexOps.indexAdd(new int[] {13, 96}, 0, idx, gy),
                IndexOps.indexAdd(new int[] {13, 96}, 0, idx, gy), "embedding backward");
        TensorAssert.assertBitwiseEqual(ReductionOps.sum(x, new int[] {0, 1}, false),
                ReductionOps.sum(x, new int[] {0, 1}, false), "full sum");
    }

    @Test
    void aRefusedLaunchNamesKernelAndShape() {
        CudaBackend b = Gpu.backend();
        Tensor x = Gpu.on(Tensor.of(new float[] {1, 2, 3}, 3));
        KernelLaunchException e = assertThrows(KernelLaunchException.class,
                () -> b.kernel("elementwise", "kmerl_unary_contiguous").launch(new Grid(1, 1, 1, 4096, 1, 1, 0), 0, 3,
                        org.kmerl.kernels.runtime.CudaStorage.at(x), org.kmerl.kernels.runtime.CudaStorage.at(x)));
        assertTrue(e.getMessage().contains("kmerl_unary_contiguous") && e.getMessage().contains("block (4096, 1, 1)"),
                e.getMessage());
    }
}
