package org.kmerl.model.knowledge.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.IntConsumer;
import org.kmerl.model.knowledge.Entity;
import org.kmerl.model.knowledge.MiningOutput;
import org.kmerl.model.knowledge.ReportTexts;

/**
 * K-MERL's knowledge mining with a large language model behind an OpenAI-compatible server, in four
 * steps, each answered as JSON and cached (a rerun asks only what is missing):
 * <ol>
 *   <li>extract: the cardiac findings each report asserts, in English, batch by batch;</li>
 *   <li>merge: duplicates and synonyms among all extracted names grouped under one canonical name;</li>
 *   <li>hierarchy: a superclass for each canonical entity (or none);</li>
 *   <li>verify: for each report, which of its canonical entities the text really asserts.</li>
 * </ol>
 * The output files are the embedded mode's ({@link MiningOutput}).
 */
public final class LlmMiner {
    static final String EXTRACT = "You extract cardiac findings from ECG reports (any language). For each report,"
            + " list the cardiac-related entities it asserts (diagnoses, rhythms, conduction, morphology findings),"
            + " in short English clinical terms; leave out negated findings. Answer JSON: {\"reports\": [{\"id\": \"...\","
            + " \"entities\": [\"...\"]}]}.";
    static final String MERGE = "You normalise ECG finding names. Group names that mean the same finding (synonyms,"
            + " abbreviations, spelling variants) under one canonical lower-case English name. Every input name must"
            + " appear in exactly one group. Answer JSON: {\"groups\": [{\"name\": \"...\", \"members\": [\"...\"]}]}.";
    static final String HIERARCHY = "You organise ECG findings in a hierarchy. For each finding give its direct"
            + " superclass (a broader finding, e.g. anterior myocardial infarction -> myocardial infarction, left anterior"
            + " fascicular block -> fascicular block), or null if it is a top-level class. Answer JSON: {\"parents\":"
            + " {\"finding\": \"superclass or null\"}}.";
    static final String VERIFY = "You check ECG findings against their reports. For each report, keep only the listed"
            + " findings that the report text really asserts (not negated, not merely mentioned as excluded). Answer"
            + " JSON: {\"reports\": [{\"id\": \"...\", \"asserted\": [\"...\"]}]}.";

    private final ChatClient client;
    private final AnswerCache cache;
    private final String model;
    private final int batch;
    private final ObjectMapper json = new ObjectMapper();

    public LlmMiner(ChatClient client, AnswerCache cache, String model, int batch) {
        this.client = client;
        this.cache = cache;
        this.model = model;
        this.batch = Math.max(1, batch);
    }

    /** One cached call. */
    private JsonNode ask(String step, String system, String user) throws IOException {
        String key = AnswerCache.key(step, model, system, user);
        JsonNode cached = cache.get(key);
        if (cached != null) {
            return cached;
        }
        JsonNode answer = client.complete(system, user);
        cache.put(key, answer);
        return answer;
    }

    /** Runs the four steps and writes the files to {@code out}. */
    public void run(List<ReportTexts.Report> reports, int minCount, Path out, IntConsumer progress) throws IOException {
        // 1. extract
        Map<String, List<String>> extracted = new LinkedHashMap<>();
        for (int from = 0; from < reports.size(); from += batch) {
            List<ReportTexts.Report> part = reports.subList(from, Math.min(reports.size(), from + batch));
            JsonNode a = ask("extract", EXTRACT, reportsJson(part, null));
            for (JsonNode r : a.path("reports")) {
                List<String> names = new ArrayList<>();
                r.path("entities").forEach(n -> names.add(clean(n.asText())));
                extracted.put(r.path("id").asText(), names);
            }
            if (progress != null) {
                progress.accept(Math.min(reports.size(), from + batch));
            }
        }
        // 2. merge
        Set<String> names = new LinkedHashSet<>();
        extracted.values().forEach(names::addAll);
        names.remove("");
        Map<String, String> canonical = new LinkedHashMap<>();
        Map<String, Set<String>> members = new LinkedHashMap<>();
        List<String> all = List.copyOf(names);
        for (int from = 0; from < all.size(); from += 200) {
            ArrayNode list = json.createArrayNode();
            all.subList(from, Math.min(all.size(), from + 200)).forEach(list::add);
            JsonNode a = ask("merge", MERGE, json.writeValueAsString(json.createObjectNode().set("names", list)));
            for (JsonNode g : a.path("groups")) {
                String name = clean(g.path("name").asText());
                for (JsonNode m : g.path("members")) {
                    canonical.put(clean(m.asText()), name);
                    members.computeIfAbsent(name, k -> new LinkedHashSet<>()).add(clean(m.asText()));
                }
            }
        }
        for (String n : names) {   // a name the model forgot to group stands for itself
            canonical.putIfAbsent(n, n);
            members.computeIfAbsent(canonical.get(n), k -> new LinkedHashSet<>()).add(n);
        }
        // 3. hierarchy
        Map<String, String> parent = new LinkedHashMap<>();
        List<String> entities = List.copyOf(members.keySet());
        for (int from = 0; from < entities.size(); from += 200) {
            ArrayNode list = json.createArrayNode();
            entities.subList(from, Math.min(entities.size(), from + 200)).forEach(list::add);
            JsonNode a = ask("hierarchy", HIERARCHY, json.writeValueAsString(json.createObjectNode().set("findings", list)));
            a.path("parents").fields().forEachRemaining(f -> {
                String p = f.getValue().isNull() ? "" : clean(f.getValue().asText());
                if (!p.isEmpty() && !p.equals(clean(f.getKey()))) {
                    parent.put(clean(f.getKey()), p);
                }
            });
        }
        // 4. verify
        List<Set<String>> labels = new ArrayList<>();
        for (int from = 0; from < reports.size(); from += batch) {
            List<ReportTexts.Report> part = reports.subList(from, Math.min(reports.size(), from + batch));
            Map<String, List<String>> candidates = new LinkedHashMap<>();
            for (ReportTexts.Report r : part) {
                Set<String> c = new LinkedHashSet<>();
                extracted.getOrDefault(r.id(), List.of()).forEach(n -> c.add(canonical.getOrDefault(n, n)));
                candidates.put(r.id(), List.copyOf(c));
            }
            JsonNode a = ask("verify", VERIFY, reportsJson(part, candidates));
            Map<String, Set<String>> asserted = new LinkedHashMap<>();
            for (JsonNode r : a.path("reports")) {
                Set<String> keep = new LinkedHashSet<>();
                r.path("asserted").forEach(n -> keep.add(canonical.getOrDefault(clean(n.asText()), clean(n.asText()))));
                asserted.put(r.path("id").asText(), keep);
            }
            for (ReportTexts.Report r : part) {
                Set<String> keep = new LinkedHashSet<>(asserted.getOrDefault(r.id(), Set.of()));
                keep.retainAll(candidates.get(r.id()));   // the verifier may only remove
                Set<String> withParents = new LinkedHashSet<>();
                for (String k : keep) {
                    withParents.add(id(k));
                    for (String p = parent.get(k); p != null && withParents.add(id(p)); p = parent.get(p)) {
                        members.computeIfAbsent(p, x -> new LinkedHashSet<>(Set.of(x)));
                    }
                }
                labels.add(withParents);
            }
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        labels.forEach(l -> l.forEach(id -> counts.merge(id, 1, Integer::sum)));
        Map<String, Integer> kept = new LinkedHashMap<>();
        counts.entrySet().stream().filter(e -> e.getValue() >= minCount).sorted((x, y) -> y.getValue() - x.getValue())
                .forEach(e -> kept.put(e.getKey(), e.getValue()));
        List<Set<String>> filtered = labels.stream().map(l -> Set.copyOf(l.stream().filter(kept::containsKey).toList()))
                .toList();
        Map<String, Entity> byId = new LinkedHashMap<>();
        for (Map.Entry<String, Set<String>> m : members.entrySet()) {
            String p = parent.get(m.getKey());
            byId.put(id(m.getKey()), new Entity(id(m.getKey()), m.getKey(), p == null ? List.of() : List.of(id(p)), List.of(),
                    List.of(), Map.of("en", List.copyOf(m.getValue()))));
        }
        MiningOutput.write(out, reports, filtered, kept, byId::get, Map.of("mode", "llm", "model", model));
    }

    private String reportsJson(List<ReportTexts.Report> part, Map<String, List<String>> candidates) throws IOException {
        ObjectNode root = json.createObjectNode();
        ArrayNode list = root.putArray("reports");
        for (ReportTexts.Report r : part) {
            ObjectNode n = list.addObject().put("id", r.id()).put("text", r.text());
            if (candidates != null) {
                candidates.get(r.id()).forEach(n.withArray("findings")::add);
            }
        }
        return json.writeValueAsString(root);
    }

    private static String clean(String s) {
        return s == null ? "" : s.strip().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
    }

    /** A stable id from a canonical name ("left bundle branch block" -> "left_bundle_branch_block"). */
    static String id(String name) {
        String s = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
        return s.isEmpty() ? "entity" : s;
    }
}
