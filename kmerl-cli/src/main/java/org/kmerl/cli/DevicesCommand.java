package org.kmerl.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.kmerl.tensor.Backends;
import org.kmerl.tensor.backend.BackendProvider;
import org.kmerl.tensor.backend.Probe;
import org.kmerl.tensor.cpu.CpuVariants;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code kmerl devices}: the Java runtime, the CPU backend and any CUDA devices. */
@Command(name = "devices", mixinStandardHelpOptions = true,
        description = "Show the Java runtime, the CPU backend (SIMD width, threads) and CUDA devices.",
        footer = {"", "The CPU thread count comes from -Dkmerl.threads or KMERL_THREADS (default: all cores);",
            "kernel variants from -Dkmerl.cpu.kernels or KMERL_CPU_KERNELS (e.g. gemm=reference)."})
final class DevicesCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.printf("java   %s (%s, %s)%n", Runtime.version(), System.getProperty("java.vendor"),
                System.getProperty("java.home"));
        out.printf("cpu    %s%n", Backends.cpu().describe());
        out.printf("       kernels: %s%n", String.join(", ", CpuVariants.chosen().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).toList()));
        if (Backends.providers().isEmpty()) {
            out.println("cuda   not available: the kmerl-kernels module is not on the class path");
        }
        for (BackendProvider provider : Backends.providers()) {
            Probe probe = provider.probe();
            out.printf("%-6s %s%n", provider.kind().name().toLowerCase(), probe.summary());
            for (String line : probe.details()) {
                out.printf("       %s%n", line);
            }
        }
        return 0;
    }
}
