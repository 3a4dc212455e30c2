package org.kmerl.kernels.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The iteration spaces the kernels receive (no GPU needed): merging, dropping axes for kernels that walk
 * them themselves (copy v2 rows, v3 tiles), and the int4 view of copy v2.
 */
class LayoutTest {

    /** A head split [B, T, H, D] -> [B, H, T, D]: destination dense, source with T and H swapped. */
    private static Layout headSplit(int b, int t, int h, int d, int srcOffset) {
        int[] shape = {b, h, t, d};
        int[] dst = {h * t * d, t * d, d, 1};
        int[] src = {t * h * d, d, h * d, 1};
        return Layout.of(shape, new int[][] {dst, src}, new int[] {0, srcOffset});
    }

    @Test
    void mergesOnlyAxesContiguousInEveryOperand() {
        Layout dense = Layout.of(new int[] {4, 5, 6}, new int[][] {{30, 6, 1}, {30, 6, 1}}, new int[] {0, 0});
        assertEquals(1, dense.rank());
        assertTrue(dense.dense());
        Layout split = headSplit(2, 7, 3, 64, 0);
        assertEquals(4, split.rank(), "B, H, T and D stay apart: D is the only axis unit-stride in both");
        assertArrayEquals(new int[] {2, 3, 7, 64}, split.sizes());
    }

    @Test
    void withoutDropsTheAxesAKernelWalksItself() {
        Layout split = headSplit(2, 7, 3, 64, 8);
        Layout rows = split.without(split.rank() - 1);   // copy v2: one row per (b, h, t)
        assertEquals(2 * 3 * 7, rows.numel());
        assertArrayEquals(new int[] {2, 3, 7}, rows.sizes());
        assertArrayEquals(new int[] {3 * 7 * 64, 7 * 64, 64}, rows.operandStrides(0));
        assertArrayEquals(new int[] {7 * 3 * 64, 64, 3 * 64}, rows.operandStrides(1));
        Layout transposed = Layout.of(new int[] {5, 40, 33}, new int[][] {{40 * 33, 33, 1}, {33 * 40, 1, 40}},
                new int[] {0, 3});
        Layout batch = transposed.without(1, 2);   // copy v3: the tile axes out, the batch axis left
        assertArrayEquals(new int[] {5}, batch.sizes());
        assertArrayEquals(new int[] {1320}, batch.operandStrides(1));
        Layout none = transposed.without(0, 1, 2);
        assertEquals(0, none.rank());
        assertEquals(1, none.numel(), "no axes left: one batch");
    }

    @Test
    void int4ViewNeedsOffsetsAndStridesInMultiplesOfFour() {
        Layout split = headSplit(2, 7, 3, 64, 0).without(3);
        assertTrue(split.divisibleBy(4));
        Layout units = split.dividedBy(4);
        assertArrayEquals(new int[] {3 * 7 * 16, 7 * 16, 16}, units.operandStrides(0));
        assertArrayEquals(new int[] {7 * 3 * 16, 16, 3 * 16}, units.operandStrides(1));
        assertEquals(split.numel(), units.numel());
        assertFalse(headSplit(2, 7, 3, 64, 1).without(3).divisibleBy(4), "an offset of 1 element");
        assertFalse(headSplit(2, 7, 3, 65, 0).without(3).divisibleBy(4), "rows of 65");
    }
}
