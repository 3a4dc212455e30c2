package org.kmerl.model.knowledge.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The model's answers, appended as JSON lines {@code {"key": sha256, "answer": {...}}} and flushed after
 * each one, so a crash loses at most the request in flight and a rerun asks only what is not cached. The
 * key hashes the step, the model and the exact prompt. A torn last line (a crash mid-write) is ignored.
 */
public final class AnswerCache implements AutoCloseable {
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, JsonNode> answers = new LinkedHashMap<>();
    private final BufferedWriter out;

    public AnswerCache(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        if (Files.exists(file)) {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (String line : lines) {
                try {
                    JsonNode n = json.readTree(line);
                    answers.put(n.get("key").asText(), n.get("answer"));
                } catch (IOException | RuntimeException e) {
                    // a torn line from an interrupted write: that answer is simply asked again
                }
            }
        }
        boolean torn = Files.exists(file) && Files.size(file) > 0 && lastByte(file) != '\n';
        this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        if (torn) {
            out.newLine();   // end the torn line so the next answer starts a line of its own
        }
    }

    private static int lastByte(Path file) throws IOException {
        try (var ch = java.nio.channels.FileChannel.open(file, StandardOpenOption.READ)) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1);
            ch.read(b, ch.size() - 1);
            return b.get(0);
        }
    }

    public static String key(String step, String model, String system, String user) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            for (String part : new String[] {step, model, system, user}) {
                d.update(part.getBytes(StandardCharsets.UTF_8));
                d.update((byte) 0);
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public JsonNode get(String key) {
        return answers.get(key);
    }

    public synchronized void put(String key, JsonNode answer) throws IOException {
        ObjectNode line = json.createObjectNode();
        line.put("key", key);
        line.set("answer", answer);
        out.write(json.writeValueAsString(line));
        out.newLine();
        out.flush();
        answers.put(key, answer);
    }

    public int size() {
        return answers.size();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
