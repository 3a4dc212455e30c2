package org.kmerl.tensor.cpu;

import org.kmerl.tensor.Device;
import org.kmerl.tensor.MemoryStats;
import org.kmerl.tensor.backend.AttentionKernels;
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
 * The pure-Java backend. Each kernel family has a readable reference (plain loops, multithreaded
 * over output rows with {@link CpuThreads}) and, where it pays, a Vector API variant; {@link
 * CpuVariants} picks the fastest available unless told otherwise. Every other backend is tested
 * against the references.
 */
public final class CpuBackend implements Backend {
    private static final CpuBackend INSTANCE = new CpuBackend();

    private final MemoryStats stats = new MemoryStats();
    private final CpuMemory memory = new CpuMemory(this);
    private final ElementwiseKernels elementwise = CpuVariants.select(CpuVariants.elementwise());
    private final ReductionKernels reductions = CpuVariants.select(CpuVariants.reductions());
    private final CpuMatmul matmul = new CpuMatmul(CpuVariants.gemm());
    private final CpuIndexing indexing = new CpuIndexing();
    private final NormalizationKernels normalization = CpuVariants.select(CpuVariants.normalization());
    private final AttentionKernels attention = CpuVariants.select(CpuVariants.attention());
    private final LossKernels losses = CpuVariants.select(CpuVariants.losses());
    private final OptimizerKernels optimizers = CpuVariants.select(CpuVariants.optimizers());
    private final CpuRandom random = new CpuRandom();

    private CpuBackend() {
    }

    public static CpuBackend instance() {
        return INSTANCE;
    }

    @Override
    public Device device() {
        return Device.CPU;
    }

    @Override
    public String describe() {
        return "pure Java, " + CpuThreads.threads() + " threads, SIMD: " + VectorSupport.describe();
    }

    /** Estimated from the clock and vector width, or configured: {@link CpuPeak}. */
    @Override
    public double peakFlopsPerSecond() {
        return CpuPeak.flopsPerSecond();
    }

    /** A measured copy rate, or configured: {@link CpuPeak}. */
    @Override
    public double peakBytesPerSecond() {
        return CpuPeak.bytesPerSecond();
    }

    @Override
    public MemoryStats memoryStats() {
        return stats;
    }

    @Override
    public MemoryKernels memory() {
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
