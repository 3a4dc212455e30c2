package org.kmerl.cli;

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
        CommandLine cli = new CommandLine(new KmerlCommand());
        cli.setExecutionExceptionHandler(new ErrorHandler());
        return cli.execute(args);
    }
}
