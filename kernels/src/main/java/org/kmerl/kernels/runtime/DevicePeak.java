package org.kmerl.kernels.runtime;

/**
 * Datasheet peaks of the cards we measure on, to turn a rate into "% of peak": HBM bandwidth, FP32
 * (non-tensor-core) throughput, and dense TF32 tensor-core throughput (for GEMM v9, which rounds its inputs
 * to TF32; the datasheets' larger figures assume 2:4 sparsity). Unknown cards get no percentage rather than
 * a guessed one.
 */
public record DevicePeak(String card, double bytesPerSecond, double flopsPerSecond, double tf32FlopsPerSecond) {
    public static DevicePeak of(String deviceName) {
        String n = deviceName.toUpperCase();
        if (n.contains("H200")) {
            return new DevicePeak("H200 SXM", 4.8e12, 67e12, 494.7e12);
        }
        if (n.contains("H100") && n.contains("PCIE")) {
            return new DevicePeak("H100 PCIe", 2.0e12, 51e12, 378e12);
        }
        if (n.contains("H100")) {
            return new DevicePeak("H100 SXM", 3.35e12, 67e12, 494.7e12);
        }
        if (n.contains("A100")) {
            return new DevicePeak("A100", 2.0e12, 19.5e12, 156e12);
        }
        return new DevicePeak(deviceName, Double.NaN, Double.NaN, Double.NaN);
    }

    /** "% of peak" of a measured rate: FLOP-bound when flops > 0, else bandwidth-bound; empty if the card is unknown. */
    public String percent(double flops, double bytes, double seconds) {
        return percent(flops, bytes, seconds, false);
    }

    /** {@link #percent(double, double, double)}, of the TF32 tensor-core peak when {@code tf32}. */
    public String percent(double flops, double bytes, double seconds, boolean tf32) {
        double flopPeak = tf32 ? tf32FlopsPerSecond : flopsPerSecond;
        double pct = flops > 0 ? flops / seconds / flopPeak * 100 : bytes / seconds / bytesPerSecond * 100;
        return Double.isNaN(pct) ? "" : String.format("%.1f%%", pct);
    }
}
