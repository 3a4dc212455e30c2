package org.kmerl.benchmarks.gpu;

import static jcuda.jcudnn.JCudnn.cudnnCreate;
import static jcuda.jcudnn.JCudnn.cudnnCreateTensorDescriptor;
import static jcuda.jcudnn.JCudnn.cudnnDestroy;
import static jcuda.jcudnn.JCudnn.cudnnDestroyTensorDescriptor;
import static jcuda.jcudnn.JCudnn.cudnnSetTensor4dDescriptor;
import static jcuda.jcudnn.JCudnn.cudnnSoftmaxForward;

import java.util.Optional;
import jcuda.Pointer;
import jcuda.jcudnn.JCudnn;
import jcuda.jcudnn.cudnnDataType;
import jcuda.jcudnn.cudnnHandle;
import jcuda.jcudnn.cudnnSoftmaxAlgorithm;
import jcuda.jcudnn.cudnnSoftmaxMode;
import jcuda.jcudnn.cudnnTensorDescriptor;
import jcuda.jcudnn.cudnnTensorFormat;
import org.kmerl.kernels.runtime.CudaContext;
import org.kmerl.kernels.runtime.CudaStorage;
import org.kmerl.tensor.Tensor;

/**
 * cuDNN's row softmax through JCudnn 11.7: an optional extra peer of {@link GpuKernelBench}, never used by
 * the backend. It needs {@code libcudnn.so.8} (cuDNN 8, CUDA 11-12); where that does not load (CUDA 13
 * machines ship cuDNN 9 at most) {@link #open} says why and the benchmark goes on without it.
 */
final class CudnnSoftmax implements AutoCloseable {
    private final CudaContext context;
    private final cudnnHandle handle = new cudnnHandle();
    private final cudnnTensorDescriptor rows = new cudnnTensorDescriptor();
    private final Pointer one = Pointer.to(new float[] {1f});
    private final Pointer zero = Pointer.to(new float[] {0f});

    private CudnnSoftmax(CudaContext context) {
        this.context = context;
        context.bind();
        cudnnCreate(handle);
        cudnnCreateTensorDescriptor(rows);
    }

    /** The baseline, or why it cannot run here. */
    static Result open(CudaContext context) {
        try {
            JCudnn.setExceptionsEnabled(true);
            return new Result(Optional.of(new CudnnSoftmax(context)), "cuDNN " + JCudnn.cudnnGetVersion());
        } catch (Throwable e) {   // UnsatisfiedLinkError without libcudnn.so.8, CudaException from cuDNN itself
            return new Result(Optional.empty(), "cuDNN 8 not usable here (JCudnn 11.7 needs libcudnn.so.8): " + e);
        }
    }

    record Result(Optional<CudnnSoftmax> softmax, String description) {
    }

    /** out = softmax of each row of x [rows, cols] (both dense float32 on this context's device). */
    void forward(Tensor x, Tensor out) {
        context.bind();
        // A [rows, cols] matrix as N = rows instances of C = cols channels: MODE_INSTANCE normalises each row.
        cudnnSetTensor4dDescriptor(rows, cudnnTensorFormat.CUDNN_TENSOR_NCHW, cudnnDataType.CUDNN_DATA_FLOAT,
                x.dim(0), x.dim(1), 1, 1);
        cudnnSoftmaxForward(handle, cudnnSoftmaxAlgorithm.CUDNN_SOFTMAX_ACCURATE,
                cudnnSoftmaxMode.CUDNN_SOFTMAX_MODE_INSTANCE, one, rows, CudaStorage.at(x), zero, rows,
                CudaStorage.at(out));
    }

    @Override
    public void close() {
        context.bind();
        cudnnDestroyTensorDescriptor(rows);
        cudnnDestroy(handle);
    }
}
