package org.kmerl.model.pretrain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.kmerl.tensor.io.AtomicFiles;

/**
 * The JSONL metrics log: one JSON object per line with a {@code "kind"} ("step", "validation") and the
 * {@code "step"} it belongs to. Lines are flushed as they are written. On resume the lines of steps
 * after the checkpoint are dropped (they will be produced again), so the log reads like one run.
 */
public final class MetricsLog implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final BufferedWriter out;

    private MetricsLog(Path file, BufferedWriter out) {
        this.file = file;
        this.out = out;
    }

    /** Opens for appending, after dropping the lines of steps after {@code completedSteps}. */
    public static MetricsLog open(Path file, long completedSteps) throws IOException {
        if (Files.exists(file)) {
            List<String> kept = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    if (JSON.readTree(line).path("step").asLong() <= completedSteps) {
                        kept.add(line);
                    }
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    // a line cut by a crash: dropped
                }
            }
            byte[] bytes = kept.isEmpty() ? new byte[0] : (String.join("\n", kept) + "\n").getBytes(StandardCharsets.UTF_8);
            AtomicFiles.write(file, o -> o.write(bytes));
        }
        return new MetricsLog(file, Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND));
    }

    public static ObjectNode line(String kind, long step) {
        ObjectNode n = JSON.createObjectNode();
        n.put("kind", kind);
        n.put("step", step);
        return n;
    }

    public synchronized void write(JsonNode line) throws IOException {
        out.write(JSON.writeValueAsString(line));
        out.newLine();
        out.flush();
    }

    /** Every line of a log file, parsed. */
    public static List<JsonNode> read(Path file) throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                lines.add(JSON.readTree(line));
            }
        }
        return lines;
    }

    public Path file() {
        return file;
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
