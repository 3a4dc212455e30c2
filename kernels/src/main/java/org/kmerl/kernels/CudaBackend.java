package org.kmerl.kernels;

import java.util.Optional;
import org.kmerl.kernels.ops.CublasGemm;
import org.kmerl.kernels.ops.CudaAttention;
import org.kmerl.kernels.ops.CudaElementwise;
import org.kmerl.kernels.ops.CudaIndexing;
import org.kmerl.kernels.ops.CudaLosses;
import org.kmerl.kernels.ops.CudaMatmul;
import org.kmerl.kernels.ops.CudaMemory;
import org.kmerl.kernels.ops.CudaNormalization;
import org.kmerl.kernels.ops.CudaOptimizers;
import org.kmerl.kernels.ops.CudaRandom;
import org.kmerl.kernels.ops.CudaReductions;
import org.kmerl.kernels.ops.DeviceKernels;
import org.kmerl.kernels.runtime.CachingAllocator;
import org.kmerl.kernels.runtime.CudaContext;
import org.kmerl.kernels.runtime.CudaTimer;
import org.kmerl.kernels.runtime.DevicePeak;
import org.kmerl.kernels.runtime.Kernel;
import org.kmerl.kernels.runtime.PtxLibrary;
import org.kmerl.tensor.Device;
import org.kmerl.tensor.MemoryStats;
import org.kmerl.tensor.backend.AttentionKernels;
import org.kmerl.tensor.backend.DeviceClock;
import org.kmerl.tensor.backend.Backend;
import org.kmerl.tensor.backend.ElementwiseKernels;
import org.kmerl.tensor.backend.IndexKernels;
import org.kmerl.tensor.backend.LossKernels;
import org.kmerl.tensor.backend.MatmulKernels;
import org.kmerl.tensor.backend.MemoryKernels;
import org.kmerl.tensor.backend.NormalizationKernels;
import org.kmerl.tensor.backend.OptimizerKernels;
import org.kmerl.tensor.backend.RandomKernels;
import org.kmerl.tensor.backend.ReductionKernels;

/**
 * The CUDA backend: hand-written kernels (kernels/src/main/cuda, one file per op family) launched through
 * JCuda's driver API on one device's primary context, all on one stream, with a caching allocator.
 * Every kernel family mirrors the CPU backend's and is tested against it.
 */
public final class CudaBackend implements Backend {
    private final Device device;
    private final CudaContext context;
    private final MemoryStats stats = new MemoryStats();
    private final CachingAllocator allocator;
    private final PtxLibrary library;
    private final KernelRegistry registry = new KernelRegistry();
    private final CublasGemm cublas;
    private final CudaMemory memory;
    private final CudaElementwise elementwise;
    private final CudaReductions reductions;
    private final CudaMatmul matmul;
    private final CudaIndexing indexing;
    private final CudaNormalization normalization;
    private final CudaAttention attention;
    private final CudaLosses losses;
    private final CudaOptimizers optimizers;
    private final CudaRandom random;

    CudaBackend(int index) {
        this.device = Device.cuda(index);
        this.context = new CudaContext(index);
        this.allocator = new CachingAllocator(context, stats);
        this.library = new PtxLibrary(context);
        DeviceKernels kernels = new DeviceKernels(context, library, registry);
        this.cublas = new CublasGemm(context);
        this.memory = new CudaMemory(this, allocator, kernels);
        this.elementwise = new CudaElementwise(kernels);
        this.reductions = new CudaReductions(kernels);
        this.matmul = new CudaMatmul(kernels, cublas);
        this.indexing = new CudaIndexing(kernels);
        this.normalization = new CudaNormalization(kernels);
        this.attention = new CudaAttention(kernels, matmul);
        this.losses = new CudaLosses(kernels, matmul);
        this.optimizers = new CudaOptimizers(kernels);
        this.random = new CudaRandom(kernels);
    }

    @Override
    public double peakFlopsPerSecond() {
        return DevicePeak.of(context.name()).flopsPerSecond();
    }

    @Override
    public double peakBytesPerSecond() {
        return DevicePeak.of(context.name()).bytesPerSecond();
    }

    /** CUDA events around each traced op: its span is device time, without the host's synchronisation. */
    @Override
    public Optional<DeviceClock> newDeviceClock() {
        return Optional.of(new CudaTimer(context));
    }

    @Override
    public void synchronize() {
        context.synchronize();
    }

    public CudaContext context() {
        return context;
    }

    public KernelRegistry registry() {
        return registry;
    }

    /** One kernel by module and entry-point name (kernel lab, tests). */
    public Kernel kernel(String module, String name) {
        return library.kernel(module, name);
    }

    public CachingAllocator allocator() {
        return allocator;
    }

    /** Why cuBLAS is not used, or null when it is. */
    public String cublasReason() {
        return cublas.reason();
    }

    @Override
    public Device device() {
        return device;
    }

    @Override
    public String describe() {
        return context.name() + " (compute " + context.computeCapability() + ", " + context.multiprocessors()
                + " SMs), hand-written PTX kernels, GEMM: "
                + (cublas.available() ? "cuBLAS (own kernels selectable)" : "own kernels (" + cublas.reason() + ")");
    }

    @Override
    public MemoryStats memoryStats() {
        return stats;
    }

    @Override
    public CudaMemory memory() {
        return memory;
    }

    @Override
    public ElementwiseKernels elementwise() {
        return elementwise;
    }

    @Override
    public ReductionKernels reductions() {
        return reductions;
    }

    @Override
    public MatmulKernels matmul() {
        return matmul;
    }

    @Override
    public IndexKernels indexing() {
        return indexing;
    }

    @Override
    public NormalizationKernels normalization() {
        return normalization;
    }

    @Override
    public AttentionKernels attention() {
        return attention;
    }

    @Override
    public LossKernels losses() {
        return losses;
    }

    @Override
    public OptimizerKernels optimizers() {
        return optimizers;
    }

    @Override
    public RandomKernels random() {
        return random;
    }
}
