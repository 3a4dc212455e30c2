package org.kmerl.tensor.backend;

import java.util.Optional;
import org.kmerl.tensor.Device;
import org.kmerl.tensor.MemoryStats;

/**
 * What a device must provide for tensors to run on it. Ops validate shapes, broadcast and allocate
 * outputs before they call in here, so every kernel receives well-formed arguments; each family of
 * kernels is a small interface of its own (memory, elementwise, reductions, ...), so that a backend
 * can be read, tested and benchmarked one family at a time.
 *
 * <p>The CPU backend ({@code org.kmerl.tensor.cpu}) is the reference. Other backends plug in through
 * {@link BackendProvider} and {@link java.util.ServiceLoader}.
 */
public interface Backend {
    Device device();

    /** One line for {@code kmerl devices}: what runs the kernels and how wide/parallel it is. */
    String describe();

    MemoryStats memoryStats();

    MemoryKernels memory();

    ElementwiseKernels elementwise();

    ReductionKernels reductions();

    MatmulKernels matmul();

    IndexKernels indexing();

    NormalizationKernels normalization();

    AttentionKernels attention();

    LossKernels losses();

    OptimizerKernels optimizers();

    RandomKernels random();

    /** The device's FP32 FLOP/s, for "% of peak" (a datasheet's, or the CPU backend's estimate); NaN when unknown. */
    default double peakFlopsPerSecond() {
        return Double.NaN;
    }

    /** The device's memory bandwidth in bytes/s (a datasheet's, or the CPU backend's measured copy); NaN when unknown. */
    default double peakBytesPerSecond() {
        return Double.NaN;
    }

    /** A new clock of device time for the calling thread (tracing); empty where host time is device time (the CPU). */
    default Optional<DeviceClock> newDeviceClock() {
        return Optional.empty();
    }

    /** Waits until every kernel issued so far has finished (asynchronous devices); the CPU's kernels already have. */
    default void synchronize() {
    }
}
