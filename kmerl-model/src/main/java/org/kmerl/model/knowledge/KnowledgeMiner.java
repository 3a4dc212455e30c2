package org.kmerl.model.knowledge;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntConsumer;

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
        MiningOutput.write(out, r.reports(), r.labels(), r.counts(), extractor.vocabulary()::get,
                Map.of("mode", "embedded vocabulary", "uncertain_mentions_count", includeUncertain));
    }
}
