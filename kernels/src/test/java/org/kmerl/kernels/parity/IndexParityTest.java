package org.kmerl.kernels.parity;

import org.junit.jupiter.api.Test;
import org.kmerl.tensor.IndexOps;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.testing.TestData;

/** Gather, scatter-add, index-select and index-add on every axis, repeated indices included. */
class IndexParityTest {

    private static Tensor indices(TestData data, int bound, int... shape) {
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = data.random().nextInt(bound);
        }
        return Tensor.ofInts(idx, shape);
    }

    @Test
    void gatherAndScatterAdd() {
        Gpu.backend();
        TestData data = new TestData(8);
        for (int trial = 0; trial < 10; trial++) {
            int[] shape = data.shape(1 + trial % 3);
            int axis = data.random().nextInt(shape.length);
            Tensor x = data.normal(shape);
            int[] idxShape = shape.clone();
            idxShape[axis] = 1 + data.random().nextInt(6);
            Tensor index = indices(data, shape[axis], idxShape);
            Tensor expected = IndexOps.gather(x, axis, index);
            for (Tensor g : Gpu.layouts(x)) {
                Gpu.assertClose(expected, IndexOps.gather(g, axis, Gpu.on(index)), 0, 0, "gather axis " + axis);
            }
            Tensor src = data.normal(idxShape);
            Tensor dst = data.normal(shape);
            Gpu.assertClose(IndexOps.scatterAdd(dst, axis, index, src),
                    IndexOps.scatterAdd(Gpu.on(dst), axis, Gpu.on(index), Gpu.permuted(Gpu.on(src))), 1e-6, 1e-6,
                    "scatterAdd axis " + axis);
        }
    }

    @Test
    void indexSelectAndIndexAdd() {
        Gpu.backend();
        TestData data = new TestData(9);
        for (int trial = 0; trial < 10; trial++) {
            int[] shape = data.shape(1 + trial % 3);
            int axis = data.random().nextInt(shape.length);
            Tensor x = data.normal(shape);
            int count = 1 + data.random().nextInt(9);
            Tensor index = indices(data, shape[axis], count);
            Tensor expected = IndexOps.indexSelect(x, axis, index);
            for (Tensor g : Gpu.layouts(x)) {
                Gpu.assertClose(expected, IndexOps.indexSelect(g, axis, Gpu.on(index)), 0, 0, "indexSelect axis " + axis);
            }
            Tensor src = data.normal(expected.shape());
            Gpu.assertClose(IndexOps.indexAdd(shape, axis, index, src),
                    IndexOps.indexAdd(shape, axis, Gpu.on(index), Gpu.strided(Gpu.on(src))), 1e-6, 1e-6,
                    "indexAdd axis " + axis);
        }
        // Embedding backward: 3000 token rows into a 50-row table.
        Tensor tokens = indices(data, 50, 3000);
        Tensor grads = data.normal(3000, 48);
        Gpu.assertClose(IndexOps.indexAdd(new int[] {50, 48}, 0, tokens, grads),
                IndexOps.indexAdd(new int[] {50, 48}, 0, Gpu.on(tokens), Gpu.on(grads)), 1e-5, 1e-5, "embedding backward");
    }
}
