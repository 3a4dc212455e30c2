package org.kmerl.kernels.ops;

import org.kmerl.kernels.runtime.CudaStorage;
import org.kmerl.kernels.runtime.Grid;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.backend.NormalizationKernels;

/**
 * Softmax and layer norm (normalization.cu) over the last axis of dense rows. Softmax along another
 * axis (or over a strided input) moves that axis last in a dense copy first and copies the result back.
 */
public final class CudaNormalization implements NormalizationKernels {
    private static final String MODULE = "normalization";
    private static final int WARPS = 4;
    private final DeviceKernels kernels;

    public CudaNormalization(DeviceKernels kernels) {
        this.kernels = kernels;
    }

    private boolean warpPerRow(String op) {
        return !kernels.registry().forced(op).map("v1"::equals).orElse(false);
    }

    /** float4 vectors per lane for a register-row kernel, or 0 when the rows do not qualify. */
    private static int registerRows(int c, Tensor... operands) {
        return float4sPerThread(c, 32, 8, operands);
    }

    /**
     * How many float4s each of {@code threads} threads holds of a row of {@code c} floats kept in registers
     * (a power of two, at most {@code most}); 0 where the row does not fit or the float4 loads do not apply
     * (c % 4 != 0, an operand not 16-byte aligned).
     */
    private static int float4sPerThread(int c, int threads, int most, Tensor... operands) {
        if (c % 4 != 0 || c > 4 * threads * most) {
            return 0;
        }
        for (Tensor t : operands) {
            if (t != null && t.offset() % 4 != 0) {
                return 0;
            }
        }
        int per = 1;
        while (4 * threads * per < c) {
            per *= 2;
        }
        return per;
    }

    private Grid rowsGrid(String op, int rows) {
        return warpPerRow(op) ? Grid.warpsPerRow(rows, WARPS) : Grid.linear(rows, 128);
    }

    @Override
    public void softmax(Tensor x, int axis, boolean log, Tensor out) {
        int last = x.rank() - 1;
        if (x.rank() == 0) {
            out.fill(log ? 0f : 1f);
            return;
        }
        if (axis == last && x.isContiguous() && out.isContiguous()) {
            softmaxRows(x, out, log);
            return;
        }
        try (Tensor moved = x.transpose(axis, last).contiguous();
             Tensor result = Tensor.empty(x.dtype(), x.device(), moved.shape())) {
            softmaxRows(moved, result, log);
            try (Tensor back = result.transpose(axis, last)) {
                out.copyFrom(back);
            }
        }
    }

    private void softmaxRows(Tensor x, Tensor out, boolean log) {
        int c = x.dim(-1);
        int rows = c == 0 ? 0 : x.numel() / c;
        int vpl = registerRows(c, x, out);
        String v = kernels.registry().forced("softmax").orElse(vpl > 0 ? "v4" : c > 1024 ? "v3" : "v2");
        if (v.equals("v4") && vpl == 0) {
            v = "v2";   // rows that do not fit the register kernel
        }
        int vpt = v.equals("v5") ? float4sPerThread(c, 256, 8, x, out) : 0;
        if (v.equals("v5") && vpt == 0) {
            v = "v3";   // rows that do not fit the block's registers
        }
        Object[] args = {rows, c, CudaStorage.at(x), CudaStorage.at(out), log};
        Grid blockPerRow = new Grid(Math.min(Math.max(rows, 1), 65_535), 1, 1, 256, 1, 1, 0);
        switch (v) {
            case "v4" -> kernels.kernel(MODULE, "kmerl_softmax_v4_register_rows_" + vpl)
                    .launch(Grid.warpsPerRow(rows, WARPS), args);
            case "v1" -> kernels.kernel(MODULE, "kmerl_softmax_v1_thread_per_row").launch(Grid.linear(rows, 128), args);
            case "v2" -> kernels.kernel(MODULE, "kmerl_softmax_v2_warp_per_row").launch(Grid.warpsPerRow(rows, WARPS), args);
            case "v3" -> kernels.kernel(MODULE, "kmerl_softmax_v3_block_per_row").launch(blockPerRow, args);
            case "v5" -> kernels.kernel(MODULE, "kmerl_softmax_v5_block_rows_" + vpt).launch(blockPerRow, args);
            default -> throw new IllegalArgumentException("unknown softmax variant " + v);
        }
    }

    @Override
    public void softmaxBackward(Tensor y, Tensor gradOut, int axis, boolean log, Tensor gradIn) {
        int last = y.rank() - 1;
        if (y.rank() == 0) {
            gradIn.fill(0f);
            return;
        }
        if (axis == last && y.isContiguous() && gradOut.isContiguous() && gradIn.isContiguous()) {
            softmaxBackwardRows(y, gradOut, gradIn, log);
            return;
        }
        try (Tensor ym = y.transpose(axis, last).contiguous();
             Tensor gm = gradOut.transpose(axis, last).contiguous();
             Tensor result = Tensor.empty(y.dtype(), y.device(), ym.shape())) {
            softmaxBackwardRows(ym, gm, result, log);
            try (Tensor back = result.transpose(axis, last)) {
                gradIn.copyFrom(back);
            }
        }
    }

    private void softmaxBackwardRows(Tensor y, Tensor g, Tensor gx, boolean log) {
        int c = y.dim(-1);
        int rows = c == 0 ? 0 : y.numel() / c;
        boolean thread = kernels.registry().forced("softmax").map("v1"::equals).orElse(false);   // v3 has no backward of its own
        String name = thread ? "kmerl_softmax_backward_v1_thread_per_row" : "kmerl_softmax_backward_v2_warp_per_row";
        kernels.kernel(MODULE, name).launch(thread ? Grid.linear(rows, 128) : Grid.warpsPerRow(rows, WARPS), rows, c, CudaStorage.at(y), CudaStorage.at(g),
                CudaStorage.at(gx), log);
    }

    @Override
    public void layerNormForward(Tensor x, Tensor weight, Tensor bias, float eps, Tensor y, Tensor mean, Tensor rstd) {
        int c = x.dim(-1);
        int rows = c == 0 ? 0 : x.numel() / c;
        int vpl = registerRows(c, x, weight, bias, y);
        String v = kernels.registry().forced("layernorm").orElse(vpl > 0 ? "v3" : "v2");
        String name = v.equals("v1") ? "kmerl_layernorm_v1_thread_per_row"
                : v.equals("v3") && vpl > 0 ? "kmerl_layernorm_v3_register_rows_" + vpl : "kmerl_layernorm_v2_warp_per_row";
        kernels.kernel(MODULE, name).launch(rowsGrid("layernorm", rows), rows, c, CudaStorage.at(x),
                CudaStorage.atOrNull(weight), CudaStorage.atOrNull(bias), eps, CudaStorage.at(y), CudaStorage.at(mean),
                CudaStorage.at(rstd));
    }

    @Override
    public void layerNormBackward(Tensor gradY, Tensor x, Tensor weight, Tensor mean, Tensor rstd, Tensor gradX,
                                  Tensor gradWeight, Tensor gradBias) {
        int c = x.dim(-1);
        int rows = c == 0 ? 0 : x.numel() / c;
        String name = warpPerRow("layernorm") ? "kmerl_layernorm_backward_v2_warp_per_row"
                : "kmerl_layernorm_backward_v1_thread_per_row";
        kernels.kernel(MODULE, name).launch(rowsGrid("layernorm", rows), rows, c, CudaStorage.at(gradY),
                CudaStorage.at(x), CudaStorage.atOrNull(weight), CudaStorage.at(mean), CudaStorage.at(rstd),
                CudaStorage.at(gradX));
        if (gradWeight != null || gradBias != null) {
            int rowsPerChunk = 64;
            int chunks = Math.max(1, (rows + rowsPerChunk - 1) / rowsPerChunk);
            try (Tensor partial = kernels.scratch(org.kmerl.tensor.DType.FLOAT32, chunks, 2, c)) {
                kernels.kernel(MODULE, "kmerl_layernorm_backward_params_partial")
                        .launch(Grid.linear(chunks * c, DeviceKernels.THREADS), rows, c, rowsPerChunk,
                                CudaStorage.at(gradY), CudaStorage.at(x), CudaStorage.at(mean), CudaStorage.at(rstd),
                                CudaStorage.at(partial));
                kernels.kernel(MODULE, "kmerl_layernorm_backward_params_finish")
                        .launch(Grid.linear(c, DeviceKernels.THREADS), chunks, c, CudaStorage.at(partial),
                                CudaStorage.atOrNull(gradWeight), CudaStorage.atOrNull(gradBias));
            }
        }
    }
}
