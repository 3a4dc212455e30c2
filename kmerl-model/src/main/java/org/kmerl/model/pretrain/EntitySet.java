package org.kmerl.model.pretrain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.kmerl.model.ModelFormatException;
import org.kmerl.model.knowledge.KnowledgeMiner;
import org.kmerl.model.knowledge.ReportTexts;
import org.kmerl.model.knowledge.Vocabulary;
import org.kmerl.tensor.io.AtomicFiles;

/**
 * The entities the query network is trained on: ids, names (the query texts) and training counts, in
 * a fixed order (most frequent first), and each report's multi-hot row.
 */
public final class EntitySet {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> ids;
    private final List<String> names;
    private final List<Integer> counts;
    private final Map<String, Integer> position = new HashMap<>();

    public EntitySet(List<String> ids, List<String> names, List<Integer> counts) {
        if (ids.size() != names.size() || ids.size() != counts.size()) {
            throw new IllegalArgumentException("entity ids, names and counts differ in length");
        }
        if (ids.isEmpty()) {
            throw new IllegalArgumentException("no entities: the reports mention none of the vocabulary's entities "
                    + "often enough (lower the minimum count)");
        }
        this.ids = List.copyOf(ids);
        this.names = List.copyOf(names);
        this.counts = List.copyOf(counts);
        for (int i = 0; i < ids.size(); i++) {
            position.put(ids.get(i), i);
        }
    }

    /**
     * Mines {@code reports} with {@code miner} (whose vocabulary names the entities); entities in fewer
     * than {@code minCount} reports are dropped.
     */
    public static Mined mine(KnowledgeMiner miner, Vocabulary vocabulary, List<ReportTexts.Report> reports, int minCount) {
        KnowledgeMiner.Result r = miner.mine(reports, minCount, null);
        List<String> ids = new ArrayList<>(r.counts().keySet());
        EntitySet set = new EntitySet(ids, ids.stream().map(id -> vocabulary.get(id).name()).toList(),
                ids.stream().map(r.counts()::get).toList());
        return new Mined(set, r);
    }

    /** A mining run: the entity set, and the miner's result (each report's entity ids, the counts). */
    public record Mined(EntitySet entities, KnowledgeMiner.Result result) {
    }

    public int size() {
        return ids.size();
    }

    public List<String> ids() {
        return ids;
    }

    public List<String> names() {
        return names;
    }

    public List<Integer> counts() {
        return counts;
    }

    /** Writes the multi-hot row of {@code labels} (entity ids; unknown ones ignored) at {@code offset}. */
    public void multiHot(Set<String> labels, float[] out, int offset) {
        for (String id : labels) {
            Integer p = position.get(id);
            if (p != null) {
                out[offset + p] = 1f;
            }
        }
    }

    public void write(Path file) throws IOException {
        ArrayNode arr = JSON.createArrayNode();
        for (int i = 0; i < ids.size(); i++) {
            arr.addObject().put("id", ids.get(i)).put("name", names.get(i)).put("count", counts.get(i));
        }
        byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(arr).getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(file, out -> out.write(bytes));
    }

    public static EntitySet read(Path file) throws IOException {
        JsonNode arr;
        try {
            arr = JSON.readTree(Files.readString(file));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ModelFormatException(file.toString(), "not valid JSON: " + e.getOriginalMessage());
        }
        List<String> ids = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        for (JsonNode n : arr) {
            if (!n.hasNonNull("id") || !n.hasNonNull("name")) {
                throw new ModelFormatException(file.toString(), "every entity needs an 'id' and a 'name'");
            }
            ids.add(n.get("id").asText());
            names.add(n.get("name").asText());
            counts.add(n.path("count").asInt(0));
        }
        return new EntitySet(ids, names, counts);
    }
}
