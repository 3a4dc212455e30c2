package org.kmerl.kernels.ops;

import jcuda.Pointer;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;
import jcuda.jcublas.cublasOperation;
import org.kmerl.kernels.runtime.CudaContext;
import org.kmerl.kernels.runtime.CudaStorage;
import org.kmerl.tensor.Tensor;

/**
 * cuBLAS SGEMM through JCublas (gemm variant v0), used when {@code libcublas.so.12} and JCublas's JNI
 * library load. Row-major C = A·B is computed as the column-major product Cᵀ = Bᵀ·Aᵀ, so a row-major
 * operand is passed untransposed and a transposed view as 'T' with its other stride as leading dimension.
 * Strict FP32 (no TF32), to compare like with like against our own kernels.
 */
public final class CublasGemm {
    private final cublasHandle handle;
    private final String reason;

    public CublasGemm(CudaContext context) {
        cublasHandle h = null;
        String why = null;
        try {
            context.bind();
            JCublas2.setExceptionsEnabled(true);
            h = new cublasHandle();
            JCublas2.cublasCreate(h);
        } catch (Throwable t) {
            h = null;
            String message = String.valueOf(t.getMessage());
            why = message.contains("cublas") || t instanceof UnsatisfiedLinkError
                    ? "libcublas.so.12 (or JCublas's JNI library) could not be loaded"
                    : "cuBLAS did not start: " + message.lines().findFirst().orElse(message);
        }
        this.handle = h;
        this.reason = why;
    }

    public boolean available() {
        return handle != null;
    }

    /** Why cuBLAS is not available (null when it is). */
    public String reason() {
        return reason;
    }

    boolean supports(CudaMatmul.GemmProblem p) {
        return p.batchLayout().rank() <= 1 && leading(p.sam(), p.sak(), p.k()) > 0 && leading(p.sbk(), p.sbn(), p.n()) > 0;
    }

    /** The leading dimension of a row-major-or-transposed operand, or 0 when neither stride is 1. */
    private static int leading(int rowStride, int colStride, int cols) {
        if (colStride == 1) {
            return Math.max(rowStride, Math.max(1, cols));
        }
        if (rowStride == 1) {
            return Math.max(colStride, 1);
        }
        return 0;
    }

    /** out = a·b (+ bias), or out += a·b (+ bias) when {@code accumulate}: beta = 1 over out's old (or bias) values. */
    void gemm(CudaMatmul.GemmProblem p, Tensor a, Tensor b, Tensor out, Tensor bias, boolean accumulate) {
        if (!supports(p)) {
            throw new IllegalArgumentException("cuBLAS needs one unit stride per operand and one batch stride");
        }
        float beta = accumulate ? 1f : 0f;
        if (bias != null) {
            if (accumulate) {
                out.addInPlace(bias);
            } else {
                out.copyFrom(bias.broadcastTo("addmm", out.shape()));
            }
            beta = 1f;
        }
        boolean bRowMajor = p.sbn() == 1;
        boolean aRowMajor = p.sak() == 1;
        int ldb = bRowMajor ? Math.max(p.sbk(), Math.max(1, p.n())) : Math.max(p.sbn(), 1);
        int lda = aRowMajor ? Math.max(p.sam(), Math.max(1, p.k())) : Math.max(p.sak(), 1);
        long strideA = p.batchLayout().rank() == 0 ? 0 : p.batchLayout().operandStrides(0)[0];
        long strideB = p.batchLayout().rank() == 0 ? 0 : p.batchLayout().operandStrides(1)[0];
        JCublas2.cublasSgemmStridedBatched(handle,
                bRowMajor ? cublasOperation.CUBLAS_OP_N : cublasOperation.CUBLAS_OP_T,
                aRowMajor ? cublasOperation.CUBLAS_OP_N : cublasOperation.CUBLAS_OP_T,
                p.n(), p.m(), p.k(), Pointer.to(new float[] {1f}),
                CudaStorage.at(b), ldb, strideB, CudaStorage.at(a), lda, strideA,
                Pointer.to(new float[] {beta}), CudaStorage.at(out), p.n(), (long) p.m() * p.n(), p.batch());
    }
}
