package org.kmerl.tensor.cpu;

import org.kmerl.tensor.DType;
import org.kmerl.tensor.Shape;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.backend.IndexKernels;

/**
 * Reference gathers and scatters. Scatters run so that each destination element is updated by one
 * thread in source order, which keeps their float sums deterministic.
 */
final class CpuIndexing implements IndexKernels {

    @Override
    public void gather(Tensor x, int axis, Tensor index, Tensor out) {
        float[] xs = CpuStorage.floats(x);
        int[] is = CpuStorage.ints(index);
        float[] os = CpuStorage.floats(out);
        int size = x.dim(axis);
        int axisStride = x.stride(axis);
        // x is walked with the index's shape and a zero stride on the gathered axis; the index
        // value supplies the position along it.
        int[] xStrides = x.strides();
        xStrides[axis] = 0;
        StridedLoop loop = StridedLoop.over(index.shape(), new int[][] {index.strides(), out.strides(), xStrides},
                new int[] {index.offset(), out.offset(), x.offset()});
        int si = loop.innerStride(0);
        int so = loop.innerStride(1);
        int sx = loop.innerStride(2);
        loop.run((off, n) -> {
            for (int i = 0, p = off[0], o = off[1], q = off[2]; i < n; i++, p += si, o += so, q += sx) {
                os[o] = xs[q + checked("gather", is[p], size, axis) * axisStride];
            }
        });
    }

    @Override
    public void scatterAdd(Tensor dst, int axis, Tensor index, Tensor src) {
        float[] ds = CpuStorage.floats(dst);
        int[] is = CpuStorage.ints(index);
        float[] ss = CpuStorage.floats(src);
        int size = dst.dim(axis);
        int axisStride = dst.stride(axis);
        int[] dStrides = dst.strides();
        dStrides[axis] = 0;
        StridedLoop loop = StridedLoop.over(index.shape(), new int[][] {index.strides(), src.strides(), dStrides},
                new int[] {index.offset(), src.offset(), dst.offset()});
        int si = loop.innerStride(0);
        int ss2 = loop.innerStride(1);
        int sd = loop.innerStride(2);
        // Sequential: two index entries may name the same destination.
        loop.runRows(0, loop.rows(), (off, n) -> {
            for (int i = 0, p = off[0], s = off[1], d = off[2]; i < n; i++, p += si, s += ss2, d += sd) {
                ds[d + checked("scatterAdd", is[p], size, axis) * axisStride] += ss[s];
            }
        });
    }

    @Override
    public void indexSelect(Tensor x, int axis, Tensor index, Tensor out) {
        int[] is = CpuStorage.ints(index);
        int n = index.dim(0);
        int size = x.dim(axis);
        int si = index.stride(0);
        int[] slice = sliceShape(x.shape(), axis);
        int[] xSliceStrides = withoutAxis(x.strides(), axis);
        int[] oSliceStrides = withoutAxis(out.strides(), axis);
        int xAxisStride = x.stride(axis);
        int oAxisStride = out.stride(axis);
        boolean floats = x.dtype() == DType.FLOAT32;
        CpuThreads.parallelFor(n, Math.max(1, StridedLoop.PARALLEL_GRAIN / Math.max(1, Shape.numel(slice))), (s, e) -> {
            for (int i = s; i < e; i++) {
                int row = checked("indexSelect", is[index.offset() + i * si], size, axis);
                StridedLoop loop = StridedLoop.over(slice, new int[][] {xSliceStrides, oSliceStrides},
                        new int[] {x.offset() + row * xAxisStride, out.offset() + i * oAxisStride});
                int sx = loop.innerStride(0);
                int so = loop.innerStride(1);
                if (floats) {
                    float[] xs = CpuStorage.floats(x);
                    float[] os = CpuStorage.floats(out);
                    loop.runRows(0, loop.rows(), (off, len) -> {
                        for (int j = 0, p = off[0], o = off[1]; j < len; j++, p += sx, o += so) {
                            os[o] = xs[p];
                        }
                    });
                } else {
                    int[] xs = CpuStorage.ints(x);
                    int[] os = CpuStorage.ints(out);
                    loop.runRows(0, loop.rows(), (off, len) -> {
                        for (int j = 0, p = off[0], o = off[1]; j < len; j++, p += sx, o += so) {
                            os[o] = xs[p];
                        }
                    });
                }
            }
        });
    }

    @Override
    public void indexAdd(Tensor dst, int axis, Tensor index, Tensor src) {
        float[] ds = CpuStorage.floats(dst);
        float[] ss = CpuStorage.floats(src);
        int[] is = CpuStorage.ints(index);
        int n = index.dim(0);
        int size = dst.dim(axis);
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) {
            rows[i] = checked("indexAdd", is[index.offset() + i * index.stride(0)], size, axis);
        }
        // Offsets of every element of one slice, for destination and source.
        int[] slice = sliceShape(dst.shape(), axis);
        int sliceSize = Shape.numel(slice);
        int[] dOff = sliceOffsets(slice, withoutAxis(dst.strides(), axis), dst.offset());
        int[] sOff = sliceOffsets(slice, withoutAxis(src.strides(), axis), src.offset());
        int dAxis = dst.stride(axis);
        int sAxis = src.stride(axis);
        // Parallel over slice elements, sequential over the index: each destination element has
        // one writer and sums in index order.
        CpuThreads.parallelFor(sliceSize, Math.max(1, StridedLoop.PARALLEL_GRAIN / Math.max(1, n)), (s, e) -> {
            for (int i = 0; i < n; i++) {
                int d0 = rows[i] * dAxis;
                int s0 = i * sAxis;
                for (int j = s; j < e; j++) {
                    ds[dOff[j] + d0] += ss[sOff[j] + s0];
                }
            }
        });
    }

    private static int checked(String op, int value, int size, int axis) {
        if (value < 0 || value >= size) {
            throw new IndexOutOfBoundsException(op + ": index " + value + " is out of range for axis " + axis
                    + " of size " + size);
        }
        return value;
    }

    private static int[] sliceShape(int[] shape, int axis) {
        int[] s = shape.clone();
        s[axis] = 1;
        return s;
    }

    private static int[] withoutAxis(int[] strides, int axis) {
        int[] s = strides.clone();
        s[axis] = 0;
        return s;
    }

    private static int[] sliceOffsets(int[] slice, int[] strides, int base) {
        int[] offsets = new int[Shape.numel(slice)];
        StridedLoop loop = StridedLoop.over(slice, new int[][] {strides}, new int[] {base});
        int stride = loop.innerStride(0);
        int[] at = {0};
        loop.runRows(0, loop.rows(), (off, n) -> {
            for (int i = 0; i < n; i++) {
                offsets[at[0]++] = off[0] + i * stride;
            }
        });
        return offsets;
    }
}
