package org.kmerl.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The CPU's "% of peak" yardsticks: the estimate from clock and vector width, the measured copy, the overrides. */
class CpuPeakTest {

    @Test
    void estimatesFlopsFromThreadsLanesAndClock() {
        double clock = CpuPeak.clockHz();
        double expected = CpuThreads.threads() * VectorSupport.floatLanes() * 2.0 * clock;
        assertEquals(expected, CpuPeak.flopsPerSecond(), expected * 1e-12 + 1e-9);
        if (java.nio.file.Files.isReadable(java.nio.file.Path.of("/proc/cpuinfo"))) {
            assertTrue(clock > 1e8 && clock < 1e10, "a clock between 0.1 and 10 GHz: " + clock);
        }
    }

    @Test
    void measuresACopyRate() {
        double rate = CpuPeak.bytesPerSecond();
        assertTrue(rate > 1e8 && rate < 1e13, "a memory copy rate between 0.1 GB/s and 10 TB/s: " + rate);
        assertEquals(rate, CpuPeak.bytesPerSecond(), "measured once per JVM");
    }

    @Test
    void datasheetFiguresOverrideBoth() {
        System.setProperty("kmerl.cpu.peakGflops", "123.5");
        System.setProperty("kmerl.cpu.peakGbps", "40");
        try {
            assertEquals(123.5e9, CpuPeak.flopsPerSecond());
            assertEquals(40e9, CpuPeak.bytesPerSecond());
            System.setProperty("kmerl.cpu.peakGbps", "fast");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, CpuPeak::bytesPerSecond);
            assertTrue(e.getMessage().contains("KMERL_CPU_PEAK_GBPS") && e.getMessage().contains("fast"), e.getMessage());
        } finally {
            System.clearProperty("kmerl.cpu.peakGflops");
            System.clearProperty("kmerl.cpu.peakGbps");
        }
    }
}
