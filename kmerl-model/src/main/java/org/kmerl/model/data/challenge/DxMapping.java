package org.kmerl.model.data.challenge;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.kmerl.model.ModelFormatException;

/**
 * SNOMED-CT code to abbreviation and name, from the Challenge 2021 mapping tables
 * (`dx_mapping_scored.csv`, `dx_mapping_unscored.csv` of physionetchallenges/evaluation-2021;
 * columns Dx, SNOMEDCTCode, Abbreviation, ...). The user points at the folder that holds them.
 */
public final class DxMapping {
    public record Diagnosis(String code, String abbreviation, String name, boolean scored) {
    }

    public static final String SCORED = "dx_mapping_scored.csv";
    public static final String UNSCORED = "dx_mapping_unscored.csv";

    private final Map<String, Diagnosis> byCode;

    private DxMapping(Map<String, Diagnosis> byCode) {
        this.byCode = byCode;
    }

    /** Reads both tables from {@code dir} (the unscored one may be absent). */
    public static DxMapping load(Path dir) throws IOException {
        Map<String, Diagnosis> map = new LinkedHashMap<>();
        Path scored = dir.resolve(SCORED);
        if (!Files.exists(scored)) {
            throw new NoSuchFileException(scored.toString(), null, "the Challenge 2021 mapping table is not there"
                    + " (physionetchallenges/evaluation-2021 ships it)");
        }
        read(scored, true, map);
        Path unscored = dir.resolve(UNSCORED);
        if (Files.exists(unscored)) {
            read(unscored, false, map);
        }
        return new DxMapping(map);
    }

    private static void read(Path file, boolean scored, Map<String, Diagnosis> map) throws IOException {
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (CSVRecord row : format.parse(in)) {
                String code;
                try {
                    code = row.get("SNOMEDCTCode").strip();
                } catch (IllegalArgumentException e) {
                    throw new ModelFormatException(file.toString(), "no SNOMEDCTCode column");
                }
                map.putIfAbsent(code, new Diagnosis(code, row.get("Abbreviation").strip(), row.get("Dx").strip(), scored));
            }
        }
    }

    /** The diagnosis of a SNOMED-CT code, or null when neither table has it. */
    public Diagnosis get(String code) {
        return byCode.get(code.strip());
    }

    public int size() {
        return byCode.size();
    }
}
