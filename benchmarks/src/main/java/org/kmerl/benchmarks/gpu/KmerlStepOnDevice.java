package org.kmerl.benchmarks.gpu;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.kmerl.benchmarks.KmerlStepBenchmark;
import org.kmerl.tensor.Device;

/**
 * {@link KmerlStepBenchmark}'s training step (small preset, batch 32, 3- and 12-lead batches) timed on
 * any device without JMH, for the GPU machine (device-check.sh). Each step ends with the loss read
 * back to the host, which waits for the device, so wall time per step is the device's time; the
 * median of the timed steps is printed with GFLOP/s, one JSON line per case, like
 * benchmarks/kmerl_step_peer.py --device cuda prints for PyTorch.
 *
 * <pre>java ... org.kmerl.benchmarks.gpu.KmerlStepOnDevice cuda:0 [steps]</pre>
 */
public final class KmerlStepOnDevice {
    private KmerlStepOnDevice() {
    }

    public static void main(String[] args) {
        Locale.setDefault(Locale.ROOT);
        Device device = Device.parse(args.length > 0 ? args[0] : "cuda:0");
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        for (int leads : new int[] {3, 12}) {
            KmerlStepBenchmark.Step step = KmerlStepBenchmark.Step.on(device, leads);
            List<Double> ms = new ArrayList<>();
            float loss = Float.NaN;
            for (int i = 0; i < 5 + steps; i++) {
                long t0 = System.nanoTime();
                loss = step.run();
                if (i >= 5) {
                    ms.add((System.nanoTime() - t0) / 1e6);
                }
            }
            double[] sorted = ms.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            double median = sorted[sorted.length / 2];
            double gflops = 3 * KmerlStepBenchmark.forwardFlops(leads) / (median / 1e3) / 1e9;
            System.out.printf("{\"name\": \"kmerl step leads=%d\", \"device\": \"%s\", \"median_ms\": %.3f, "
                    + "\"min_ms\": %.3f, \"gflops\": %.1f, \"loss\": %.6f, \"steps\": %d}%n", leads, device, median,
                    sorted[0], gflops, loss, sorted.length);
        }
    }
}
