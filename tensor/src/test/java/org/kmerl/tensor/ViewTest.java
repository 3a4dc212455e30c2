package org.kmerl.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kmerl.tensor.testing.Naive;
import org.kmerl.tensor.testing.TestData;

class ViewTest {
    private static Tensor iota(int... shape) {
        return Tensor.arange(Shape.numel(shape)).reshape(shape);
    }

    @Test
    void permuteMovesAxesWithoutCopying() {
        Tensor x = iota(2, 3, 4);
        Tensor p = x.permute(2, 0, 1);
        assertArrayEquals(new int[] {4, 2, 3}, p.shape());
        assertFalse(p.isContiguous());
        assertTrue(p.storage() == x.storage());
        Naive.forEachIndex(p.shape(), i -> assertEquals(x.get(i[1], i[2], i[0]), p.get(i)));
    }

    @Test
    void narrowSliceSelectAddressTheRightElements() {
        Tensor x = iota(5, 6);
        Tensor n = x.narrow(1, 2, 3);
        Naive.forEachIndex(n.shape(), i -> assertEquals(x.get(i[0], i[1] + 2), n.get(i)));
        Tensor s = x.slice(0, 1, 5, 2);
        assertArrayEquals(new int[] {2, 6}, s.shape());
        Naive.forEachIndex(s.shape(), i -> assertEquals(x.get(1 + 2 * i[0], i[1]), s.get(i)));
        Tensor neg = x.slice(1, -3, 6, 1);
        assertArrayEquals(new int[] {5, 3}, neg.shape());
        Tensor row = x.select(0, -1);
        assertArrayEquals(new int[] {6}, row.shape());
        assertEquals(x.get(4, 5), row.get(5));
    }

    @Test
    void expandBroadcastsWithZeroStrides() {
        Tensor x = iota(3, 1);
        Tensor e = x.expand(2, 3, 4);
        assertArrayEquals(new int[] {2, 3, 4}, e.shape());
        assertArrayEquals(new int[] {0, 1, 0}, e.strides());
        Naive.forEachIndex(e.shape(), i -> assertEquals(x.get(i[1], 0), e.get(i)));
        assertThrows(ShapeException.class, () -> x.expand(2, 1));
    }

    @Test
    void squeezeAndUnsqueeze() {
        Tensor x = iota(2, 1, 3);
        assertArrayEquals(new int[] {2, 3}, x.squeeze().shape());
        assertArrayEquals(new int[] {2, 3}, x.squeeze(1).shape());
        assertArrayEquals(new int[] {2, 1, 3, 1}, x.unsqueeze(-1).shape());
        assertArrayEquals(new int[] {1, 2, 1, 3}, x.unsqueeze(0).shape());
        ShapeException e = assertThrows(ShapeException.class, () -> x.squeeze(0));
        assertTrue(e.getMessage().contains("squeeze") && e.getMessage().contains("[2, 1, 3]"), e.getMessage());
    }

    @Test
    void reshapeIsAViewWhenStridesAllowAndACopyOtherwise() {
        Tensor x = iota(4, 6);
        Tensor cols = x.narrow(1, 0, 3); // [4, 3] with row stride 6
        Tensor split = cols.reshape(4, 3, 1);
        assertTrue(split.storage() == x.storage(), "splitting an axis keeps the view");
        Tensor merged = x.permute(1, 0).reshape(24);
        assertFalse(merged.storage() == x.storage(), "merging transposed axes must copy");
        assertArrayEquals(x.permute(1, 0).contiguous().toFloatArray(), merged.toFloatArray());
        assertThrows(ShapeException.class, () -> x.permute(1, 0).viewAs(24));
        assertArrayEquals(new int[] {2, 12}, x.reshape(2, -1).shape());
        ShapeException e = assertThrows(ShapeException.class, () -> x.reshape(5, -1));
        assertTrue(e.getMessage().contains("[4, 6]"), e.getMessage());
    }

    @Test
    void reshapeOfRandomViewsKeepsRowMajorOrder() {
        TestData data = new TestData(7);
        for (int trial = 0; trial < 30; trial++) {
            Tensor t = data.uniform(-1, 1, data.shape(3));
            for (Tensor layout : TestData.layouts(t)) {
                Tensor flat = layout.reshape(-1);
                assertArrayEquals(t.toFloatArray(), flat.toFloatArray());
                int[] s = t.shape();
                Tensor merged = layout.reshape(s[0] * s[1], s[2]);
                assertArrayEquals(t.toFloatArray(), merged.toFloatArray());
            }
        }
    }

    @Test
    void contiguousCopiesOnlyWhenNeeded() {
        Tensor x = iota(3, 4);
        assertTrue(x.contiguous().storage() == x.storage());
        Tensor t = x.t().contiguous();
        assertTrue(t.isContiguous());
        assertFalse(t.storage() == x.storage());
        Naive.forEachIndex(t.shape(), i -> assertEquals(x.get(i[1], i[0]), t.get(i)));
    }

    @Test
    void writesThroughAViewAreSeenByTheBase() {
        Tensor x = Tensor.zeros(3, 4);
        x.narrow(1, 1, 2).fill(5f);
        x.select(0, 2).copyFrom(Tensor.of(new float[] {1, 2, 3, 4}));
        assertArrayEquals(new float[] {0, 5, 5, 0, 0, 5, 5, 0, 1, 2, 3, 4}, x.toFloatArray());
    }

    @Test
    void badAxesAndRangesNameTheOpAndShape() {
        Tensor x = iota(2, 3);
        ShapeException axis = assertThrows(ShapeException.class, () -> x.permute(0, 0));
        assertTrue(axis.getMessage().startsWith("permute"), axis.getMessage());
        ShapeException range = assertThrows(ShapeException.class, () -> x.narrow(1, 2, 2));
        assertTrue(range.getMessage().contains("narrow") && range.getMessage().contains("[2, 3]"));
        assertThrows(IndexOutOfBoundsException.class, () -> x.select(0, 2));
        assertThrows(ShapeException.class, () -> x.dim(2));
    }

    @Test
    void scalarsAndEmptyTensors() {
        Tensor s = Tensor.scalar(3f);
        assertEquals(0, s.rank());
        assertEquals(3f, s.item());
        assertArrayEquals(new int[] {1, 1}, s.reshape(1, 1).shape());
        Tensor empty = Tensor.zeros(0, 3);
        assertEquals(0, empty.numel());
        assertArrayEquals(new int[] {3, 0}, empty.t().shape());
        assertEquals(0, empty.reshape(3, 0).numel());
    }

    @Test
    void intTensorsConvertAndIndex() {
        Tensor ids = Tensor.ofInts(new int[] {3, -1, 7}, 3);
        assertEquals(DType.INT32, ids.dtype());
        assertArrayEquals(new float[] {3, -1, 7}, ids.toFloatArray());
        assertArrayEquals(new int[] {2, -1}, Tensor.of(new float[] {2.9f, -1.5f}).toInt().toIntArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ids.add(ids));
        assertTrue(e.getMessage().contains("int32"), e.getMessage());
    }
}
