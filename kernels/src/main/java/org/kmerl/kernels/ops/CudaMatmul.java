package org.kmerl.kernels.ops;

import java.util.Arrays;
import org.kmerl.kernels.runtime.CudaStorage;
import org.kmerl.kernels.runtime.Grid;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.backend.MatmulKernels;

/**
 * Batched matrix products (gemm.cu, and cuBLAS when it loads). Operands keep their strides: a transposed
 * operand costs nothing but slower loads in the strided variants; v4 takes row-major aligned operands.
 * Default: cuBLAS if present, else v5 where its operand rules hold, else v3 for large and v2 for small
 * products (the order measured on an H200, benchmarks/RESULTS.md).
 */
public final class CudaMatmul implements MatmulKernels {
    private static final String MODULE = "gemm";
    private final DeviceKernels kernels;
    private final CublasGemm cublas;

    public CudaMatmul(DeviceKernels kernels, CublasGemm cublas) {
        this.kernels = kernels;
        this.cublas = cublas;
    }

    @Override
    public void matmul(Tensor a, Tensor b, Tensor out) {
        gemm(a, b, out, null);
    }

    @Override
    public void addmm(Tensor bias, Tensor a, Tensor b, Tensor out) {
        if (bias.isContiguous()) {
            gemm(a, b, out, bias);
        } else {
            try (Tensor dense = bias.contiguous()) {
                gemm(a, b, out, dense);
            }
        }
    }

    /** out = a·b (+ bias over columns); out dense. */
    void gemm(Tensor a, Tensor b, Tensor out, Tensor bias) {
        CudaReductions.requireDense(out);
        GemmProblem p = GemmProblem.of(a, b, out);
        if (p.m() == 0 || p.n() == 0) {
            return;
        }
        if (p.k() == 0) {
            if (bias == null) {
                out.fill(0f);
            } else {
                out.copyFrom(bias.broadcastTo("addmm", out.shape()));
            }
            return;
        }
        String variant = kernels.registry().forced("gemm").orElseGet(() -> defaultVariant(p));
        if (variant.equals("v0")) {
            if (!cublas.available()) {
                throw new IllegalStateException("gemm=v0 (cuBLAS) was asked for, but " + cublas.reason());
            }
            cublas.gemm(p, a, b, out, bias);
            return;
        }
        if ((variant.equals("v4") || variant.equals("v5")) && !p.vectorizable()) {
            variant = "v3";   // the float4 variants' alignment rules do not hold for these operands
        }
        Object[] args = {p.m(), p.n(), p.k(), CudaStorage.base(a), a.offset(), p.sam(), p.sak(), CudaStorage.base(b),
                b.offset(), p.sbk(), p.sbn(), CudaStorage.at(out), CudaStorage.atOrNull(bias), p.batchStruct()};
        int batch = p.batch();
        switch (variant) {
            case "v1" -> kernels.kernel(MODULE, "kmerl_gemm_v1_naive")
                    .launch(Grid.of(ceil(p.n(), 16), ceil(p.m(), 16), batch, 16, 16), args);
            case "v2" -> kernels.kernel(MODULE, "kmerl_gemm_v2_smem_tiled")
                    .launch(Grid.of(ceil(p.n(), 32), ceil(p.m(), 32), batch, 32, 32), args);
            case "v3" -> kernels.kernel(MODULE, "kmerl_gemm_v3_register_tiled")
                    .launch(Grid.of(ceil(p.n(), 128), ceil(p.m(), 128), batch, 256, 1), args);
            case "v4" -> kernels.kernel(MODULE, "kmerl_gemm_v4_vectorized")
                    .launch(Grid.of(ceil(p.n(), 128), ceil(p.m(), 128), batch, 256, 1), args);
            case "v5" -> kernels.kernel(MODULE, "kmerl_gemm_v5_warp_tiled")
                    .launch(Grid.of(ceil(p.n(), 128), ceil(p.m(), 128), batch, 128, 1), args);
            default -> throw new IllegalArgumentException("unknown gemm variant " + variant);
        }
    }

    private String defaultVariant(GemmProblem p) {
        if (cublas.available() && cublas.supports(p)) {
            return "v0";
        }
        if ((long) p.m() * p.n() < 64L * 64L) {
            return "v2";
        }
        return p.vectorizable() ? "v5" : "v3";
    }

    private static int ceil(int n, int d) {
        return (n + d - 1) / d;
    }

    /** Sizes, strides and the batch layout of one product (batch axes merged where possible). */
    record GemmProblem(int m, int n, int k, int sam, int sak, int sbk, int sbn, Layout batchLayout, int aOffset,
                       int bOffset, int outOffset) {
        static GemmProblem of(Tensor a, Tensor b, Tensor out) {
            int r = a.rank();
            if (r < 2 || b.rank() != r || out.rank() != r) {
                throw new IllegalArgumentException("matmul operands must have the same rank >= 2, got "
                        + Arrays.toString(a.shape()) + ", " + Arrays.toString(b.shape()) + " -> " + Arrays.toString(out.shape()));
            }
            int[] batchShape = Arrays.copyOf(out.shape(), r - 2);
            Layout batch = Layout.of(batchShape,
                    new int[][] {Arrays.copyOf(a.strides(), r - 2), Arrays.copyOf(b.strides(), r - 2),
                            Arrays.copyOf(out.strides(), r - 2)}, new int[] {0, 0, 0});
            if (batch.numel() > 65_535) {
                throw new IllegalArgumentException("CUDA matmul takes at most 65535 matrices per call, got " + batch.numel());
            }
            return new GemmProblem(a.dim(r - 2), b.dim(r - 1), a.dim(r - 1), a.stride(r - 2), a.stride(r - 1),
                    b.stride(r - 2), b.stride(r - 1), batch, a.offset(), b.offset(), out.offset());
        }

        int batch() {
            return Math.max(1, batchLayout.numel());
        }

        org.kmerl.kernels.runtime.Struct batchStruct() {
            return org.kmerl.kernels.runtime.Struct.ofInts(1 + 3 * Layout.MAX_RANK).put(batchLayout.rank())
                    .put(batchLayout.sizes(), Layout.MAX_RANK).put(batchLayout.operandStrides(0), Layout.MAX_RANK)
                    .put(batchLayout.operandStrides(1), Layout.MAX_RANK);
        }

        /** v4's conditions: row-major A and B, and every float4 16-byte aligned and wholly in or out of range. */
        boolean vectorizable() {
            boolean ok = sak == 1 && sbn == 1 && k % 4 == 0 && n % 4 == 0 && sam % 4 == 0 && sbk % 4 == 0
                    && aOffset % 4 == 0 && bOffset % 4 == 0;
            for (int s : batchLayout.operandStrides(0)) {
                ok &= s % 4 == 0;
            }
            for (int s : batchLayout.operandStrides(1)) {
                ok &= s % 4 == 0;
            }
            return ok;
        }
    }
}
