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

    /** The command tree with kmerl's error handling (one-line errors) and {@code --trace}. */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new KmerlCommand());
        cli.setExecutionExceptionHandler(new ErrorHandler());
        cli.setExecutionStrategy(Main::executeTraced);
        return cli;
    }

    /** Runs the chosen command, inside a {@link Tracer} when {@code --trace FILE} was given at any level. */
    private static int executeTraced(CommandLine.ParseResult parsed) {
        java.nio.file.Path file = null;
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            file = p.matchedOptionValue("--trace", file);
        }
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
            }
            out.flush();
        }
    }
}
