package org.kmerl.model.pretrain;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.kmerl.model.knowledge.Entity;
import org.kmerl.model.knowledge.EntityExtractor;
import org.kmerl.model.knowledge.KnowledgeMiner;
import org.kmerl.model.knowledge.ReportTexts;
import org.kmerl.model.knowledge.Vocabulary;
import org.kmerl.model.text.EmbeddingCache;
import org.kmerl.model.text.TextEncoder;
import org.kmerl.tensor.Tensor;

/**
 * Everything the text side contributes, computed once before training with the frozen text encoder:
 * report embeddings of both splits, the mined entities (names embedded as queries) with each report's
 * multi-hot row, and the validation classes (ground-truth codes named by the vocabulary, embedded as
 * zero-shot queries).
 */
public final class Supervision {
    private final int textDim;
    private final float[] trainReports;
    private final float[] validationReports;
    private final EntitySet entities;
    private final float[] entityText;
    private final List<float[]> trainEntityRows;
    private final List<float[]> validationEntityRows;
    private final List<String> classCodes;
    private final List<String> classNames;
    private final float[] classText;
    private final KnowledgeMiner.Result mined;
    private final KnowledgeMiner miner;

    private Supervision(Builder b) {
        this.textDim = b.textDim;
        this.trainReports = b.trainReports;
        this.validationReports = b.validationReports;
        this.entities = b.entities;
        this.entityText = b.entityText;
        this.trainEntityRows = b.trainEntityRows;
        this.validationEntityRows = b.validationEntityRows;
        this.classCodes = b.classCodes;
        this.classNames = b.classNames;
        this.classText = b.classText;
        this.mined = b.mined;
        this.miner = b.miner;
    }

    private static final class Builder {
        int textDim;
        float[] trainReports;
        float[] validationReports;
        EntitySet entities;
        float[] entityText;
        List<float[]> trainEntityRows;
        List<float[]> validationEntityRows;
        List<String> classCodes;
        List<String> classNames;
        float[] classText;
        KnowledgeMiner.Result mined;
        KnowledgeMiner miner;
    }

    /**
     * Mines entities from the training reports (kept when in at least {@code minEntityCount} reports),
     * labels both splits with them, and embeds reports, entity names and validation class names with
     * {@code encoder} through the embedding cache {@code cacheFile} (saved, so a resumed run embeds
     * nothing again).
     */
    public static Supervision prepare(PretrainData train, PretrainData validation, TextEncoder encoder, Path cacheFile,
                                      int minEntityCount) throws IOException {
        Builder b = new Builder();
        b.textDim = encoder.dimension();
        Vocabulary vocabulary = Vocabulary.embedded();
        b.miner = new KnowledgeMiner(new EntityExtractor(vocabulary), false);
        List<ReportTexts.Report> trainReports = reports(train);
        List<ReportTexts.Report> validationReports = reports(validation);
        EntitySet.Mined mined = EntitySet.mine(b.miner, vocabulary, trainReports, minEntityCount);
        b.entities = mined.entities();
        b.mined = mined.result();
        b.trainEntityRows = rows(mined.entities(), mined.result().labels());
        b.validationEntityRows = rows(mined.entities(), b.miner.mine(validationReports, 1, null).labels());

        Map<String, String> names = new LinkedHashMap<>();
        for (String code : validationCodes(validation)) {
            names.put(code, className(vocabulary, code));
        }
        b.classCodes = new ArrayList<>(names.keySet());
        b.classNames = new ArrayList<>(names.values());

        EmbeddingCache cache = EmbeddingCache.open(cacheFile, encoder);
        b.trainReports = embed(cache, trainReports.stream().map(ReportTexts.Report::text).toList());
        b.validationReports = embed(cache, validationReports.stream().map(ReportTexts.Report::text).toList());
        b.entityText = embed(cache, b.entities.names());
        b.classText = b.classNames.isEmpty() ? new float[0] : embed(cache, b.classNames);
        cache.save();
        return new Supervision(b);
    }

    private static List<ReportTexts.Report> reports(PretrainData data) {
        return IntStream.range(0, data.size()).mapToObj(i -> new ReportTexts.Report(data.id(i), data.report(i))).toList();
    }

    private static List<float[]> rows(EntitySet entities, List<Set<String>> labels) {
        List<float[]> out = new ArrayList<>(labels.size());
        for (Set<String> l : labels) {
            float[] row = new float[entities.size()];
            entities.multiHot(l, row, 0);
            out.add(row);
        }
        return out;
    }

    /** Codes with at least one positive and one negative record in the validation split. */
    private static List<String> validationCodes(PretrainData validation) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (int i = 0; i < validation.size(); i++) {
            validation.labels(i).forEach(c -> counts.merge(c, 1, Integer::sum));
        }
        Set<String> codes = new TreeSet<>();
        counts.forEach((c, n) -> {
            if (n > 0 && n < validation.size()) {
                codes.add(c);
            }
        });
        return new ArrayList<>(codes);
    }

    /** The vocabulary's name for a statement code (its entity mapped to that SCP code), else the code. */
    static String className(Vocabulary vocabulary, String code) {
        return vocabulary.forScp(code).map(Entity::name).orElse(code);
    }

    private static float[] embed(EmbeddingCache cache, List<String> texts) {
        try (Tensor t = cache.embed(texts)) {
            return t.toFloatArray();
        }
    }

    public int textDim() {
        return textDim;
    }

    public float[] trainReports() {
        return trainReports;
    }

    public float[] validationReports() {
        return validationReports;
    }

    public EntitySet entities() {
        return entities;
    }

    /** [E, textDim] as a new tensor. */
    public Tensor entityText() {
        return Tensor.of(entityText, entities.size(), textDim);
    }

    public List<float[]> trainEntityRows() {
        return trainEntityRows;
    }

    public List<float[]> validationEntityRows() {
        return validationEntityRows;
    }

    public List<String> classCodes() {
        return classCodes;
    }

    public List<String> classNames() {
        return classNames;
    }

    /** [C, textDim] as a new tensor. */
    public Tensor classText() {
        return Tensor.of(classText, classCodes.size(), textDim);
    }

    /** Writes the mining output (vocabulary.json, labels.csv, frequencies.csv) of the training reports. */
    public void writeMining(Path dir) throws IOException {
        miner.write(mined, dir);
    }
}
