package org.kmerl.benchmarks;

/**
 * The arithmetic and memory traffic of one benchmark invocation, so that a measured time becomes
 * GFLOP/s or GB/s. Byte counts follow the PyTorch peer's convention: the tensors an op must read
 * and write once (inputs and outputs), 4 bytes each; caches and recomputation are not counted.
 */
public record Work(double flops, double bytes) {
    public static Work flops(double flops) {
        return new Work(flops, 0);
    }

    public static Work bytes(double bytes) {
        return new Work(0, bytes);
    }

    /** The rate that describes this work: GFLOP/s for compute-bound, GB/s for memory-bound ops. */
    public String rate(double seconds) {
        return flops > 0
                ? String.format("%.1f GFLOP/s", flops / seconds / 1e9)
                : String.format("%.1f GB/s", bytes / seconds / 1e9);
    }
}
