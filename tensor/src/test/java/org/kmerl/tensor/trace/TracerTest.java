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
        assertEquals(spans.size(), events.size());
        JsonNode first = events.get(0);
        assertEquals("X", first.path("ph").asText());
        assertTrue(first.path("dur").isNumber() && first.path("args").path("shapes").isTextual(), first.toString());
        String summary = t.summary();
        assertTrue(summary.contains("cpu matmul.matmul") && summary.contains("GFLOP/s"), summary);
    }
}
