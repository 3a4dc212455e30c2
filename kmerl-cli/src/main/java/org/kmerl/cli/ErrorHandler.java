package org.kmerl.cli;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/** Errors become one line on stderr and exit code 1, unless {@code --debug} asks for the stack trace. */
final class ErrorHandler implements IExecutionExceptionHandler {
    static final int EXIT_FAILURE = 1;

    @Override
    public int handleExecutionException(Exception e, CommandLine cli, ParseResult parsed) {
        boolean debug = parsed.hasMatchedOption("--debug")
                || (parsed.subcommand() != null && parsed.subcommand().hasMatchedOption("--debug"));
        if (debug) {
            e.printStackTrace(cli.getErr());
        } else {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            cli.getErr().println("kmerl: error: " + message + " (run with --debug for details)");
        }
        return EXIT_FAILURE;
    }
}
