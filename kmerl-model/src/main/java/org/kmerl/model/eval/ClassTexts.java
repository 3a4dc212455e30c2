package org.kmerl.model.eval;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.kmerl.model.data.ptbxl.ScpStatement;
import org.kmerl.model.knowledge.Entity;
import org.kmerl.model.knowledge.Vocabulary;

/**
 * The text a class is scored by in zero-shot evaluation. K-MERL's query network takes the class name
 * itself as a query, so the defaults are plain clinical names: the entity vocabulary's name for an SCP
 * statement, else PTB-XL's own description of it; PTB-XL's super- and subclass abbreviations get the
 * names of the PTB-XL paper (Wagner et al. 2020, table 2). A user file ({@code code,text} rows)
 * overrides any of them.
 */
public final class ClassTexts {
    /** PTB-XL's diagnostic super- and subclasses, which are not SCP statements themselves. */
    private static final Map<String, String> PTBXL_CLASSES = Map.ofEntries(
            Map.entry("NORM", "normal ECG"),
            Map.entry("MI", "myocardial infarction"),
            Map.entry("STTC", "ST/T change"),
            Map.entry("CD", "conduction disturbance"),
            Map.entry("HYP", "hypertrophy"),
            Map.entry("AMI", "anterior myocardial infarction"),
            Map.entry("IMI", "inferior myocardial infarction"),
            Map.entry("LMI", "lateral myocardial infarction"),
            Map.entry("PMI", "posterior myocardial infarction"),
            Map.entry("ISCA", "ischemia in anterior leads"),
            Map.entry("ISCI", "ischemia in inferior leads"),
            Map.entry("ISC_", "non-specific ischemia"),
            Map.entry("NST_", "non-specific ST changes"),
            Map.entry("LVH", "left ventricular hypertrophy"),
            Map.entry("RVH", "right ventricular hypertrophy"),
            Map.entry("SEHYP", "septal hypertrophy"),
            Map.entry("LAO/LAE", "left atrial enlargement"),
            Map.entry("RAO/RAE", "right atrial enlargement"),
            Map.entry("CLBBB", "complete left bundle branch block"),
            Map.entry("CRBBB", "complete right bundle branch block"),
            Map.entry("ILBBB", "incomplete left bundle branch block"),
            Map.entry("IRBBB", "incomplete right bundle branch block"),
            Map.entry("IVCD", "non-specific intraventricular conduction disturbance"),
            Map.entry("LAFB/LPFB", "left anterior or posterior fascicular block"),
            Map.entry("WPW", "Wolff-Parkinson-White syndrome"),
            Map.entry("_AVB", "atrioventricular block"));

    private final Vocabulary vocabulary;
    private final Map<String, ScpStatement> statements;
    private final Map<String, String> overrides;

    public ClassTexts(Vocabulary vocabulary, Map<String, ScpStatement> statements, Map<String, String> overrides) {
        this.vocabulary = vocabulary;
        this.statements = statements;
        this.overrides = Map.copyOf(overrides);
    }

    /** The text of class {@code code}: the user's, PTB-XL's class name, the vocabulary's entity, the statement's description, or the code. */
    public String of(String code) {
        String own = overrides.get(code);
        if (own != null) {
            return own;
        }
        String ptbxl = PTBXL_CLASSES.get(code);
        if (ptbxl != null) {
            return ptbxl;
        }
        return vocabulary.forScp(code).map(Entity::name).orElseGet(() -> {
            ScpStatement s = statements.get(code);
            return s != null && !s.description().isBlank() ? s.description() : code;
        });
    }

    /** {@code code,text} rows (a header row {@code code,text} is optional). */
    public static Map<String, String> readOverrides(Path file) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        try (Reader in = Files.newBufferedReader(file)) {
            for (CSVRecord row : CSVFormat.DEFAULT.parse(in)) {
                if (row.getRecordNumber() == 1 && row.size() >= 2 && row.get(0).equalsIgnoreCase("code")) {
                    continue;
                }
                if (row.size() < 2 || row.get(0).isBlank() || row.get(1).isBlank()) {
                    throw new IllegalArgumentException(file + " line " + row.getRecordNumber()
                            + ": expected 'code,text' (both non-empty)");
                }
                out.put(row.get(0).strip(), row.get(1).strip());
            }
        }
        return out;
    }
}
