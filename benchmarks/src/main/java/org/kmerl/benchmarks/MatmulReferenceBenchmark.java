package org.kmerl.benchmarks;

import java.util.concurrent.TimeUnit;
import org.kmerl.tensor.Generator;
import org.kmerl.tensor.Tensor;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The reference CPU matmul (plain i-k-j loops) at square sizes: the baseline that the Vector API
 * GEMM of the fast CPU backend is measured against. Reports products per second and, through the
 * {@code gflop} counter, GFLOP/s (2·n³ floating-point operations per product; JMH labels it ops/s).
 *
 * <pre>java --add-modules jdk.incubator.vector -cp "benchmarks/target/kmerl-benchmarks-*.jar:benchmarks/target/lib/*" \
 *     org.openjdk.jmh.Main MatmulReferenceBenchmark</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class MatmulReferenceBenchmark {
    @Param({"128", "256", "512"})
    int n;

    Tensor a;
    Tensor b;

    /** Floating-point work done, reported by JMH as a rate (GFLOP/s) next to the time. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Work {
        public double gflop;

        @Setup(Level.Iteration)
        public void reset() {
            gflop = 0;
        }
    }

    @Setup
    public void setUp() {
        Generator g = new Generator(1);
        a = g.uniform(-1, 1, n, n);
        b = g.uniform(-1, 1, n, n);
    }

    @Benchmark
    public Tensor matmul(Work work) {
        work.gflop += 2.0 * n * n * n / 1e9;
        return a.matmul(b);
    }
}
