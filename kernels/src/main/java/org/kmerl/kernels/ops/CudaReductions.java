package org.kmerl.kernels.ops;

import org.kmerl.kernels.runtime.CudaStorage;
import org.kmerl.kernels.runtime.Grid;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.backend.ReduceOp;
import org.kmerl.tensor.backend.ReductionKernels;

/**
 * Reductions (reduction.cu). The input's axes split into kept axes (one output each, in out's dense
 * order) and reduced axes (walked per output); each side is merged into as few axes as possible.
 */
public final class CudaReductions implements ReductionKernels {
    private static final String MODULE = "reduction";
    private final DeviceKernels kernels;

    public CudaReductions(DeviceKernels kernels) {
        this.kernels = kernels;
    }

    @Override
    public void reduce(ReduceOp op, Tensor x, boolean[] axes, Tensor out) {
        requireDense(out);
        int rank = x.rank();
        int keptCount = 0;
        for (boolean a : axes) {
            keptCount += a ? 0 : 1;
        }
        int[] keptShape = new int[keptCount];
        int[] keptStrides = new int[keptCount];
        int[] reducedShape = new int[rank - keptCount];
        int[] reducedStrides = new int[rank - keptCount];
        for (int a = 0, k = 0, r = 0; a < rank; a++) {
            if (axes[a]) {
                reducedShape[r] = x.dim(a);
                reducedStrides[r++] = x.stride(a);
            } else {
                keptShape[k] = x.dim(a);
                keptStrides[k++] = x.stride(a);
            }
        }
        Layout kept = Layout.of(keptShape, new int[][] {keptStrides}, new int[] {x.offset()});
        Layout reduced = Layout.of(reducedShape, new int[][] {reducedStrides}, new int[] {0});
        int outputs = kept.numel();
        int count = reduced.numel();
        int sms = kernels.context().multiprocessors();
        boolean contiguous = reduced.rank() > 0 && reduced.operandStrides(0)[reduced.rank() - 1] == 1;
        // Column-like: the innermost kept axis is unit-stride, so 32 adjacent outputs are 32 adjacent floats.
        boolean columns = kept.rank() >= 1 && kept.operandStrides(0)[kept.rank() - 1] == 1;
        String auto;
        if (columns && kept.sizes()[kept.rank() - 1] >= 32 && count >= 64) {
            auto = "v5";   // column sums: adjacent outputs are adjacent in memory
        } else if (outputs < 2 * sms && count >= 16_384) {
            auto = "v4";   // few very long reductions: split each over many blocks
        } else if (contiguous && count >= 64) {
            auto = "v3";   // rows of a matrix: a warp reads each row coalesced
        } else if (count >= 1024 && outputs < 8 * sms) {
            auto = "v2";
        } else {
            auto = "v1";   // many outputs: adjacent threads read adjacent elements when the reduced axis is outer
        }
        String variant = kernels.registry().forced("reduce").orElse(auto);
        Object[] args = {OpCodes.of(op), outputs, kept.dims(), kept.strides(0), count, reduced.dims(),
                reduced.strides(0), CudaStorage.base(x), CudaStorage.at(out)};
        switch (variant) {
            case "v1" -> threadPerOutput(args, outputs);
            case "v2" -> blockPerOutput(args, outputs);
            case "v3" -> kernels.kernel(MODULE, "kmerl_reduce_v3_warp_per_output")
                    .launch(Grid.warpsPerRow(outputs, 8), args);
            case "v4" -> split(op, kept, reduced, x, out, outputs, count);
            case "v5" -> {
                if (columns) {
                    columns(args, outputs, count, sms);
                } else {   // v5 needs a unit-stride kept axis; other layouts take v1
                    threadPerOutput(args, outputs);
                }
            }
            default -> throw new IllegalArgumentException("unknown reduce variant " + variant);
        }
    }

    private void threadPerOutput(Object[] args, int outputs) {
        kernels.kernel(MODULE, "kmerl_reduce_v1_thread_per_output").launch(Grid.linear(outputs, DeviceKernels.THREADS), args);
    }

    private void blockPerOutput(Object[] args, int outputs) {
        kernels.kernel(MODULE, "kmerl_reduce_v2_block_per_output")
                .launch(new Grid(Math.min(Math.max(outputs, 1), 65_535), 1, 1, 256, 1, 1, 0), args);
    }

    /**
     * v5: blocks of 32 outputs x enough splits of the reduced elements to give every SM about four blocks
     * (each thread at least 8 elements), partials [splits, outputs], then v1 adds each output's splits in order.
     */
    private void columns(Object[] args, int outputs, int count, int sms) {
        int columnBlocks = (outputs + 31) / 32;
        int splits = Math.max(1, Math.min(Math.min(65_535, (4 * sms + columnBlocks - 1) / columnBlocks), count / 64));
        Object[] pass1 = java.util.Arrays.copyOf(args, args.length);
        try (Tensor partial = kernels.scratch(org.kmerl.tensor.DType.FLOAT32, splits, outputs)) {
            pass1[pass1.length - 1] = CudaStorage.at(partial);
            kernels.kernel(MODULE, "kmerl_reduce_v5_column_partials").launch(
                    new Grid(columnBlocks, splits, 1, 32, 8, 1, 0), pass1);
            Layout rows = Layout.of(new int[] {outputs}, new int[][] {{1}}, new int[] {0});
            Layout cols = Layout.of(new int[] {splits}, new int[][] {{outputs}}, new int[] {0});
            threadPerOutput(new Object[] {args[0], outputs, rows.dims(), rows.strides(0), splits, cols.dims(),
                    cols.strides(0), CudaStorage.base(partial), args[args.length - 1]}, outputs);
        }
    }

    /** v4: partials of chunks of each output (pass 1), then v2 over the partials (pass 2). */
    private void split(ReduceOp op, Layout kept, Layout reduced, Tensor x, Tensor out, int outputs, int count) {
        int chunk = 8192;
        int splits = Math.max(1, (count + chunk - 1) / chunk);
        if (outputs > 65_535 || splits > 65_535) {
            throw new IllegalArgumentException("reduce v4 takes at most 65535 outputs and chunks");
        }
        try (Tensor partial = kernels.scratch(org.kmerl.tensor.DType.FLOAT32, outputs, splits)) {
            kernels.kernel(MODULE, "kmerl_reduce_v4_split_partials").launch(new Grid(splits, outputs, 1, 256, 1, 1, 0),
                    OpCodes.of(op), outputs, kept.dims(), kept.strides(0), count, reduced.dims(), reduced.strides(0),
                    CudaStorage.base(x), CudaStorage.at(partial), splits, chunk);
            Layout rows = Layout.of(new int[] {outputs}, new int[][] {{splits}}, new int[] {0});
            Layout cols = Layout.of(new int[] {splits}, new int[][] {{1}}, new int[] {0});
            blockPerOutput(new Object[] {OpCodes.of(op), outputs, rows.dims(), rows.strides(0), splits, cols.dims(),
                    cols.strides(0), CudaStorage.base(partial), CudaStorage.at(out)}, outputs);
        }
    }

    @Override
    public void argmax(Tensor x, int axis, Tensor out) {
        int rank = x.rank();
        int[] keptShape = new int[rank - 1];
        int[] xs = new int[rank - 1];
        int[] os = new int[rank - 1];
        for (int a = 0, k = 0; a < rank; a++) {
            if (a != axis) {
                keptShape[k] = x.dim(a);
                xs[k] = x.stride(a);
                os[k++] = out.stride(a);
            }
        }
        Layout kept = Layout.of(keptShape, new int[][] {xs, os}, new int[] {x.offset(), out.offset()});
        kernels.kernel(MODULE, "kmerl_argmax").launch(Grid.linear(kept.numel(), DeviceKernels.THREADS),
                kept.numel(), kept.dims(), kept.strides(0), kept.strides(1), x.dim(axis), x.stride(axis),
                CudaStorage.base(x), CudaStorage.base(out));
    }

    static void requireDense(Tensor t) {
        if (!t.isContiguous()) {
            throw new IllegalArgumentException("CUDA kernel output must be dense, got strides "
                    + java.util.Arrays.toString(t.strides()) + " for shape " + java.util.Arrays.toString(t.shape()));
        }
    }
}
