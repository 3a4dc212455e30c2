package org.kmerl.kernels.runtime;

/**
 * Datasheet peaks of the cards we measure on, to turn a rate into "% of peak": HBM bandwidth and FP32
 * (non-tensor-core) throughput. Unknown cards get no percentage rather than a guessed one.
 */
public record DevicePeak(String card, double bytesPerSecond, double flopsPerSecond) {
    public static DevicePeak of(String deviceName) {
        String n = deviceName.toUpperCase();
        if (n.contains("H200")) {
            return new DevicePeak("H200 SXM", 4.8e12, 67e12);
        }
        if (n.contains("H100") && n.contains("PCIE")) {
            return new DevicePeak("H100 PCIe", 2.0e12, 51e12);
        }
        if (n.contains("H100")) {
            return new DevicePeak("H100 SXM", 3.35e12, 67e12);
        }
        if (n.contains("A100")) {
            return new DevicePeak("A100", 2.0e12, 19.5e12);
        }
        return new DevicePeak(deviceName, Double.NaN, Double.NaN);
    }

    /** "% of peak" of a measured rate: FLOP-bound when flops > 0, else bandwidth-bound; empty if the card is unknown. */
    public String percent(double flops, double bytes, double seconds) {
        double pct = flops > 0 ? flops / seconds / flopsPerSecond * 100 : bytes / seconds / bytesPerSecond * 100;
        return Double.isNaN(pct) ? "" : String.format("%.1f%%", pct);
    }
}
