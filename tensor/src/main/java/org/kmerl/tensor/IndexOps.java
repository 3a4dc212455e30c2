package org.kmerl.tensor;

/**
 * Gathers and scatters along one axis with int32 indices (PyTorch semantics). Index values are
 * range-checked by the kernels, which throw {@link IndexOutOfBoundsException} naming the op, the
 * offending value and the axis size.
 */
public final class IndexOps {
    private IndexOps() {
    }

    /** {@code out[...][j][...] = x[...][index[...][j][...]][...]}; out has the index's shape. */
    public static Tensor gather(Tensor x, int axis, Tensor index) {
        int a = checkSameRankIndex("gather", x, axis, index);
        Tensor out = Tensor.empty(DType.FLOAT32, x.device(), index.shape());
        x.backend().indexing().gather(x, a, index, out);
        return out;
    }

    /** A copy of {@code dst} with {@code src} added at the positions of {@code index} along {@code axis}. */
    public static Tensor scatterAdd(Tensor dst, int axis, Tensor index, Tensor src) {
        int a = checkSameRankIndex("scatterAdd", dst, axis, index);
        if (!index.sameShape(src)) {
            throw new ShapeException("scatterAdd: index shape " + Shape.format(index.shape()) + " and source shape "
                    + Shape.format(src.shape()) + " differ");
        }
        Checks.sameDevice("scatterAdd", dst, src);
        Tensor out = dst.copy();
        dst.backend().indexing().scatterAdd(out, a, index, src);
        return out;
    }

    /** Slices of {@code x} along {@code axis} at the positions in the 1-D {@code index}. */
    public static Tensor indexSelect(Tensor x, int axis, Tensor index) {
        int a = checkVectorIndex("indexSelect", x, axis, index);
        int[] shape = x.shape();
        shape[a] = index.dim(0);
        Tensor out = Tensor.empty(x.dtype(), x.device(), shape);
        x.backend().indexing().indexSelect(x, a, index, out);
        return out;
    }

    /** A zero tensor of {@code shape} with slice i of {@code src} added at slice index[i] along {@code axis}. */
    public static Tensor indexAdd(int[] shape, int axis, Tensor index, Tensor src) {
        Tensor out = Tensor.zeros(DType.FLOAT32, src.device(), shape);
        int a = checkVectorIndex("indexAdd", out, axis, index);
        int[] expected = shape.clone();
        expected[a] = index.dim(0);
        Checks.shape("indexAdd", "source", src, expected);
        src.backend().indexing().indexAdd(out, a, index, src);
        return out;
    }

    private static int checkSameRankIndex(String op, Tensor x, int axis, Tensor index) {
        Checks.sameDevice(op, x, index);
        Checks.dtype(op, "index", index, DType.INT32);
        int a = Shape.normalizeAxis(op, axis, x.shape());
        if (index.rank() != x.rank()) {
            throw new ShapeException(op + ": index of shape " + Shape.format(index.shape())
                    + " must have the same rank as the input of shape " + Shape.format(x.shape()));
        }
        for (int d = 0; d < x.rank(); d++) {
            if (d != a && index.dim(d) > x.dim(d)) {
                throw new ShapeException(op + ": index shape " + Shape.format(index.shape())
                        + " exceeds input shape " + Shape.format(x.shape()) + " on axis " + d);
            }
        }
        return a;
    }

    private static int checkVectorIndex(String op, Tensor x, int axis, Tensor index) {
        Checks.sameDevice(op, x, index);
        Checks.dtype(op, "index", index, DType.INT32);
        Checks.rank(op, "index", index, 1);
        return Shape.normalizeAxis(op, axis, x.shape());
    }
}
