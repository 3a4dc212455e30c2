package org.kmerl.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.kmerl.kernels.CudaBackend;
import org.kmerl.kernels.KernelRegistry;
import org.kmerl.kernels.runtime.CudaTimer;
import org.kmerl.kernels.runtime.DevicePeak;
import org.kmerl.kernels.runtime.PtxLibrary;
import org.kmerl.tensor.Backends;
import org.kmerl.tensor.Device;
import org.kmerl.tensor.Generator;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.TensorScope;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kmerl kernels}: the CUDA kernel lab (list the variants, print their PTX, benchmark one op). */
@Command(name = "kernels", mixinStandardHelpOptions = true,
        description = "The CUDA kernel lab: every op's variants from naive to fast, their PTX, and a benchmark.",
        subcommands = {KernelsCommand.ListKernels.class, KernelsCommand.Ptx.class, KernelsCommand.Bench.class},
        footer = {"", "Examples:",
            "  kmerl kernels list",
            "  kmerl kernels ptx gemm --entry kmerl_gemm_v5_warp_tiled",
            "  kmerl kernels bench gemm --shape 4096x4096x4096",
            "  kmerl kernels bench layernorm --variant v1 --shape 16384x384",
            "", "Select variants for any command with KMERL_KERNELS=gemm=v3,softmax=v1 (or -Dkmerl.kernels=...)."})
final class KernelsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Every kernel variant with its one-line idea.")
    static final class ListKernels implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            String op = "";
            for (KernelRegistry.Variant v : new KernelRegistry().all()) {
                out.printf("%-12s %-3s %s%n", v.op().equals(op) ? "" : v.op(), v.name(), v.idea());
                op = v.op();
            }
            String missing = PtxLibrary.missingReason();
            if (missing != null) {
                out.println();
                out.println("note: this build carries no PTX (" + missing + ")");
            }
            return 0;
        }
    }

    @Command(name = "ptx", mixinStandardHelpOptions = true,
            description = "Print the PTX of a kernel module (one .cu file), or of one entry point in it.")
    static final class Ptx implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "MODULE", description = "attention, elementwise, gemm, indexing, loss, memory, "
                + "normalization, optimizer, random or reduction")
        String module;

        @Option(names = "--entry", paramLabel = "NAME", description = "only this entry point (e.g. kmerl_gemm_v4_vectorized)")
        String entry;

        @Override
        public Integer call() {
            String ptx = PtxLibrary.ptxSource(module);
            if (entry != null) {
                int start = ptx.indexOf(".entry " + entry + "(");
                if (start < 0) {
                    throw new IllegalArgumentException("no entry point " + entry + " in " + module + ".ptx");
                }
                int end = ptx.indexOf("\n}\n", start);
                int begin = ptx.lastIndexOf("\n.visible", start);
                ptx = ptx.substring(begin < 0 ? start : begin + 1, end < 0 ? ptx.length() : end + 2);
            }
            PrintWriter out = spec.commandLine().getOut();
            out.print(ptx);
            out.flush();
            return 0;
        }
    }

    @Command(name = "bench", mixinStandardHelpOptions = true,
            description = "Check one op against the CPU reference on a small shape, then time each variant"
                    + " (CUDA events) at the given shape: ms, GFLOP/s or GB/s, %% of the card's peak.")
    static final class Bench implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "OP", description = KernelCase.OPS)
        String op;

        @Option(names = "--variant", paramLabel = "V", description = "one variant (default: all)")
        String variant;

        @Option(names = "--shape", paramLabel = "AxB..", description = "problem size (default: a model-sized one)")
        String shape;

        @Option(names = "--device", defaultValue = "cuda:0", description = "CUDA device (default: ${DEFAULT-VALUE})")
        String device;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            KernelCase kc = KernelCase.of(op, shape);
            Device d = Device.parse(device);
            if (d.kind() != Device.Kind.CUDA) {
                throw new IllegalArgumentException("kernels bench measures CUDA kernels; --device must be cuda[:N]");
            }
            CudaBackend backend = (CudaBackend) Backends.get(d);
            List<KernelRegistry.Variant> variants = backend.registry().variants(kc.registryOp()).stream()
                    .filter(v -> variant == null || v.name().equals(variant))
                    .filter(v -> !v.name().equals("v0") || backend.cublasReason() == null).toList();
            if (variants.isEmpty()) {
                throw new IllegalArgumentException("no variant '" + variant + "' of " + kc.registryOp()
                        + "; see kmerl kernels list");
            }
            DevicePeak peak = DevicePeak.of(backend.context().name());
            out.printf("%s on %s%n", kc.describe(), backend.describe());
            for (KernelRegistry.Variant v : variants) {
                try (AutoCloseable forced = backend.registry().force(kc.registryOp(), v.name())) {
                    double err = kc.check(d, v.tf32());
                    double ms = time(backend, kc, d);
                    double s = ms / 1e3;
                    String rate = kc.flops() > 0 ? String.format("%,.0f GFLOP/s", kc.flops() / s / 1e9)
                            : String.format("%,.0f GB/s", kc.bytes() / s / 1e9);
                    out.printf("  %-3s %9.3f ms  %16s  %6s of peak   (max rel. error vs CPU at %s: %.1e)  %s%n", v.name(), ms,
                            rate, peak.percent(kc.flops(), kc.bytes(), s, v.tf32()), kc.checkShape(), err, v.idea());
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
            return 0;
        }

        private static double time(CudaBackend backend, KernelCase kc, Device d) {
            Tensor[] in = kc.inputs(kc.shape(), d, new Generator(1));
            try (CudaTimer timer = new CudaTimer(backend.context())) {
                double probe = 0;
                for (int i = 0; i < 2; i++) {
                    try (TensorScope scope = TensorScope.open()) {
                        timer.start();
                        kc.run(in);
                        probe = timer.stopMillis();
                    }
                }
                int reps = (int) Math.max(3, Math.min(100, 200 / Math.max(probe, 1e-3)));
                timer.start();
                for (int i = 0; i < reps; i++) {
                    try (TensorScope scope = TensorScope.open()) {
                        kc.run(in);
                    }
                }
                return timer.stopMillis() / reps;
            }
        }
    }
}
