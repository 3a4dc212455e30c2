package org.kmerl.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.kmerl.model.kmerl.KmerlConfig;
import org.kmerl.model.kmerl.SyntheticStep;
import org.kmerl.tensor.Device;
import org.kmerl.tensor.trace.Tracer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kmerl profile}: one K-MERL training step traced op by op. */
@Command(name = "profile", mixinStandardHelpOptions = true,
        description = "Trace K-MERL training steps on a random batch op by op: a Chrome trace (Perfetto,"
                + " chrome://tracing) with shapes, bytes and FLOPs of every op, and a table per op (calls, time,"
                + " share, GB/s, GFLOP/s, %% of peak). Set-up and the warm-up steps are not traced.",
        footer = {"", "Examples:",
            "  kmerl profile --preset small --leads 12 --out step.json",
            "  kmerl profile --preset tiny --device cuda:0 --steps 3 --out gpu-step.json",
            "  KMERL_CUDA_PROFILE=1 kmerl profile --device cuda:0   (CUDA-event time per kernel too)"})
public final class ProfileCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--preset", defaultValue = "small", description = "micro, tiny, small or base (default: ${DEFAULT-VALUE})")
    String preset;

    @Option(names = "--leads", defaultValue = "12", description = "leads per sample, 1-12 (default: ${DEFAULT-VALUE})")
    int leads;

    @Option(names = "--batch-size", defaultValue = "32", description = "pairs per step (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--steps", defaultValue = "1", description = "traced steps after the warm-up (default: ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--warmup", defaultValue = "3", description = "untraced steps first (default: ${DEFAULT-VALUE}). On the"
            + " CPU the JIT compiles a kernel's vector code only after it has run a few times: with one warm-up step"
            + " the once-per-step AdamW calls took 214 ms of a 1.3 s step, with three 2 ms")
    int warmup;

    @Option(names = "--device", defaultValue = "auto", paramLabel = "auto|cpu|cuda:N",
            description = "where to run (default: ${DEFAULT-VALUE})")
    String device;

    @Option(names = "--out", defaultValue = "kmerl-step-trace.json", paramLabel = "FILE",
            description = "the Chrome trace (default: ${DEFAULT-VALUE})")
    Path out;

    @Override
    public Integer call() throws IOException {
        if (leads < 1 || leads > 12 || batch < 2 || steps < 1 || warmup < 0) {
            throw new IllegalArgumentException("--leads must be 1-12, --batch-size at least 2, --steps at least 1 and"
                    + " --warmup at least 0");
        }
        PrintWriter o = spec.commandLine().getOut();
        Device dev = PretrainCommand.pickDevice(device);
        KmerlConfig config = KmerlConfig.Preset.parse(preset).config();
        SyntheticStep step = new SyntheticStep(config, dev, leads, batch, 40);
        for (int i = 0; i < warmup; i++) {
            step.run();   // first-use costs (JIT, kernel loading, buffer pools) stay out of the trace
        }
        Tracer tracer = Tracer.start();
        long t0 = System.nanoTime();
        float loss;
        try {
            loss = 0;
            for (int i = 0; i < steps; i++) {
                loss = step.run();
            }
        } finally {
            tracer.stop();
        }
        double ms = (System.nanoTime() - t0) / 1e6 / steps;
        tracer.writeChromeTrace(out);
        o.printf(Locale.ROOT, "%s preset, batch %d, %d leads x 30 patches, on %s: %.1f ms per traced step (loss %.4f)%n",
                preset, batch, leads, dev, ms, loss);
        o.print(tracer.summary());
        o.printf(Locale.ROOT, "trace      %d events -> %s (open in https://ui.perfetto.dev, chrome://tracing or speedscope)%n",
                tracer.spans().size(), out);
        return 0;
    }
}
