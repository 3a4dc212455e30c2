package org.kmerl.kernels.ops;

import org.kmerl.kernels.runtime.CudaStorage;
import org.kmerl.kernels.runtime.Grid;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.backend.IndexKernels;

/**
 * Gathers and scatters (indexing.cu). index_select is a gather whose index varies along the axis only;
 * index_add is a scatter_add likewise. Scatters walk whole lines per thread, so they need no atomics; with
 * few lines (an embedding table's gradient) index_add v2 gives each line several threads, one per range
 * of the destination axis, and each block compacts the index to the positions in its range first.
 * scatter_add (an index per line) always takes v1.
 */
public final class CudaIndexing implements IndexKernels {
    private static final String MODULE = "indexing";
    /**
     * Threads index_add v2 aims for: 4096 warps, about 31 per SM on an H100/H200. More ranges cost only
     * one more read of the index per block, and leave each thread fewer positions to add in sequence.
     */
    private static final int V2_THREADS = 1 << 17;
    /** Threads of an index_add v2 block: the lines that share one staged chunk of the index (kernel: 256). */
    private static final int V2_BLOCK = 256;
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
                              Tensor index, Tensor src, boolean vectorIndex) {
        int[] lineShape = space.clone();
        int length = lineShape[axis];
        lineShape[axis] = 1;
        Layout l = Layout.of(lineShape, new int[][] {dst.strides(), src.strides(), indexStrides},
                new int[] {dst.offset(), src.offset(), index.offset()});
        int lines = l.numel();
        int parts = vectorIndex ? parts(lines, length, dst.dim(axis)) : 1;
        if (parts == 1) {
            kernels.kernel(MODULE, "kmerl_scatter_add_lines").launch(Grid.linear(lines, DeviceKernels.THREADS),
                    lines, l.dims(), length, CudaStorage.base(dst), l.strides(0), dst.stride(axis),
                    CudaStorage.base(src), l.strides(1), src.stride(axis), CudaStorage.base(index), l.strides(2),
                    indexAxisStride);
            return;
        }
        kernels.kernel(MODULE, "kmerl_index_add_v2_ranges").launch(
                Grid.of((lines + V2_BLOCK - 1) / V2_BLOCK, parts, 1, V2_BLOCK, 1), lines, l.dims(), length,
                dst.dim(axis), CudaStorage.base(dst), l.strides(0), dst.stride(axis), CudaStorage.base(src),
                l.strides(1), src.stride(axis), CudaStorage.base(index), index.offset(), indexAxisStride);
    }

    /**
     * Destination ranges per line: v1 is one. v2 (the default when the lines are too few to fill the GPU
     * and long enough to pay for the staging) splits the destination axis so that lines x ranges reach
     * {@link #V2_THREADS}, each range at least one row; every block reads the whole index once.
     */
    private int parts(int lines, int length, int axisSize) {
        String variant = kernels.registry().forced("index_add").orElse(lines >= V2_THREADS || length < 64 ? "v1" : "v2");
        if (variant.equals("v1") || lines == 0) {
            return 1;
        }
        long wanted = Math.max(2, (V2_THREADS + lines - 1) / lines);
        return (int) Math.max(1, Math.min(Math.min(wanted, axisSize), 65_535));
    }

    @Override
    public void scatterAdd(Tensor dst, int axis, Tensor index, Tensor src) {
        scatterLines(dst, axis, index.shape(), index.strides(), index.stride(axis), index, src, false);
    }

    @Override
    public void indexAdd(Tensor dst, int axis, Tensor index, Tensor src) {
        scatterLines(dst, axis, src.shape(), new int[src.rank()], index.stride(0), index, src, true);
    }
}
