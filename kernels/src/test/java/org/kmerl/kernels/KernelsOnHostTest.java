package org.kmerl.kernels;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CUDA C itself, checked without a GPU: each {@code src/test/cuda/*_on_host.cpp} includes a kernel
 * file with {@code host_shim.h} (CUDA threads as OS threads, barriers for {@code __syncthreads} and warp
 * shuffles), is compiled with the host's C++ compiler and compares the kernels against plain loops. It
 * covers kernel logic (indexing, bounds, epilogues) on machines where the parity tests skip; the parity
 * tests on a card remain the check of the whole path.
 *
 * <p>Each program is built three ways ({@link Build}): plain, and under the compiler's sanitizers as host
 * stand-ins for compute-sanitizer's memcheck (AddressSanitizer and UndefinedBehaviorSanitizer: a read past
 * a buffer, a misaligned float4) and racecheck (ThreadSanitizer: shared memory written and read by two
 * threads of a block with no barrier between them). They see only what the host run does, as
 * compute-sanitizer sees only what a launch does, and skip with the reason where the compiler has no
 * sanitizer runtime.
 */
class KernelsOnHostTest {
    /** How a host check is compiled and run. */
    enum Build {
        PLAIN("plain", List.of("-O1")),
        MEMCHECK("memcheck: -fsanitize=address,undefined",
                List.of("-O1", "-g", "-fno-omit-frame-pointer", "-fsanitize=address,undefined", "-fno-sanitize-recover=all")),
        RACECHECK("racecheck: -fsanitize=thread", List.of("-O1", "-g", "-fsanitize=thread"));

        final String label;
        final List<String> flags;

        Build(String label, List<String> flags) {
            this.label = label;
            this.flags = flags;
        }

        /** A sanitized run is ~10x slower (gemm.cu under ThreadSanitizer: about two minutes on two cores). */
        int seconds() {
            return this == PLAIN ? 300 : 900;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /**
     * {@code -Dkmerl.hostSanitizers=false} leaves out the two sanitizer builds (about three minutes on two cores):
     * CI's second pass, on Java 25, does, as the C++ does not change with the JVM.
     */
    static final String SANITIZERS = "kmerl.hostSanitizers";

    /** Leaks do not concern the checks (LeakSanitizer also needs ptrace, which sandboxes deny); stop at the first race. */
    private static final Map<String, String> SANITIZER_OPTIONS = Map.of("ASAN_OPTIONS", "detect_leaks=0",
            "UBSAN_OPTIONS", "print_stacktrace=1", "TSAN_OPTIONS", "halt_on_error=1");

    private static boolean sanitizersOn() {
        return Boolean.parseBoolean(System.getProperty(SANITIZERS, "true"));
    }

    /** The compiles take most of this test's time: all of them start at once, plain builds first. */
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

    /** Every program plain, then every program under each sanitizer: the order in which they are compiled. */
    static List<Arguments> checks() throws IOException {
        List<Arguments> checks = new ArrayList<>();
        for (Build build : Build.values()) {
            for (String program : programs()) {
                checks.add(Arguments.of(program, build));
            }
        }
        return checks;
    }

    @ParameterizedTest(name = "{0} ({1})")
    @MethodSource("checks")
    void kernelsMatchPlainLoops(String program, Build build) throws Exception {
        Assumptions.assumeTrue(Files.isRegularFile(cudaTests().resolve(program)), "the CUDA host checks are not beside this test run");
        Assumptions.assumeTrue(build == Build.PLAIN || sanitizersOn(),
                "the sanitizer builds are switched off (-D" + SANITIZERS + "=false)");
        String compiler = System.getenv().getOrDefault("CXX", "g++");
        Optional<String> unusable = unusable(compiler, build);
        Assumptions.assumeTrue(unusable.isEmpty(), unusable::get);
        Path exe;
        try {
            exe = build(program, compiler, build).get(600, TimeUnit.SECONDS);
        } catch (ExecutionException e) {   // the compile failed: its output is in the cause
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
        Result run = run(List.of(exe.toString()), SANITIZER_OPTIONS, build.seconds());
        System.out.print(shortened(run.output));
        if (run.exitCode != 0) {
            fail(program + " (" + build + ") exited with " + run.exitCode + ":\n" + shortened(run.output));
        }
        assertTrue(run.output.contains(" 0 failed"), shortened(run.output));
    }

    /** {@code program}'s executable, compiling every program in every build in parallel on the first call. */
    private static synchronized Future<Path> build(String program, String compiler, Build build) throws IOException {
        if (compilers == null) {
            binaries = Files.createTempDirectory("kmerl-host-checks");
            compilers = Executors.newFixedThreadPool(Math.max(1, Runtime.getRuntime().availableProcessors()), r -> {
                Thread t = new Thread(r, "host-check-compiler");
                t.setDaemon(true);
                return t;
            });
            for (Arguments check : checks()) {
                String p = (String) check.get()[0];
                Build b = (Build) check.get()[1];
                if (b != Build.PLAIN && !sanitizersOn()) {
                    continue;
                }
                Path exe = binaries.resolve(p.replace(".cpp", "") + "." + b.name().toLowerCase());
                List<String> command = new ArrayList<>(List.of(compiler, "-std=c++20", "-pthread", "-w"));
                command.addAll(b.flags);
                command.addAll(List.of("-o", exe.toString(), cudaTests().resolve(p).toString()));
                BUILDS.put(p + b, compilers.submit(() -> {
                    Result compiled = run(command, Map.of(), 600);
                    if (compiled.exitCode != 0) {
                        fail(String.join(" ", command) + " failed:\n" + shortened(compiled.output));
                    }
                    return exe;
                }));
            }
        }
        return BUILDS.get(program + build);
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

    private static final Map<String, Optional<String>> UNUSABLE = new HashMap<>();

    /**
     * Why {@code compiler} cannot build and run the checks in {@code build} here, if it cannot (asked once per
     * build: a threaded program that must compile, link against the sanitizer's runtime and run).
     */
    private static synchronized Optional<String> unusable(String compiler, Build build) {
        return UNUSABLE.computeIfAbsent(compiler + build, key -> {
            try {
                Path dir = Files.createTempDirectory("kmerl-probe");
                Path source = Files.writeString(dir.resolve("probe.cpp"),
                        "#include <thread>\nint main() { int x = 0; std::thread t([&] { x = 1; }); t.join(); return x - 1; }\n");
                Path exe = dir.resolve("probe");
                List<String> command = new ArrayList<>(List.of(compiler, "-std=c++20", "-pthread"));
                command.addAll(build.flags);
                command.addAll(List.of("-o", exe.toString(), source.toString()));
                Result result = run(command, Map.of(), 120);
                if (result.exitCode == 0) {
                    result = run(List.of(exe.toString()), SANITIZER_OPTIONS, 60);
                }
                Files.deleteIfExists(exe);
                Files.deleteIfExists(source);
                Files.deleteIfExists(dir);
                return result.exitCode == 0 ? Optional.empty() : Optional.of(compiler + " cannot build and run a program "
                        + (build == Build.PLAIN ? "with -std=c++20 (the CUDA host checks)" : "under " + build) + " here: "
                        + whatWentWrong(result.output));
            } catch (IOException e) {
                return Optional.of(compiler + " (C++20, for the CUDA host checks) is not installed: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.of("interrupted");
            }
        });
    }

    private record Result(int exitCode, String output) {}

    /** Runs a command to its end with its output in a file (no pipe to fill); throws if it outlasts {@code seconds}. */
    private static Result run(List<String> command, Map<String, String> environment, int seconds)
            throws IOException, InterruptedException {
        Path log = Files.createTempFile("kmerl-host-check", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(environment);
            Process p = builder.start();
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(command.get(0) + " took more than " + seconds + " s");
            }
            return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** A sanitizer's report runs to thousands of lines; its first screens name the kernel and the lines. */
    private static String shortened(String output) {
        int limit = 12_000;
        return output.length() <= limit ? output
                : output.substring(0, limit) + "\n... (" + (output.length() - limit) + " more characters)\n";
    }

    /** The line that says what went wrong (a linker's "cannot find -ltsan", a sanitizer's FATAL), else the first. */
    private static String whatWentWrong(String output) {
        List<String> lines = output.strip().lines().toList();
        return lines.stream().filter(l -> l.contains("cannot find") || l.contains("error") || l.contains("FATAL")).findFirst()
                .orElse(lines.isEmpty() ? "(no output)" : lines.get(0));
    }
}
