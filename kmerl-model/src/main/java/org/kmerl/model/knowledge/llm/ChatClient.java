package org.kmerl.model.knowledge.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * A client for any OpenAI-compatible chat-completions server (vLLM, Ollama, llama.cpp, ...): POSTs
 * {@code {model, messages, temperature 0, response_format json_object}} to {@code <base>/chat/completions}
 * and returns the answer parsed as JSON. Timeouts, connection errors, HTTP 429/5xx and answers that are not
 * JSON are retried with exponential back-off; other HTTP errors fail at once with the server's message.
 */
public final class ChatClient {
    private final URI endpoint;
    private final String model;
    private final String apiKey;
    private final Duration timeout;
    private final int attempts;
    private final long backoffMillis;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();
    private int requests;

    public ChatClient(String baseUrl, String model, String apiKey, Duration timeout, int attempts, long backoffMillis) {
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.endpoint = URI.create(base.endsWith("/chat/completions") ? base : base + "/chat/completions");
        this.model = model;
        this.apiKey = apiKey;
        this.timeout = timeout;
        this.attempts = Math.max(1, attempts);
        this.backoffMillis = backoffMillis;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** HTTP requests sent so far (tests check that a resumed job sends none). */
    public int requests() {
        return requests;
    }

    /** The assistant's answer to {@code system} + {@code user}, as a JSON object. */
    public JsonNode complete(String system, String user) throws IOException {
        ObjectNode body = json.createObjectNode();
        body.put("model", model);
        body.put("temperature", 0);
        body.putObject("response_format").put("type", "json_object");
        var messages = body.putArray("messages");
        messages.addObject().put("role", "system").put("content", system);
        messages.addObject().put("role", "user").put("content", user);
        String payload = json.writeValueAsString(body);
        IOException last = null;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            if (attempt > 1) {
                sleep(backoffMillis * (1L << (attempt - 2)));
            }
            HttpRequest.Builder req = HttpRequest.newBuilder(endpoint).timeout(timeout)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(payload));
            if (apiKey != null && !apiKey.isBlank()) {
                req.header("Authorization", "Bearer " + apiKey);
            }
            requests++;
            HttpResponse<String> resp;
            try {
                resp = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
            } catch (HttpTimeoutException e) {
                last = new IOException(endpoint + " did not answer within " + timeout.toMillis() + " ms", e);
                continue;
            } catch (IOException e) {
                last = new IOException(endpoint + ": " + e.getMessage(), e);
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for " + endpoint, e);
            }
            int status = resp.statusCode();
            if (status == 429 || status >= 500) {
                last = new IOException(endpoint + " answered HTTP " + status + ": " + abbreviate(resp.body()));
                continue;
            }
            if (status != 200) {
                throw new IOException(endpoint + " answered HTTP " + status + ": " + abbreviate(resp.body()));
            }
            try {
                JsonNode content = json.readTree(resp.body()).path("choices").path(0).path("message").path("content");
                if (!content.isTextual()) {
                    last = new IOException(endpoint + " answered without choices[0].message.content: " + abbreviate(resp.body()));
                    continue;
                }
                JsonNode answer = json.readTree(stripFences(content.asText()));
                if (!answer.isObject()) {
                    last = new IOException("the model's answer is not a JSON object: " + abbreviate(content.asText()));
                    continue;
                }
                return answer;
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                last = new IOException("the model's answer is not valid JSON: " + abbreviate(resp.body()), e);
            }
        }
        throw new IOException("gave up after " + attempts + " attempts: " + last.getMessage(), last);
    }

    /** Models sometimes wrap JSON in a ```json fence despite response_format. */
    static String stripFences(String s) {
        String t = s.strip();
        if (t.startsWith("```")) {
            int first = t.indexOf('\n');
            int last = t.lastIndexOf("```");
            if (first > 0 && last > first) {
                return t.substring(first + 1, last).strip();
            }
        }
        return t;
    }

    private static String abbreviate(String s) {
        String one = s == null ? "" : s.replaceAll("\\s+", " ");
        return one.length() > 200 ? one.substring(0, 197) + "..." : one;
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted during back-off", e);
        }
    }
}
