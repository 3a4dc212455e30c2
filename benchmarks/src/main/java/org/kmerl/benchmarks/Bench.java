package org.kmerl.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kmerl.tensor.cpu.VectorSupport;
import org.kmerl.tensor.io.AtomicFiles;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the JMH suites and prints one line per case with the median time and the rate it implies
 * (GFLOP/s or GB/s, from each benchmark's {@code work} method); optionally writes them as JSON for
 * {@code benchmarks/compare-cpu.sh}.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp "benchmarks/target/kmerl-benchmarks-*.jar:benchmarks/target/lib/*" \
 *     org.kmerl.benchmarks.Bench [--threads N] [--json out.json] [--quick] [--gc] [--exclude regex] [regex ...]
 * </pre>
 * {@code --gc} adds JMH's GC profiler and reports the bytes each call allocates.
 * <pre>
 * </pre>
 */
public final class Bench {
    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        int threads = Runtime.getRuntime().availableProcessors();
        Path json = null;
        boolean quick = false;
        boolean gc = false;
        List<String> includes = new ArrayList<>();
        List<String> excludes = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--json" -> json = Path.of(args[++i]);
                case "--quick" -> quick = true;
                case "--gc" -> gc = true;
                case "--exclude" -> excludes.add(args[++i]);
                default -> includes.add(args[i]);
            }
        }
        ChainedOptionsBuilder options = new OptionsBuilder()
                .jvmArgsAppend("-Dkmerl.threads=" + threads)
                .shouldFailOnError(true);
        if (includes.isEmpty()) {
            options.include(Bench.class.getPackageName() + ".*Benchmark");
        }
        includes.forEach(options::include);
        excludes.forEach(options::exclude);
        if (quick) {
            options.warmupIterations(2).warmupTime(TimeValue.milliseconds(500))
                    .measurementIterations(3).measurementTime(TimeValue.milliseconds(500));
        }
        if (gc) {
            options.addProfiler(GCProfiler.class);
        }
        Collection<RunResult> results = new Runner(options.build()).run();

        List<Map<String, Object>> rows = new ArrayList<>();
        System.out.printf("%n%-52s %10s %10s %16s   (%d threads, SIMD: %s)%n", "case", "median ms", "p25-p75", "rate",
                threads, VectorSupport.describe());
        for (RunResult r : results) {
            BenchmarkParams p = r.getParams();
            String fqn = p.getBenchmark();
            String method = fqn.substring(fqn.lastIndexOf('.') + 1);
            String className = fqn.substring(0, fqn.lastIndexOf('.'));
            Map<String, String> params = new LinkedHashMap<>();
            for (String key : p.getParamsKeys()) {
                params.put(key, p.getParam(key));
            }
            var stats = r.getPrimaryResult().getStatistics();
            double median = stats.getPercentile(50);
            Work work = work(className, method, params);
            String label = className.substring(className.lastIndexOf('.') + 1).replace("Benchmark", "") + "." + method
                    + (params.isEmpty() ? "" : " " + params.values());
            String rate = work.rate(median / 1e3);
            var allocation = r.getSecondaryResults().get("gc.alloc.rate.norm");
            String allocated = allocation == null ? "" : String.format("  %.2f MB allocated per call",
                    allocation.getScore() / 1e6);
            System.out.printf("%-52s %10.3f %4.2f-%-5.2f %16s%s%n", label, median, stats.getPercentile(25),
                    stats.getPercentile(75), rate, allocated);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("benchmark", className.substring(className.lastIndexOf('.') + 1) + "." + method);
            row.put("params", params);
            row.put("threads", threads);
            row.put("median_ms", median);
            row.put("p25_ms", stats.getPercentile(25));
            row.put("p75_ms", stats.getPercentile(75));
            row.put("samples", stats.getN());
            row.put("flops", work.flops());
            row.put("bytes", work.bytes());
            row.put("rate", rate);
            if (allocation != null) {
                row.put("allocated_bytes_per_call", allocation.getScore());
            }
            rows.add(row);
        }
        if (json != null) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("java", Runtime.version().toString());
            out.put("simd", VectorSupport.describe());
            out.put("results", rows);
            String text = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out);
            AtomicFiles.write(json, o -> o.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
    }

    private static Work work(String className, String method, Map<String, String> params) throws Exception {
        Method m = Class.forName(className).getMethod("work", String.class, Map.class);
        return (Work) m.invoke(null, method, params);
    }
}
