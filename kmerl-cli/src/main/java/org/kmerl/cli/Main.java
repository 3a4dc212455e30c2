package org.kmerl.cli;

import org.kmerl.tensor.trace.Tracer;
import picocli.CommandLine;

/** Entry point of the {@code kmerl} tool (started by the {@code ./kmerl} launcher). */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (tests call this instead of main). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /**
     * Every {@code --kernel} value in order, whatever command level it follows (picocli keeps one value of an
     * inherited option per level, so the raw arguments are read instead).
     */
    static java.util.List<String> kernelChoices(java.util.List<String> args) {
        java.util.List<String> choices = new java.util.ArrayList<>();
        for (int i = 0; i < args.size() && !args.get(i).equals("--"); i++) {
            if (args.get(i).equals("--kernel") && i + 1 < args.size()) {
                choices.add(args.get(++i));
            } else if (args.get(i).startsWith("--kernel=")) {
                choices.add(args.get(i).substring("--kernel=".length()));
            }
        }
        return choices;
    }

    /**
     * Checks each {@code OP=VARIANT} against the kernel registry (no GPU needed) and passes them on through
     * the {@code kmerl.kernels} property, which the CUDA backend's registry reads when the command creates it.
     */
    private static void chooseKernels(CommandLine.ParseResult parsed, java.util.List<String> kernels) {
        if (kernels.isEmpty()) {
            return;
        }
        org.kmerl.kernels.KernelRegistry registry = new org.kmerl.kernels.KernelRegistry();
        for (String item : kernels) {
            String[] kv = item.split("=", 2);
            try {
                if (kv.length != 2) {
                    throw new IllegalArgumentException("'" + item + "' is not OP=VARIANT (e.g. layernorm=v3)");
                }
                registry.force(kv[0].trim(), kv[1].trim());
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(parsed.commandSpec().commandLine(), "--kernel: " + e.getMessage());
            }
        }
        String before = System.getProperty("kmerl.kernels", System.getenv("KMERL_KERNELS"));
        String joined = String.join(",", kernels);
        System.setProperty("kmerl.kernels", before == null || before.isBlank() ? joined : before + "," + joined);
    }

    /** The command tree with kmerl's error handling (one-line errors) and {@code --trace}. */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new KmerlCommand());
        cli.setExecutionExceptionHandler(new ErrorHandler());
        cli.setExecutionStrategy(Main::executeTraced);
        return cli;
    }

    /**
     * Runs the chosen command with the kernel variants of {@code --kernel} (at any level), inside a
     * {@link Tracer} when {@code --trace FILE} was given at any level.
     */
    private static int executeTraced(CommandLine.ParseResult parsed) {
        java.nio.file.Path file = null;
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            file = p.matchedOptionValue("--trace", file);
        }
        chooseKernels(parsed, kernelChoices(parsed.originalArgs()));
        if (file == null) {
            return new CommandLine.RunLast().execute(parsed);
        }
        Tracer tracer = Tracer.start();
        try {
            return new CommandLine.RunLast().execute(parsed);
        } finally {
            tracer.stop();
            java.io.PrintWriter out = parsed.commandSpec().commandLine().getOut();
            try {
                tracer.writeChromeTrace(file);
                out.printf("%ntrace      %d events -> %s (open in https://ui.perfetto.dev, chrome://tracing or speedscope)%n%s",
                        tracer.spans().size(), file, tracer.summary());
            } catch (java.io.IOException e) {
                out.println("kmerl: could not write the trace to " + file + ": " + e.getMessage());
            } catch (IllegalArgumentException e) {   // a malformed setting of the summary (KMERL_CPU_PEAK_*)
                out.println("kmerl: trace written to " + file + ", but no summary: " + e.getMessage());
            }
            out.flush();
        }
    }
}
