package org.kmerl.kernels.parity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
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
        Gpu.forEachVariant("index_add", variant -> indexSelectAndIndexAdd(variant));
    }

    private void indexSelectAndIndexAdd(String variant) {
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
                    variant + " indexAdd axis " + axis);
        }
        // Embedding backward: 3000 token rows into a 50-row table.
        Tensor tokens = indices(data, 50, 3000);
        Tensor grads = data.normal(3000, 48);
        Gpu.assertClose(IndexOps.indexAdd(new int[] {50, 48}, 0, tokens, grads),
                IndexOps.indexAdd(new int[] {50, 48}, 0, Gpu.on(tokens), Gpu.on(grads)), 1e-5, 1e-5, variant + " embedding backward");
    }

    /** One index_add: the CPU operands and the device views to run it on. */
    private record IndexAddCase(int[] shape, int axis, Tensor index, Tensor src, Tensor gpuIndex, Tensor gpuSrc) {
    }

    /**
     * index_add v2 splits each line over ranges of the destination but keeps v1's order: equal bits, and
     * both equal to the CPU. Cases: an embedding table's gradient (40 lines), and an inner axis with 900
     * lines over several blocks, a strided source and an index seen through an offset, stride-2 view.
     */
    @Test
    void indexAddV2MatchesV1Exactly() {
        var backend = Gpu.backend();
        TestData data = new TestData(10);
        Tensor tokens = indices(data, 97, 5000);
        Tensor grads = data.normal(5000, 40);
        Tensor everyOther = Gpu.on(indices(data, 61, 2 * 700 + 1)).slice(0, 1, 2 * 700 + 1, 2);
        Tensor inner = data.normal(3, 700, 300);
        IndexAddCase[] cases = {
                new IndexAddCase(new int[] {97, 40}, 0, tokens, grads, Gpu.on(tokens), Gpu.on(grads)),
                new IndexAddCase(new int[] {3, 61, 300}, 1, everyOther.to(org.kmerl.tensor.Device.CPU), inner,
                        everyOther, Gpu.strided(Gpu.on(inner)))};
        for (IndexAddCase c : cases) {
            Tensor expected = IndexOps.indexAdd(c.shape(), c.axis(), c.index(), c.src());
            float[][] results = new float[2][];
            String[] variants = {"v1", "v2"};
            for (int i = 0; i < 2; i++) {
                try (AutoCloseable forced = backend.registry().force("index_add", variants[i])) {
                    Tensor actual = IndexOps.indexAdd(c.shape(), c.axis(), c.gpuIndex(), c.gpuSrc());
                    String what = variants[i] + " index_add into " + Arrays.toString(c.shape());
                    Gpu.assertClose(expected, actual, 1e-5, 1e-5, what);
                    results[i] = actual.toFloatArray();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
            assertArrayEquals(results[0], results[1], "v1 and v2 into " + Arrays.toString(c.shape()));
        }
    }
}
