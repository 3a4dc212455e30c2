package org.kmerl.model.knowledge;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.IntConsumer;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * The embedded mining job: every report through the {@link EntityExtractor} (asserted mentions, and the
 * uncertain ones when wanted, each rolled up to its ancestors), then three files:
 * {@code vocabulary.json} (the entities kept, with ids, names, synonyms, parents and counts),
 * {@code labels.csv} (report id -> ';'-separated entity ids) and {@code frequencies.csv} (entity,
 * name, reports, share). Entities seen in fewer than {@code minCount} reports are dropped from all three.
 */
public final class KnowledgeMiner {
    /** What was mined: per report its entities, and per entity the number of reports. */
    public record Result(List<ReportTexts.Report> reports, List<Set<String>> labels, Map<String, Integer> counts) {
    }

    private final EntityExtractor extractor;
    private final boolean includeUncertain;

    public KnowledgeMiner(EntityExtractor extractor, boolean includeUncertain) {
        this.extractor = extractor;
        this.includeUncertain = includeUncertain;
    }

    public Result mine(List<ReportTexts.Report> reports, int minCount, IntConsumer progress) {
        List<Set<String>> labels = new ArrayList<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (int i = 0; i < reports.size(); i++) {
            Set<String> l = extractor.labels(reports.get(i).text(), includeUncertain, true);
            labels.add(l);
            l.forEach(id -> counts.merge(id, 1, Integer::sum));
            if (progress != null && (i % 256 == 255 || i == reports.size() - 1)) {
                progress.accept(i + 1);
            }
        }
        Map<String, Integer> kept = new LinkedHashMap<>();
        counts.entrySet().stream().filter(e -> e.getValue() >= minCount)
                .sorted((a, b) -> b.getValue() - a.getValue()).forEach(e -> kept.put(e.getKey(), e.getValue()));
        List<Set<String>> filtered = labels.stream().map(l -> Set.copyOf(l.stream().filter(kept::containsKey).toList()))
                .toList();
        return new Result(reports, filtered, kept);
    }

    public void write(Result r, Path out) throws IOException {
        Files.createDirectories(out);
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("reports", r.reports().size());
        root.put("uncertain_mentions_count", includeUncertain);
        ArrayNode list = root.putArray("entities");
        for (Map.Entry<String, Integer> e : r.counts().entrySet()) {
            Entity entity = extractor.vocabulary().get(e.getKey());
            ObjectNode n = list.addObject();
            n.put("id", entity.id());
            n.put("name", entity.name());
            n.put("count", e.getValue());
            entity.parents().forEach(n.withArray("parents")::add);
            entity.scp().forEach(n.withArray("scp")::add);
            entity.snomed().forEach(n.withArray("snomed")::add);
            ObjectNode syn = n.putObject("synonyms");
            entity.synonyms().forEach((lang, phrases) -> phrases.forEach(syn.withArray(lang)::add));
        }
        atomic(out.resolve("vocabulary.json"), json.writerWithDefaultPrettyPrinter().writeValueAsString(root));
        StringWriter labels = new StringWriter();
        try (CSVPrinter p = new CSVPrinter(labels, CSVFormat.DEFAULT.builder().setHeader("id", "entities").get())) {
            for (int i = 0; i < r.reports().size(); i++) {
                p.printRecord(r.reports().get(i).id(), String.join(";", r.labels().get(i).stream().sorted().toList()));
            }
        }
        atomic(out.resolve("labels.csv"), labels.toString());
        StringWriter freq = new StringWriter();
        try (CSVPrinter p = new CSVPrinter(freq, CSVFormat.DEFAULT.builder().setHeader("entity", "name", "reports", "share")
                .get())) {
            for (Map.Entry<String, Integer> e : r.counts().entrySet()) {
                p.printRecord(e.getKey(), extractor.vocabulary().get(e.getKey()).name(), e.getValue(),
                        String.format(Locale.ROOT, "%.4f", e.getValue() / (double) Math.max(1, r.reports().size())));
            }
        }
        atomic(out.resolve("frequencies.csv"), freq.toString());
    }

    private static void atomic(Path target, String text) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
