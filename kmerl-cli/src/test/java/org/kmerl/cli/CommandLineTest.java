package org.kmerl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class CommandLineTest {
    private record Result(int exitCode, String out, String err) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new KmerlCommand());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        cli.setExecutionExceptionHandler(new ErrorHandler());
        int code = cli.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void devicesReportsJavaCpuAndCuda() {
        Result r = run("devices");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().startsWith("java   " + Runtime.version()), r.out());
        assertTrue(r.out().contains("cpu    pure Java, ") && r.out().contains(" threads, SIMD: "), r.out());
        assertTrue(r.out().contains("\ncuda   "), r.out());
    }

    @Test
    void helpListsTheCommands() {
        Result r = run("--help");
        assertEquals(0, r.exitCode());
        assertTrue(r.out().contains("devices"), r.out());
    }

    @Test
    void unknownCommandsFailWithUsageAndCode2() {
        Result r = run("frobnicate");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("Unmatched argument"), r.err());
    }
}
