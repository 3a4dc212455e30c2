package org.kmerl.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CUDA C itself, checked without a GPU: each {@code src/test/cuda/*_on_host.cpp} includes a kernel
 * file with {@code host_shim.h} (CUDA threads as OS threads, barriers for {@code __syncthreads} and warp
 * shuffles), is compiled with the host's C++ compiler and compares the kernels against plain loops. It
 * covers kernel logic (indexing, bounds, epilogues) on machines where the parity tests skip; the parity
 * tests on a card remain the check of the whole path.
 */
class KernelsOnHostTest {
    /** The compiles take most of this test's time: all of them start at once, on every core. */
    private static final Map<String, Future<Path>> BUILDS = new HashMap<>();
    private static ExecutorService compilers;
    private static Path binaries;

    private static Path cudaTests() {
        Path here = Path.of("src/test/cuda");
        return Files.isDirectory(here) ? here : Path.of("kernels/src/test/cuda");
    }

    static List<String> programs() throws IOException {
        if (!Files.isDirectory(cudaTests())) {
            return List.of("(none)");
        }
        try (Stream<Path> files = Files.list(cudaTests())) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith("_on_host.cpp")).sorted().toList();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("programs")
    void kernelsMatchPlainLoops(String program) throws Exception {
        Assumptions.assumeTrue(Files.isRegularFile(cudaTests().resolve(program)), "the CUDA host checks are not beside this test run");
        String compiler = System.getenv().getOrDefault("CXX", "g++");
        Assumptions.assumeTrue(works(compiler), compiler + " (C++20, for the CUDA host checks) is not installed");
        Path exe;
        try {
            exe = build(program, compiler).get(600, TimeUnit.SECONDS);
        } catch (ExecutionException e) {   // the compile failed: its output is in the cause
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
        String log = run(List.of(exe.toString()), 300);
        System.out.print(log);
        assertTrue(log.contains(" 0 failed"), log);
    }

    /** {@code program}'s executable, compiling every program in parallel on the first call. */
    private static synchronized Future<Path> build(String program, String compiler) throws IOException {
        if (compilers == null) {
            binaries = Files.createTempDirectory("kmerl-host-checks");
            compilers = Executors.newFixedThreadPool(Math.max(1, Runtime.getRuntime().availableProcessors()), r -> {
                Thread t = new Thread(r, "host-check-compiler");
                t.setDaemon(true);
                return t;
            });
            for (String p : programs()) {
                Path exe = binaries.resolve(p.replace(".cpp", ""));
                BUILDS.put(p, compilers.submit(() -> {
                    run(List.of(compiler, "-std=c++20", "-O1", "-pthread", "-w", "-o", exe.toString(),
                            cudaTests().resolve(p).toString()), 600);
                    return exe;
                }));
            }
        }
        return BUILDS.get(program);
    }

    @AfterAll
    static synchronized void removeBinaries() throws IOException {
        if (compilers == null) {
            return;
        }
        compilers.shutdownNow();
        try (Stream<Path> files = Files.list(binaries)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
        }
        Files.deleteIfExists(binaries);
    }

    private static final Map<String, Boolean> WORKING = new HashMap<>();

    /** Whether {@code compiler} runs (asked once per compiler, not once per program). */
    private static synchronized boolean works(String compiler) {
        return WORKING.computeIfAbsent(compiler, c -> {
            try {
                Process p = new ProcessBuilder(c, "--version").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
    }

    /** Runs a command to its end and returns its output; throws if it fails or outlasts {@code seconds}. */
    private static String run(List<String> command, int seconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] bytes = p.getInputStream().readAllBytes();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(command.get(0) + " took more than " + seconds + " s");
        }
        String output = new String(bytes);
        assertEquals(0, p.exitValue(), String.join(" ", command) + " failed:\n" + output);
        return output;
    }
}
