package org.kmerl.model.knowledge.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kmerl.model.knowledge.ReportTexts;

/**
 * The LLM mode against a real HTTP server on loopback that answers like an OpenAI-compatible endpoint
 * with recorded answers (no model runs here): the four steps, the cache that makes a rerun free, and
 * servers that time out, fail or answer something that is not JSON.
 */
class LlmMinerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private HttpServer server;

    /** Recorded answers of a model, chosen by the step the system prompt asks for. */
    private static final Map<String, String> RECORDED = Map.of(
            "You extract", "{\"reports\": [{\"id\": \"1\", \"entities\": [\"Sinus rhythm\", \"LBBB\"]},"
                    + " {\"id\": \"2\", \"entities\": [\"sinus rhythm\", \"left bundle branch block\", \"ST elevation\"]},"
                    + " {\"id\": \"3\", \"entities\": [\"atrial fibrillation\"]}]}",
            "You normalise", "{\"groups\": [{\"name\": \"left bundle branch block\", \"members\": [\"lbbb\","
                    + " \"left bundle branch block\"]}, {\"name\": \"sinus rhythm\", \"members\": [\"sinus rhythm\"]},"
                    + " {\"name\": \"st elevation\", \"members\": [\"st elevation\"]}, {\"name\": \"atrial fibrillation\","
                    + " \"members\": [\"atrial fibrillation\"]}]}",
            "You organise", "{\"parents\": {\"left bundle branch block\": \"bundle branch block\", \"sinus rhythm\": null,"
                    + " \"st elevation\": \"st-t change\", \"atrial fibrillation\": \"arrhythmia\"}}",
            "You check", "{\"reports\": [{\"id\": \"1\", \"asserted\": [\"sinus rhythm\", \"left bundle branch block\"]},"
                    + " {\"id\": \"2\", \"asserted\": [\"sinus rhythm\", \"left bundle branch block\"]},"
                    + " {\"id\": \"3\", \"asserted\": [\"atrial fibrillation\"]}]}");

    /** Starts a loopback server; {@code answer} maps the request's system prompt to (status, content). */
    private String serve(Function<String, Object[]> answer, AtomicInteger hits) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/chat/completions", exchange -> {
            hits.incrementAndGet();
            JsonNode req = JSON.readTree(exchange.getRequestBody());
            String system = req.path("messages").path(0).path("content").asText();
            Object[] a = answer.apply(system);
            int status = (int) a[0];
            String body;
            if (status == 200) {
                ObjectNode resp = JSON.createObjectNode();
                resp.putArray("choices").addObject().putObject("message").put("role", "assistant")
                        .put("content", (String) a[1]);
                body = JSON.writeValueAsString(resp);
            } else {
                body = "{\"error\": \"" + a[1] + "\"}";
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private static Object[] recorded(String system) {
        return RECORDED.entrySet().stream().filter(e -> system.startsWith(e.getKey())).findFirst()
                .map(e -> new Object[] {200, e.getValue()}).orElse(new Object[] {400, "unknown step"});
    }

    private static final List<ReportTexts.Report> REPORTS = List.of(new ReportTexts.Report("1", "Sinus rhythm. LBBB."),
            new ReportTexts.Report("2", "SR. left bundle branch block. no ST elevation."),
            new ReportTexts.Report("3", "Atrial fibrillation."));

    @Test
    void fourStepsWriteTheSameFilesAsTheEmbeddedModeAndRerunsAreFree(@TempDir Path tmp) throws IOException {
        AtomicInteger hits = new AtomicInteger();
        String url = serve(LlmMinerTest::recorded, hits);
        ChatClient client = new ChatClient(url, "llama-3.1-70b", null, Duration.ofSeconds(5), 3, 10);
        try (AnswerCache cache = new AnswerCache(tmp.resolve("cache.jsonl"))) {
            new LlmMiner(client, cache, "llama-3.1-70b", 8).run(REPORTS, 1, tmp.resolve("out"), null);
        }
        assertEquals(4, hits.get(), "one request per step for three reports");
        List<String> labels = Files.readAllLines(tmp.resolve("out/labels.csv"));
        assertEquals("1,bundle_branch_block;left_bundle_branch_block;sinus_rhythm", labels.get(1));
        assertEquals("2,bundle_branch_block;left_bundle_branch_block;sinus_rhythm", labels.get(2),
                "the verifier removed the negated ST elevation");
        assertEquals("3,arrhythmia;atrial_fibrillation", labels.get(3));
        String vocab = Files.readString(tmp.resolve("out/vocabulary.json"));
        assertTrue(vocab.contains("\"lbbb\"") && vocab.contains("\"mode\" : \"llm\""), vocab);
        // Rerun: every answer comes from the cache, no request reaches the server.
        ChatClient again = new ChatClient(url, "llama-3.1-70b", null, Duration.ofSeconds(5), 3, 10);
        try (AnswerCache cache = new AnswerCache(tmp.resolve("cache.jsonl"))) {
            assertEquals(4, cache.size());
            new LlmMiner(again, cache, "llama-3.1-70b", 8).run(REPORTS, 1, tmp.resolve("out2"), null);
        }
        assertEquals(0, again.requests());
        assertEquals(labels, Files.readAllLines(tmp.resolve("out2/labels.csv")));
    }

    @Test
    void retriesServerErrorsAndInvalidJsonThenSucceeds(@TempDir Path tmp) throws IOException {
        AtomicInteger hits = new AtomicInteger();
        AtomicInteger calls = new AtomicInteger();
        String url = serve(system -> switch (calls.incrementAndGet()) {
            case 1 -> new Object[] {503, "overloaded"};
            case 2 -> new Object[] {200, "Sure! Here are the findings: sinus rhythm"};
            default -> new Object[] {200, "```json\n{\"reports\": []}\n```"};
        }, hits);
        ChatClient client = new ChatClient(url, "m", "secret", Duration.ofSeconds(5), 3, 5);
        JsonNode a = client.complete("You extract", "{}");
        assertTrue(a.has("reports"));
        assertEquals(3, client.requests());
    }

    @Test
    void aServerThatNeverAnswersValidJsonOrInTimeFailsWithAReason(@TempDir Path tmp) throws IOException {
        AtomicInteger hits = new AtomicInteger();
        String url = serve(system -> new Object[] {200, "not json at all"}, hits);
        ChatClient client = new ChatClient(url, "m", null, Duration.ofSeconds(5), 2, 5);
        IOException e = assertThrows(IOException.class, () -> client.complete("You extract", "{}"));
        assertTrue(e.getMessage().contains("gave up after 2 attempts") && e.getMessage().contains("not valid JSON"),
                e.getMessage());
        stop();
        String slow = serve(system -> {
            try {
                Thread.sleep(1500);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
            return new Object[] {200, "{}"};
        }, hits);
        ChatClient impatient = new ChatClient(slow, "m", null, Duration.ofMillis(200), 2, 5);
        IOException t = assertThrows(IOException.class, () -> impatient.complete("You extract", "{}"));
        assertTrue(t.getMessage().contains("did not answer within 200 ms"), t.getMessage());
        stop();
        String refusing = serve(system -> new Object[] {401, "bad key"}, hits);
        ChatClient unauthorised = new ChatClient(refusing, "m", null, Duration.ofSeconds(5), 3, 5);
        IOException u = assertThrows(IOException.class, () -> unauthorised.complete("You extract", "{}"));
        assertTrue(u.getMessage().contains("HTTP 401") && u.getMessage().contains("bad key"), u.getMessage());
        assertEquals(1, unauthorised.requests(), "a client error is not retried");
    }

    @Test
    void aTornCacheLineIsAskedAgain(@TempDir Path tmp) throws IOException {
        Path file = tmp.resolve("c.jsonl");
        try (AnswerCache c = new AnswerCache(file)) {
            c.put("k1", JSON.readTree("{\"a\": 1}"));
        }
        Files.writeString(file, "{\"key\": \"k2\", \"answ", java.nio.file.StandardOpenOption.APPEND);
        try (AnswerCache c = new AnswerCache(file)) {
            assertEquals(1, c.size());
            assertEquals(1, c.get("k1").get("a").asInt());
            c.put("k3", JSON.readTree("{\"b\": 2}"));
        }
        try (AnswerCache c = new AnswerCache(file)) {
            assertEquals(2, c.get("k3").get("b").asInt(), "an answer written after a torn line is kept");
        }
    }
}
