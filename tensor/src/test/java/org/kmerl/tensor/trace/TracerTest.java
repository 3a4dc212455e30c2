package org.kmerl.tensor.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kmerl.tensor.MatmulOps;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.backend.Backend;
import org.kmerl.tensor.backend.MatmulKernels;

class TracerTest {
    @Test
    void recordsEveryKernelCallWithShapesBytesAndFlops(@TempDir Path tmp) throws Exception {
        Tensor a = Tensor.ones(3, 5);
        Tensor b = Tensor.ones(5, 7);
        MatmulOps.matmul(a, b);   // before: not recorded
        Tracer t = Tracer.start();
        try {
            Tensor c = MatmulOps.matmul(a, b);
            c.add(c);
        } finally {
            t.stop();
        }
        assertFalse(Tracer.isActive());
        MatmulOps.matmul(a, b);   // after: not recorded
        List<Tracer.Span> spans = t.spans();
        Tracer.Span mm = spans.stream().filter(s -> s.name().equals("matmul.matmul")).findFirst().orElseThrow();
        assertEquals(1, spans.stream().filter(s -> s.name().equals("matmul.matmul")).count());
        assertEquals("[3,5] [5,7] [3,7]", mm.shapes());
        assertEquals(4L * (15 + 35 + 21), mm.bytes());
        assertEquals(2.0 * 3 * 7 * 5, mm.flops());
        assertEquals("cpu", mm.device());
        assertTrue(spans.stream().anyMatch(s -> s.name().startsWith("elementwise.")), spans.toString());

        Path file = tmp.resolve("trace.json");
        t.writeChromeTrace(file);
        JsonNode events = new ObjectMapper().readTree(file.toFile()).path("traceEvents");
        assertEquals(spans.size() + 1, events.size(), "the spans and one process_name per device");
        JsonNode first = events.get(0);
        assertEquals("X", first.path("ph").asText());
        assertTrue(first.path("dur").isNumber() && first.path("args").path("shapes").isTextual(), first.toString());
        assertTrue(first.path("pid").isInt(), "integer process ids, as the Trace Event Format asks: " + first);
        JsonNode name = events.get(events.size() - 1);
        assertEquals("M", name.path("ph").asText());
        assertEquals(first.path("pid").asInt(), name.path("pid").asInt());
        assertEquals("kmerl cpu", name.path("args").path("name").asText());
        String summary = t.summary();
        assertTrue(summary.contains("cpu matmul.matmul") && summary.contains("GFLOP/s"), summary);
        // The CPU's FLOP/s peak is estimated from its clock (/proc/cpuinfo on Linux): a number wherever that is known.
        boolean clockKnown = Double.isFinite(org.kmerl.tensor.Backends.cpu().peakFlopsPerSecond());
        assertTrue(summary.lines().filter(l -> l.startsWith("cpu matmul.matmul"))
                .allMatch(l -> clockKnown ? l.matches(".* [0-9.]+%") : l.endsWith("-")), summary);
    }

    @Test
    void manyParameterCallsCountTheBytesOfEveryTensorInTheirLists() {
        var p = new org.kmerl.tensor.backend.OptimizerKernels.AdamWOperands(Tensor.zeros(10), Tensor.ones(10), Tensor.zeros(10),
                Tensor.zeros(10));
        var q = new org.kmerl.tensor.backend.OptimizerKernels.AdamWOperands(Tensor.zeros(3), Tensor.ones(3), Tensor.zeros(3),
                Tensor.zeros(3));
        Tracer t = Tracer.start();
        try {
            org.kmerl.tensor.OptimizerOps.adamw(List.of(p, q),
                    new org.kmerl.tensor.backend.AdamWStep(1e-3f, 0.9f, 0.999f, 1e-8f, 0f, 1));
        } finally {
            t.stop();
        }
        Tracer.Span adamw = t.spans().stream().filter(s -> s.name().equals("optimizer.adamw")).findFirst().orElseThrow();
        assertEquals(1, t.spans().stream().filter(s -> s.name().equals("optimizer.adamw")).count(), "one span per group");
        assertEquals("8 tensors", adamw.shapes());
        assertEquals(4L * 4 * (10 + 3), adamw.bytes());
    }

    /**
     * A backend with a device clock (CUDA events on a GPU) gets spans of device time: here a fake clock that
     * reports 2.5 ms per op; the tracer closes the clock when it stops.
     */
    @Test
    void spansLastTheDeviceClocksTime() {
        Backend cpu = org.kmerl.tensor.Backends.cpu();
        boolean[] closed = {false};
        org.kmerl.tensor.backend.DeviceClock fake = new org.kmerl.tensor.backend.DeviceClock() {
            @Override
            public void start() {
            }

            @Override
            public double stopMillis() {
                return 2.5;
            }

            @Override
            public void close() {
                closed[0] = true;
            }
        };
        Backend clocked = (Backend) java.lang.reflect.Proxy.newProxyInstance(Backend.class.getClassLoader(),
                new Class<?>[] {Backend.class}, (proxy, m, args) -> m.getName().equals("newDeviceClock")
                        ? java.util.Optional.of(fake) : m.invoke(cpu, args));
        Tensor a = Tensor.ones(8, 8);
        Tensor out = Tensor.zeros(8, 8);
        Tracer t = Tracer.start();
        try {
            Tracer.traced(clocked).matmul().matmul(a, a, out);
            Tracer.traced(clocked).matmul().matmul(a, a, out);
        } finally {
            t.stop();
        }
        assertEquals(2, t.spans().size());
        assertTrue(t.spans().stream().allMatch(s -> s.durationNanos() == 2_500_000L), t.spans().toString());
        assertTrue(closed[0], "stop() closes the clocks");
    }

    /**
     * An op that a kernel family calls while running another (CudaAttention copies kᵀ through the traced backend)
     * is part of its caller's span: recorded on its own it restarted the thread's device clock, so the caller's
     * span measured only from the inner op's start (an H100 trace had attention's backward at 211% of peak).
     */
    @Test
    void anOpCalledInsideAnotherIsPartOfItsCallersSpan() {
        Backend cpu = org.kmerl.tensor.Backends.cpu();
        int[] starts = {0};
        org.kmerl.tensor.backend.DeviceClock clock = new org.kmerl.tensor.backend.DeviceClock() {
            @Override
            public void start() {
                starts[0]++;
            }

            @Override
            public double stopMillis() {
                return 2.0;
            }

            @Override
            public void close() {
            }
        };
        Tensor a = Tensor.ones(8, 8);
        Tensor out = Tensor.zeros(8, 8);
        Tensor inner = Tensor.zeros(8, 8);
        Backend clocked = (Backend) java.lang.reflect.Proxy.newProxyInstance(Backend.class.getClassLoader(),
                new Class<?>[] {Backend.class}, (self, m, args) -> switch (m.getName()) {
                    case "newDeviceClock" -> java.util.Optional.of(clock);
                    case "matmul" -> java.lang.reflect.Proxy.newProxyInstance(MatmulKernels.class.getClassLoader(),
                            new Class<?>[] {MatmulKernels.class}, (family, mm, margs) -> {
                                if (mm.getName().equals("matmul") && margs[2] == out) {   // the outer op calls an inner one
                                    Tracer.traced((Backend) self).matmul().matmul(a, a, inner);
                                }
                                return mm.invoke(cpu.matmul(), margs);
                            });
                    default -> m.invoke(cpu, args);
                });
        Tracer t = Tracer.start();
        try {
            Tracer.traced(clocked).matmul().matmul(a, a, out);
            Tracer.traced(clocked).matmul().matmul(a, a, out);   // the next op, after the first one ended, is its own
        } finally {
            t.stop();
        }
        assertEquals(2, t.spans().size(), "one span per outer op: " + t.spans());
        assertTrue(t.spans().stream().allMatch(sp -> sp.durationNanos() == 2_000_000L), t.spans().toString());
        assertEquals(2, starts[0], "the clock started once per outer op");
        assertEquals(8.0f, inner.toFloatArray()[0], "the inner op still ran");
    }

    /**
     * A GPU op's span includes the device's idle wait for each launch; the kernels it launched, as the kernel track
     * timed them, give its busy time: kept with the span, shown in the summary and used for its rates.
     */
    @Test
    void anOpsKernelTimeGivesItsRates(@TempDir Path tmp) throws Exception {
        Backend cpu = org.kmerl.tensor.Backends.cpu();
        org.kmerl.tensor.backend.DeviceClock clock = new org.kmerl.tensor.backend.DeviceClock() {
            @Override
            public void start() {
            }

            @Override
            public double stopMillis() {
                return 4.0;   // the op's span: its kernels' 1 ms and 3 ms of waiting for launches
            }

            @Override
            public void close() {
            }
        };
        Backend clocked = (Backend) java.lang.reflect.Proxy.newProxyInstance(Backend.class.getClassLoader(),
                new Class<?>[] {Backend.class}, (self, m, args) -> switch (m.getName()) {
                    case "newDeviceClock" -> java.util.Optional.of(clock);
                    case "matmul" -> java.lang.reflect.Proxy.newProxyInstance(MatmulKernels.class.getClassLoader(),
                            new Class<?>[] {MatmulKernels.class}, (family, mm, margs) -> {
                                Tracer.recordKernel("kmerl_gemm_a", "cuda:0", System.nanoTime(), 400_000L, "-");
                                Tracer.recordKernel("kmerl_gemm_b", "cuda:0", System.nanoTime(), 600_000L, "-");
                                return mm.invoke(cpu.matmul(), margs);
                            });
                    default -> m.invoke(cpu, args);
                });
        Tensor a = Tensor.ones(100, 100);
        Tensor out = Tensor.zeros(100, 100);
        Tracer t = Tracer.start();
        try {
            Tracer.recordKernel("kmerl_outside_any_op", "cuda:0", System.nanoTime(), 9_000_000L, "-");
            Tracer.traced(clocked).matmul().matmul(a, a, out);
        } finally {
            t.stop();
        }
        Tracer.Span op = t.spans().stream().filter(s -> s.name().equals("matmul.matmul")).findFirst().orElseThrow();
        assertEquals(4_000_000L, op.durationNanos());
        assertEquals(1_000_000L, op.kernelNanos(), "the two kernels inside it, not the one before");
        String summary = t.summary();
        assertTrue(summary.lines().findFirst().orElseThrow().contains("kernel ms"), summary);
        String[] row = summary.lines().filter(l -> l.startsWith("cpu matmul.matmul")).findFirst().orElseThrow().split(" +");
        // cpu, matmul.matmul, calls, total ms, share, kernel ms, GB/s, GFLOP/s, % peak
        assertEquals("4.00", row[3], summary);
        assertEquals("1.00", row[5], summary);
        assertEquals(2.0 * 100 * 100 * 100 / 1e-3 / 1e9, Double.parseDouble(row[7]), 0.05, "GFLOP/s over the 1 ms: " + summary);
        assertEquals(3.0 * 100 * 100 * 4 / 1e-3 / 1e9, Double.parseDouble(row[6]), 0.05, "GB/s over the 1 ms: " + summary);
        Path file = tmp.resolve("trace.json");
        t.writeChromeTrace(file);
        JsonNode events = new ObjectMapper().readTree(file.toFile()).path("traceEvents");
        JsonNode opEvent = null;
        for (JsonNode e : events) {
            if (e.path("name").asText().equals("matmul.matmul")) {
                opEvent = e;
            }
        }
        assertTrue(opEvent != null, events.toString());
        assertEquals(1000.0, opEvent.path("args").path("kernel_us").asDouble(), 1e-9);
    }

    /** GPU kernels timed by CUDA events land on their own track of the trace and stay out of the per-op table. */
    @Test
    void kernelSpansGetTheirOwnTrack(@TempDir Path tmp) throws Exception {
        Tensor a = Tensor.ones(8, 8);
        Tracer t = Tracer.start();
        try {
            MatmulOps.matmul(a, a);
            Tracer.recordKernel("kmerl_gemm_v7_prefetch", "cuda:0", System.nanoTime(), 1_500_000L,
                    "grid (1, 1, 1) block (128, 1, 1)");
        } finally {
            t.stop();
        }
        Tracer.recordKernel("kmerl_after_stop", "cuda:0", System.nanoTime(), 1L, "-");   // no tracer: dropped
        assertEquals(1, t.spans().stream().filter(s -> s.name().startsWith("kernel.")).count());
        String summary = t.summary();
        String opTable = summary.substring(0, summary.indexOf("(and 1 GPU kernel launches"));
        assertFalse(opTable.contains("kmerl_gemm"), summary);
        assertTrue(summary.lines().anyMatch(l -> l.matches("cuda:0 kmerl_gemm_v7_prefetch +1 +1\\.50 +100\\.0% +1500\\.0")),
                "the kernel table below it: " + summary);
        Path file = tmp.resolve("trace.json");
        t.writeChromeTrace(file);
        JsonNode events = new ObjectMapper().readTree(file.toFile()).path("traceEvents");
        JsonNode kernel = null;
        java.util.Map<Integer, String> processes = new java.util.HashMap<>();
        for (JsonNode e : events) {
            if (e.path("ph").asText().equals("M")) {
                processes.put(e.path("pid").asInt(), e.path("args").path("name").asText());
            } else if (e.path("cat").asText().equals("kernel")) {
                kernel = e;
            }
        }
        assertTrue(kernel != null && kernel.path("name").asText().equals("kernel.kmerl_gemm_v7_prefetch"), events.toString());
        assertEquals(1500.0, kernel.path("dur").asDouble(), 1e-9);
        assertEquals("kmerl cuda:0 kernels", processes.get(kernel.path("pid").asInt()));
    }

    /** The kernel track by entry point, heaviest first: the top KERNEL_ROWS, then the rest in one line. */
    @Test
    void kernelTableListsTheHeaviestKernels() {
        Tracer t = Tracer.start();
        try {
            for (int k = 0; k < Tracer.KERNEL_ROWS + 2; k++) {   // kernel k: k + 1 launches of (k + 1) us
                for (int launch = 0; launch <= k; launch++) {
                    Tracer.recordKernel("kmerl_k" + k, "cuda:0", System.nanoTime(), 1000L * (k + 1), "-");
                }
            }
        } finally {
            t.stop();
        }
        List<String> rows = t.summary().lines().filter(l -> l.startsWith("cuda:0 kmerl_k")).toList();
        assertEquals(Tracer.KERNEL_ROWS, rows.size(), t.summary());
        assertTrue(rows.get(0).startsWith("cuda:0 kmerl_k16 ") && rows.get(0).matches(".* 17 +0\\.29 .*"), rows.get(0));
        assertTrue(rows.get(rows.size() - 1).startsWith("cuda:0 kmerl_k2 "), rows.toString());
        assertTrue(t.summary().lines().anyMatch(l -> l.matches("\\(2 more kernels\\) +3 +0\\.01 .*")), t.summary());
    }

    /** A backend that reports datasheet peaks gets "% of peak": FLOP/s for products, bandwidth for the rest. */
    @Test
    void percentOfPeakUsesTheBackendsPeaks() {
        Backend cpu = org.kmerl.tensor.Backends.cpu();
        Backend rated = (Backend) java.lang.reflect.Proxy.newProxyInstance(Backend.class.getClassLoader(),
                new Class<?>[] {Backend.class}, (proxy, m, args) -> switch (m.getName()) {
                    case "peakFlopsPerSecond" -> 1e9;    // 1 GFLOP/s: any real product is far above 0.001%
                    case "peakBytesPerSecond" -> 1e9;
                    default -> m.invoke(cpu, args);
                });
        Tensor a = Tensor.ones(64, 64);
        Tensor out = Tensor.zeros(64, 64);
        Tracer t = Tracer.start();
        try {
            Tracer.traced(rated).matmul().matmul(a, a, out);
        } finally {
            t.stop();
        }
        Tracer.Span s = t.spans().get(0);
        double expected = 100 * s.flops() / (s.durationNanos() / 1e9) / 1e9;
        String row = t.summary().lines().filter(l -> l.startsWith("cpu matmul.matmul")).findFirst().orElseThrow();
        assertTrue(row.endsWith(String.format(java.util.Locale.ROOT, "%.1f%%", expected)), row + " vs " + expected);
    }
}
