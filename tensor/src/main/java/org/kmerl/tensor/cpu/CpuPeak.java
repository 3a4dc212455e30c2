package org.kmerl.tensor.cpu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What "% of peak" means on the CPU, which has no datasheet the backend could look up.
 *
 * <p>FLOP/s: the backend's threads x float lanes of the widest vector x 2 (a fused multiply-add) x
 * vector FMAs issued per cycle x the clock. The clock is {@code cpuinfo_max_freq} when the kernel
 * exposes it, else the fastest "cpu MHz" of {@code /proc/cpuinfo} (a virtual machine's nominal clock).
 * FMAs per cycle default to 1 of the widest vector, what AMD Zen 4 does with 512-bit vectors (two
 * 256-bit halves); Intel cores with two 512-bit FMA ports do 2: {@code -Dkmerl.cpu.fmaPerCycle=2}.
 *
 * <p>Bytes/s: the best of three parallel copies of 64 MB between two arrays, measured once per JVM
 * (about 0.1 s): what this machine's memory delivers, so ops on data that sits in cache can pass 100%.
 *
 * <p>{@code KMERL_CPU_PEAK_GFLOPS} / {@code KMERL_CPU_PEAK_GBPS} (or the system properties
 * {@code kmerl.cpu.peakGflops} / {@code kmerl.cpu.peakGbps}) replace either figure with a datasheet's.
 */
final class CpuPeak {
    private static final int COPY_FLOATS = 16 << 20;
    private static volatile double measuredBytesPerSecond = Double.NaN;

    private CpuPeak() {
    }

    static double flopsPerSecond() {
        Optional<Double> given = configured("kmerl.cpu.peakGflops", "KMERL_CPU_PEAK_GFLOPS");
        if (given.isPresent()) {
            return given.get() * 1e9;
        }
        double fmaPerCycle = Double.parseDouble(System.getProperty("kmerl.cpu.fmaPerCycle", "1"));
        return CpuThreads.threads() * VectorSupport.floatLanes() * 2.0 * fmaPerCycle * clockHz();
    }

    static double bytesPerSecond() {
        Optional<Double> given = configured("kmerl.cpu.peakGbps", "KMERL_CPU_PEAK_GBPS");
        if (given.isPresent()) {
            return given.get() * 1e9;
        }
        if (Double.isNaN(measuredBytesPerSecond)) {
            measuredBytesPerSecond = measureCopy();
        }
        return measuredBytesPerSecond;
    }

    /** The CPU's clock in Hz, NaN when neither source says. */
    static double clockHz() {
        try {
            Path max = Path.of("/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq");
            if (Files.isReadable(max)) {
                return Double.parseDouble(Files.readString(max).trim()) * 1e3;
            }
            Path info = Path.of("/proc/cpuinfo");
            if (Files.isReadable(info)) {
                return Files.readAllLines(info).stream().filter(l -> l.startsWith("cpu MHz"))
                        .mapToDouble(l -> Double.parseDouble(l.substring(l.indexOf(':') + 1).trim()) * 1e6)
                        .max().orElse(Double.NaN);
            }
        } catch (IOException | NumberFormatException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }

    private static Optional<Double> configured(String property, String env) {
        String text = System.getProperty(property, System.getenv(env));
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Double.parseDouble(text.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(env + " (or -D" + property + ") must be a number, got '" + text + "'");
        }
    }

    /** The copy rate in bytes/s, NaN when the two 64 MB arrays do not fit in this JVM's heap. */
    private static synchronized double measureCopy() {
        float[] from;
        float[] to;
        try {
            from = new float[COPY_FLOATS];
            to = new float[COPY_FLOATS];
        } catch (OutOfMemoryError e) {
            return Double.NaN;
        }
        java.util.Arrays.fill(from, 1f);
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 3; round++) {
            long t0 = System.nanoTime();
            CpuThreads.parallelFor(COPY_FLOATS, 1 << 18, (start, end) -> System.arraycopy(from, start, to, start, end - start));
            best = Math.min(best, System.nanoTime() - t0);
        }
        return 8.0 * COPY_FLOATS / (best / 1e9);
    }
}
