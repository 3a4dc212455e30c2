package org.kmerl.kernels.ops;

import org.kmerl.kernels.runtime.CudaStorage;
import org.kmerl.kernels.runtime.Grid;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.backend.IndexKernels;

/**
 * Gathers and scatters (indexing.cu). index_select is a gather whose index varies along the axis only;
 * index_add is a scatter_add likewise. Scatters walk whole lines per thread, so they need no atomics.
 */
public final class CudaIndexing implements IndexKernels {
    private static final String MODULE = "indexing";
    private final DeviceKernels kernels;

    public CudaIndexing(DeviceKernels kernels) {
        this.kernels = kernels;
    }

    private static int[] withoutAxis(int[] strides, int axis) {
        int[] s = strides.clone();
        s[axis] = 0;
        return s;
    }

    /** Strides of a 1-D index seen over an n-D space: its own stride on {@code axis}, 0 elsewhere. */
    private static int[] alongAxis(Tensor index, int rank, int axis) {
        int[] s = new int[rank];
        s[axis] = index.stride(0);
        return s;
    }

    private void gather(Tensor x, int axis, int[] indexStrides, Tensor index, Tensor out) {
        Layout l = Layout.of(out.shape(), new int[][] {out.strides(), withoutAxis(x.strides(), axis), indexStrides},
                new int[] {out.offset(), x.offset(), index.offset()});
        kernels.kernel(MODULE, "kmerl_gather").launch(Grid.linear(l.numel(), DeviceKernels.THREADS), l.numel(), l.dims(),
                CudaStorage.base(out), l.strides(0), CudaStorage.base(x), l.strides(1), x.stride(axis),
                CudaStorage.base(index), l.strides(2));
    }

    @Override
    public void gather(Tensor x, int axis, Tensor index, Tensor out) {
        gather(x, axis, index.strides(), index, out);
    }

    @Override
    public void indexSelect(Tensor x, int axis, Tensor index, Tensor out) {
        gather(x, axis, alongAxis(index, out.rank(), axis), index, out);
    }

    /** dst[.., index(line, j), ..] += src[.., j, ..] for every line of {@code space} along {@code axis}. */
    private void scatterLines(Tensor dst, int axis, int[] space, int[] indexStrides, int indexAxisStride,
                              Tensor index, Tensor src) {
        int[] lineShape = space.clone();
        int length = lineShape[axis];
        lineShape[axis] = 1;
        Layout l = Layout.of(lineShape, new int[][] {dst.strides(), src.strides(), indexStrides},
                new int[] {dst.offset(), src.offset(), index.offset()});
        kernels.kernel(MODULE, "kmerl_scatter_add_lines").launch(Grid.linear(l.numel(), DeviceKernels.THREADS),
                l.numel(), l.dims(), length, CudaStorage.base(dst), l.strides(0), dst.stride(axis),
                CudaStorage.base(src), l.strides(1), src.stride(axis), CudaStorage.base(index), l.strides(2),
                indexAxisStride);
    }

    @Override
    public void scatterAdd(Tensor dst, int axis, Tensor index, Tensor src) {
        scatterLines(dst, axis, index.shape(), index.strides(), index.stride(axis), index, src);
    }

    @Override
    public void indexAdd(Tensor dst, int axis, Tensor index, Tensor src) {
        scatterLines(dst, axis, src.shape(), new int[src.rank()], index.stride(0), index, src);
    }
}
