package org.kmerl.kernels.ops;

import org.kmerl.kernels.runtime.CudaStorage;
import org.kmerl.kernels.runtime.Grid;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.backend.BinaryOp;
import org.kmerl.tensor.backend.ElementwiseKernels;
import org.kmerl.tensor.backend.UnaryOp;

/** Elementwise kernels (elementwise.cu): a dense fast path and a strided path for any layout. */
public final class CudaElementwise implements ElementwiseKernels {
    private static final String MODULE = "elementwise";
    private final DeviceKernels kernels;

    public CudaElementwise(DeviceKernels kernels) {
        this.kernels = kernels;
    }

    private static Grid grid(Layout l) {
        return Grid.linear(l.numel(), DeviceKernels.THREADS);
    }

    /** The dense kernel to use: "v3" (float4) when every operand starts 16-byte aligned, else "v2"; null if strided. */
    private String denseVariant(Layout l, Tensor... operands) {
        boolean aligned = true;
        for (Tensor t : operands) {
            aligned &= t.offset() % 4 == 0;
        }
        String auto = !l.dense() ? "v1" : aligned ? "v3" : "v2";
        String v = kernels.registry().forced("elementwise").orElse(auto);
        if (!l.dense() || (v.equals("v3") && !aligned)) {
            return l.dense() ? "v2" : null;
        }
        return v.equals("v1") ? null : v;
    }

    @Override
    public void unary(UnaryOp op, Tensor x, Tensor out) {
        Layout l = Layout.of(out.shape(), out, x);
        String dense = denseVariant(l, out, x);
        if (dense != null) {
            String name = dense.equals("v3") ? "kmerl_unary_contiguous_vec4" : "kmerl_unary_contiguous";
            Grid g = dense.equals("v3") ? Grid.linear(Math.max(1, l.numel() / 4), DeviceKernels.THREADS) : grid(l);
            kernels.kernel(MODULE, name).launch(g, OpCodes.of(op), l.numel(), CudaStorage.at(out), CudaStorage.at(x));
        } else {
            kernels.kernel(MODULE, "kmerl_unary_strided").launch(grid(l), OpCodes.of(op), l.numel(), l.dims(),
                    CudaStorage.base(out), l.strides(0), CudaStorage.base(x), l.strides(1));
        }
    }

    @Override
    public void unaryBackward(UnaryOp op, Tensor x, Tensor y, Tensor gradOut, Tensor gradIn) {
        Layout l = Layout.of(gradIn.shape(), gradIn, x, y, gradOut);
        if (denseVariant(l, gradIn, x, y, gradOut) != null) {
            kernels.kernel(MODULE, "kmerl_unary_backward_contiguous").launch(grid(l), OpCodes.of(op), l.numel(),
                    CudaStorage.at(gradIn), CudaStorage.at(x), CudaStorage.at(y), CudaStorage.at(gradOut));
            return;
        }
        kernels.kernel(MODULE, "kmerl_unary_backward_strided").launch(grid(l), OpCodes.of(op), l.numel(), l.dims(),
                CudaStorage.base(gradIn), l.strides(0), CudaStorage.base(x), l.strides(1), CudaStorage.base(y),
                l.strides(2), CudaStorage.base(gradOut), l.strides(3));
    }

    @Override
    public void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        Layout l = Layout.of(out.shape(), out, a, b);
        String dense = denseVariant(l, out, a, b);
        if (dense != null) {
            String name = dense.equals("v3") ? "kmerl_binary_contiguous_vec4" : "kmerl_binary_contiguous";
            Grid g = dense.equals("v3") ? Grid.linear(Math.max(1, l.numel() / 4), DeviceKernels.THREADS) : grid(l);
            kernels.kernel(MODULE, name).launch(g, OpCodes.of(op), l.numel(), CudaStorage.at(out), CudaStorage.at(a),
                    CudaStorage.at(b));
        } else {
            kernels.kernel(MODULE, "kmerl_binary_strided").launch(grid(l), OpCodes.of(op), l.numel(), l.dims(),
                    CudaStorage.base(out), l.strides(0), CudaStorage.base(a), l.strides(1), CudaStorage.base(b),
                    l.strides(2));
        }
    }

    @Override
    public void binaryScalar(BinaryOp op, Tensor a, float b, Tensor out) {
        Layout l = Layout.of(out.shape(), out, a);
        kernels.kernel(MODULE, "kmerl_binary_scalar_strided").launch(grid(l), OpCodes.of(op), l.numel(), l.dims(),
                CudaStorage.base(out), l.strides(0), CudaStorage.base(a), l.strides(1), b);
    }

    @Override
    public void clamp(Tensor x, float lo, float hi, Tensor out) {
        Layout l = Layout.of(out.shape(), out, x);
        kernels.kernel(MODULE, "kmerl_clamp_strided").launch(grid(l), l.numel(), l.dims(), CudaStorage.base(out),
                l.strides(0), CudaStorage.base(x), l.strides(1), lo, hi);
    }

    @Override
    public void where(Tensor cond, Tensor a, Tensor b, Tensor out) {
        Layout l = Layout.of(out.shape(), out, cond, a, b);
        kernels.kernel(MODULE, "kmerl_where_strided").launch(grid(l), l.numel(), l.dims(), CudaStorage.base(out),
                l.strides(0), CudaStorage.base(cond), l.strides(1), CudaStorage.base(a), l.strides(2),
                CudaStorage.base(b), l.strides(3));
    }
}
