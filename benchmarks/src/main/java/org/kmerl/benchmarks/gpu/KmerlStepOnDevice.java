package org.kmerl.benchmarks.gpu;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.kmerl.benchmarks.KmerlStepBenchmark;
import org.kmerl.kernels.runtime.KernelProfile;
import org.kmerl.model.kmerl.SyntheticStep;
import org.kmerl.tensor.Device;

/**
 * {@link KmerlStepBenchmark}'s training step (small preset, batch 32, 3- and 12-lead batches) timed on
 * any device without JMH, for the GPU machine (device-check.sh). Each step ends with the loss read
 * back to the host, which waits for the device, so wall time per step is the device's time; the
 * median of the timed steps is printed with GFLOP/s, one JSON line per case, like
 * benchmarks/kmerl_step_peer.py --device cuda prints for PyTorch. Before timing, the first
 * {@value #PARITY_STEPS} steps run on the CPU and on the device from the same initialisation and
 * batch, and their losses are compared, so the timed model is known to compute the same thing. With
 * KMERL_CUDA_PROFILE=1 it also prints the device time per kernel of one step ({@link KernelProfile}).
 *
 * <pre>java ... org.kmerl.benchmarks.gpu.KmerlStepOnDevice cuda:0 [steps]</pre>
 */
public final class KmerlStepOnDevice {
    private static final int PARITY_STEPS = 3;
    /** Relative loss difference allowed after a few steps of float32 arithmetic in another order. */
    private static final double PARITY_TOLERANCE = 2e-3;
    /**
     * Untimed steps first: at least this many, and for at least {@link #WARMUP_NANOS}, so the JIT has compiled
     * the host side. The 3-lead step is bound by the host's launches, and with 5 warm-up steps alone its
     * median moved between 12 and 24 ms over runs of the same code on one H100 (the 12-lead step, timed
     * after it in the same JVM, by 1 ms).
     */
    private static final int WARMUP_STEPS = 5;
    private static final long WARMUP_NANOS = 2_000_000_000L;

    private KmerlStepOnDevice() {
    }

    public static void main(String[] args) {
        Locale.setDefault(Locale.ROOT);
        Device device = Device.parse(args.length > 0 ? args[0] : "cuda:0");
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        boolean agree = true;
        for (int leads : new int[] {3, 12}) {
            if (!device.equals(Device.CPU)) {
                agree &= checkAgainstCpu(device, leads);
            }
            KernelProfile.print(System.out, "parity and set-up, leads=" + leads, 1);
            SyntheticStep step = KmerlStepBenchmark.step(device, leads);
            List<Double> ms = new ArrayList<>();
            float loss = Float.NaN;
            int warm = 0;
            for (long start = System.nanoTime(); warm < WARMUP_STEPS || System.nanoTime() - start < WARMUP_NANOS; warm++) {
                loss = step.run();
            }
            KernelProfile.print(System.out, "warm-up steps, leads=" + leads, warm);
            for (int i = 0; i < steps; i++) {
                long t0 = System.nanoTime();
                loss = step.run();
                ms.add((System.nanoTime() - t0) / 1e6);
            }
            KernelProfile.print(System.out, "one training step, leads=" + leads, steps);
            double[] sorted = ms.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            double median = sorted[sorted.length / 2];
            double gflops = 3 * KmerlStepBenchmark.forwardFlops(leads) / (median / 1e3) / 1e9;
            System.out.printf("{\"name\": \"kmerl step leads=%d\", \"device\": \"%s\", \"median_ms\": %.3f, "
                    + "\"min_ms\": %.3f, \"gflops\": %.1f, \"loss\": %.6f, \"steps\": %d}%n", leads, device, median,
                    sorted[0], gflops, loss, sorted.length);
        }
        if (!agree) {
            System.exit(1);
        }
    }

    /** The first steps' losses on the CPU and on {@code device}, printed as one JSON line; true when they agree. */
    private static boolean checkAgainstCpu(Device device, int leads) {
        SyntheticStep cpu = KmerlStepBenchmark.step(Device.CPU, leads);
        SyntheticStep other = KmerlStepBenchmark.step(device, leads);
        double worst = 0;
        StringBuilder pairs = new StringBuilder();
        for (int i = 0; i < PARITY_STEPS; i++) {
            float a = cpu.run();
            float b = other.run();
            worst = Math.max(worst, Math.abs(a - b) / Math.max(1e-6, Math.abs(a)));
            pairs.append(i == 0 ? "" : ", ").append(String.format("[%.6f, %.6f]", a, b));
        }
        boolean ok = worst <= PARITY_TOLERANCE;
        System.out.printf("{\"name\": \"kmerl step parity leads=%d\", \"cpu_vs_%s_losses\": [%s], "
                + "\"max_rel_diff\": %.2e, \"ok\": %b}%n", leads, device, pairs, worst, ok);
        return ok;
    }
}
