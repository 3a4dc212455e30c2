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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * The three files of a mining run, the same for the embedded extractor and the LLM mode:
 * {@code vocabulary.json} (entities with ids, names, synonyms, parents, codes and counts),
 * {@code labels.csv} (report id -> ';'-separated entity ids) and {@code frequencies.csv}. Atomic writes.
 */
public final class MiningOutput {
    private MiningOutput() {
    }

    /**
     * @param counts  entity id -> reports, in the order to write (the entities kept)
     * @param entity  the entity of an id
     * @param labels  per report (aligned with {@code reports}), its entity ids
     */
    public static void write(Path out, List<ReportTexts.Report> reports, List<Set<String>> labels,
                             Map<String, Integer> counts, Function<String, Entity> entity, Map<String, Object> settings)
            throws IOException {
        Files.createDirectories(out);
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("reports", reports.size());
        settings.forEach((k, v) -> root.putPOJO(k, v));
        ArrayNode list = root.putArray("entities");
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            Entity x = entity.apply(e.getKey());
            ObjectNode n = list.addObject();
            n.put("id", x.id());
            n.put("name", x.name());
            n.put("count", e.getValue());
            x.parents().forEach(n.withArray("parents")::add);
            x.scp().forEach(n.withArray("scp")::add);
            x.snomed().forEach(n.withArray("snomed")::add);
            ObjectNode syn = n.putObject("synonyms");
            x.synonyms().forEach((lang, phrases) -> phrases.forEach(syn.withArray(lang)::add));
        }
        atomic(out.resolve("vocabulary.json"), json.writerWithDefaultPrettyPrinter().writeValueAsString(root));
        StringWriter labelCsv = new StringWriter();
        try (CSVPrinter p = new CSVPrinter(labelCsv, CSVFormat.DEFAULT.builder().setHeader("id", "entities").get())) {
            for (int i = 0; i < reports.size(); i++) {
                p.printRecord(reports.get(i).id(), String.join(";", labels.get(i).stream().sorted().toList()));
            }
        }
        atomic(out.resolve("labels.csv"), labelCsv.toString());
        StringWriter freq = new StringWriter();
        try (CSVPrinter p = new CSVPrinter(freq, CSVFormat.DEFAULT.builder().setHeader("entity", "name", "reports", "share")
                .get())) {
            for (Map.Entry<String, Integer> e : counts.entrySet()) {
                p.printRecord(e.getKey(), entity.apply(e.getKey()).name(), e.getValue(),
                        String.format(Locale.ROOT, "%.4f", e.getValue() / (double) Math.max(1, reports.size())));
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
