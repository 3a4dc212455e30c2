package org.kmerl.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kmerl.tensor.testing.Naive;
import org.kmerl.tensor.testing.TensorAssert;
import org.kmerl.tensor.testing.TestData;

/** Gather, scatter-add, index-select, index-add, concat, stack and split against plain loops. */
class IndexTest {

    @Test
    void gatherAndScatterAddAlongEveryAxis() {
        TestData data = new TestData(21);
        for (int trial = 0; trial < 20; trial++) {
            int[] shape = data.shape(1 + trial % 3);
            int axis = data.random().nextInt(shape.length);
            Tensor x = data.uniform(-1, 1, shape);
            int[] idxShape = shape.clone();
            idxShape[axis] = 1 + data.random().nextInt(5);
            int[] idx = new int[Shape.numel(idxShape)];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = data.random().nextInt(shape[axis]);
            }
            Tensor index = Tensor.ofInts(idx, idxShape);
            float[] expected = new float[idx.length];
            float[] scattered = x.toFloatArray();
            Tensor src = data.uniform(-1, 1, idxShape);
            float[] srcs = src.toFloatArray();
            Naive.forEachIndex(idxShape, i -> {
                int[] from = i.clone();
                from[axis] = idx[Naive.flat(idxShape, i)];
                expected[Naive.flat(idxShape, i)] = x.get(from);
                scattered[Naive.flat(shape, from)] += srcs[Naive.flat(idxShape, i)];
            });
            for (Tensor layout : TestData.layouts(x)) {
                TensorAssert.assertClose(expected, layout.gather(axis, index), 0, 0, "gather");
                TensorAssert.assertClose(scattered, IndexOps.scatterAdd(layout, axis, index, src), 1e-6, 1e-6,
                        "scatterAdd");
            }
        }
    }

    @Test
    void indexSelectAndIndexAddAreAdjoint() {
        TestData data = new TestData(22);
        for (int trial = 0; trial < 20; trial++) {
            int[] shape = data.shape(1 + trial % 3);
            int axis = data.random().nextInt(shape.length);
            int n = 1 + data.random().nextInt(9);
            int[] idx = new int[n];
            for (int i = 0; i < n; i++) {
                idx[i] = data.random().nextInt(shape[axis]);
            }
            Tensor index = Tensor.ofInts(idx);
            Tensor x = data.uniform(-1, 1, shape);
            Tensor selected = x.indexSelect(axis, index);
            int[] outShape = shape.clone();
            outShape[axis] = n;
            Naive.forEachIndex(outShape, i -> {
                int[] from = i.clone();
                from[axis] = idx[i[axis]];
                assertTrue(selected.get(i) == x.get(from));
            });
            // <indexSelect(x), g> == <x, indexAdd(g)> for random g.
            Tensor g = data.uniform(-1, 1, outShape);
            Tensor added = IndexOps.indexAdd(shape, axis, index, TestData.permuted(g));
            double left = selected.mul(g).sum().item();
            double right = x.mul(added).sum().item();
            assertTrue(Math.abs(left - right) < 1e-4, left + " vs " + right);
            for (Tensor layout : TestData.layouts(x)) {
                TensorAssert.assertClose(selected, layout.indexSelect(axis, index), 0, 0, "indexSelect");
            }
        }
    }

    @Test
    void embeddingStyleLookupOfIntRows() {
        Tensor table = Tensor.ofInts(new int[] {10, 11, 20, 21, 30, 31}, 3, 2);
        Tensor rows = table.indexSelect(0, Tensor.ofInts(new int[] {2, 0, 2}));
        assertArrayEquals(new int[] {30, 31, 10, 11, 30, 31}, rows.toIntArray());
    }

    @Test
    void outOfRangeIndicesNameTheOpAndTheSize() {
        Tensor x = Tensor.zeros(3, 4);
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                () -> x.indexSelect(1, Tensor.ofInts(new int[] {0, 4})));
        assertTrue(e.getMessage().contains("indexSelect") && e.getMessage().contains("4")
                && e.getMessage().contains("size 4"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> x.gather(0, Tensor.ofInts(new int[] {-1}, 1, 1)));
        IllegalArgumentException dtype = assertThrows(IllegalArgumentException.class,
                () -> x.indexSelect(0, Tensor.of(new float[] {0f})));
        assertTrue(dtype.getMessage().contains("int32"), dtype.getMessage());
    }

    @Test
    void concatStackSplit() {
        Tensor a = Tensor.arange(6).reshape(2, 3);
        Tensor b = Tensor.arange(4).add(100f).reshape(2, 2);
        Tensor c = JoinOps.concat(List.of(a, TestData.permuted(b)), 1);
        assertArrayEquals(new float[] {0, 1, 2, 100, 101, 3, 4, 5, 102, 103}, c.toFloatArray());
        List<Tensor> parts = JoinOps.split(c, -1, 3, 2);
        TensorAssert.assertClose(a, parts.get(0), 0, 0, "split 0");
        TensorAssert.assertClose(b, parts.get(1), 0, 0, "split 1");
        Tensor s = JoinOps.stack(List.of(a, a.mul(2f)), 1);
        assertArrayEquals(new int[] {2, 2, 3}, s.shape());
        assertArrayEquals(new float[] {0, 2, 4}, s.select(0, 0).select(0, 1).toFloatArray());
        ShapeException e = assertThrows(ShapeException.class, () -> JoinOps.concat(List.of(a, b), 0));
        assertTrue(e.getMessage().startsWith("concat"), e.getMessage());
        assertThrows(ShapeException.class, () -> JoinOps.split(a, 1, 2, 2));
        assertThrows(ShapeException.class, () -> JoinOps.stack(List.of(a, b), 0));
    }
}
