package org.kmerl.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.kmerl.tensor.testing.Naive;
import org.kmerl.tensor.testing.TensorAssert;
import org.kmerl.tensor.testing.TestData;

/** Matrix products against a triple loop: batched, broadcast, 1-D, transposed and strided operands. */
class MatmulTest {

    private static float[] reference(Tensor a, Tensor b) {
        // Promote, broadcast and loop.
        Tensor a2 = a.rank() == 1 ? a.unsqueeze(0) : a;
        Tensor b2 = b.rank() == 1 ? b.unsqueeze(1) : b;
        int[] sa = a2.shape();
        int[] sb = b2.shape();
        int m = sa[sa.length - 2];
        int k = sa[sa.length - 1];
        int n = sb[sb.length - 1];
        int[] batch = Shape.broadcast("ref", Arrays.copyOf(sa, sa.length - 2), Arrays.copyOf(sb, sb.length - 2));
        int batches = Shape.numel(batch);
        float[] out = new float[batches * m * n];
        Naive.forEachIndex(batch, bi -> {
            int ob = Naive.flat(batch, bi);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double acc = 0;
                    for (int p = 0; p < k; p++) {
                        acc += a2.get(index(bi, sa, i, p)) * b2.get(index(bi, sb, p, j));
                    }
                    out[(ob * m + i) * n + j] = (float) acc;
                }
            }
        });
        return out;
    }

    private static int[] index(int[] batchIndex, int[] shape, int row, int col) {
        int[] idx = new int[shape.length];
        int lead = batchIndex.length - (shape.length - 2);
        for (int d = 0; d < shape.length - 2; d++) {
            idx[d] = shape[d] == 1 ? 0 : batchIndex[d + lead];
        }
        idx[shape.length - 2] = row;
        idx[shape.length - 1] = col;
        return idx;
    }

    @Test
    void randomBatchedAndBroadcastProducts() {
        TestData data = new TestData(5);
        int[] sizes = {1, 3, 7, 16, 33};
        for (int trial = 0; trial < 30; trial++) {
            int m = sizes[data.random().nextInt(sizes.length)];
            int k = sizes[data.random().nextInt(sizes.length)];
            int n = sizes[data.random().nextInt(sizes.length)];
            int[] batch = data.shape(trial % 3);
            int[] batchB = data.broadcastable(batch);
            Tensor a = data.uniform(-1, 1, concat(batch, m, k));
            Tensor b = data.uniform(-1, 1, concat(batchB, k, n));
            float[] expected = reference(a, b);
            for (Tensor la : TestData.layouts(a)) {
                for (Tensor lb : TestData.layouts(b)) {
                    Tensor c = la.matmul(lb);
                    assertArrayEquals(concat(batch, m, n), c.shape());
                    TensorAssert.assertClose(expected, c, 1e-5, 1e-5, "matmul " + Arrays.toString(a.shape()) + " @ "
                            + Arrays.toString(b.shape()));
                }
            }
        }
    }

    @Test
    void addmmAddsTheBiasInsideTheProduct() {
        TestData data = new TestData(11);
        // Small ones run on one thread; 333 columns split by columns, 40 columns by rows.
        int[][] mkn = {{1, 1, 1}, {7, 13, 5}, {33, 16, 7}, {70, 200, 333}, {333, 200, 40}, {5, 0, 9}};
        for (int[] s : mkn) {
            Tensor a = data.uniform(-1, 1, s[0], s[1]);
            Tensor weight = data.uniform(-1, 1, s[2], s[1]);
            Tensor wideBias = data.uniform(-1, 1, 2 * s[2]);
            Tensor bias = wideBias.slice(0, 0, 2 * s[2], 2);    // strided
            float[] expected = reference(a, weight.t());
            float[] b = bias.toFloatArray();
            for (int i = 0; i < s[0]; i++) {
                for (int j = 0; j < s[2]; j++) {
                    expected[i * s[2] + j] += b[j];
                }
            }
            for (Tensor la : TestData.layouts(a)) {
                TensorAssert.assertClose(expected, MatmulOps.addmm(bias, la, weight.t()), 1e-5, 1e-5,
                        "addmm " + Arrays.toString(s));
                TensorAssert.assertClose(expected, MatmulOps.addmm(bias.contiguous(), la, weight.t().contiguous()),
                        1e-5, 1e-5, "addmm, contiguous operands " + Arrays.toString(s));
            }
        }
        ShapeException e = assertThrows(ShapeException.class,
                () -> MatmulOps.addmm(Tensor.zeros(4), Tensor.zeros(2, 3), Tensor.zeros(3, 5)));
        assertTrue(e.getMessage().contains("bias [n], got [2, 3], [3, 5] and [4]"), e.getMessage());
    }

    @Test
    void transposedOperandsNeedNoCopies() {
        TestData data = new TestData(9);
        Tensor a = data.uniform(-1, 1, 13, 7);
        Tensor b = data.uniform(-1, 1, 5, 7);
        TensorAssert.assertClose(reference(a, b.t()), a.matmul(b.t()), 1e-5, 1e-5, "a @ b^T");
        TensorAssert.assertClose(reference(b.t().t(), a.t()), b.matmul(a.t()), 1e-5, 1e-5, "b @ a^T");
        TensorAssert.assertClose(reference(a.t(), a), a.t().matmul(a), 1e-5, 1e-5, "a^T @ a");
    }

    @Test
    void vectorOperandsFollowNumPy() {
        Tensor m = Tensor.arange(6).reshape(2, 3);
        Tensor v = Tensor.of(new float[] {1, 0, -1});
        assertArrayEquals(new int[] {2}, m.matmul(v).shape());
        assertArrayEquals(new float[] {-2, -2}, m.matmul(v).toFloatArray());
        assertArrayEquals(new int[] {3}, Tensor.of(new float[] {1, 1}).matmul(m).shape());
        assertArrayEquals(new int[0], v.matmul(v).shape());
        assertArrayEquals(new int[] {4, 2}, Tensor.zeros(4, 2, 3).matmul(v).shape());
    }

    @Test
    void mismatchedInnerDimensionsAreReported() {
        ShapeException e = assertThrows(ShapeException.class, () -> Tensor.zeros(2, 3).matmul(Tensor.zeros(4, 5)));
        assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[4, 5]"), e.getMessage());
        assertThrows(ShapeException.class, () -> Tensor.zeros(2, 2, 3).matmul(Tensor.zeros(3, 3, 1)));
    }

    private static int[] concat(int[] batch, int r, int c) {
        int[] s = Arrays.copyOf(batch, batch.length + 2);
        s[batch.length] = r;
        s[batch.length + 1] = c;
        return s;
    }
}
