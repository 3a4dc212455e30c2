package org.kmerl.model.data.ptbxl;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.kmerl.model.ModelFormatException;

/**
 * PTB-XL's metadata in the dataset's own layout: {@code ptbxl_database.csv} (records, reports, SCP
 * codes, folds) and {@code scp_statements.csv}, with the benchmark's label sets ({@link PtbXlTask}).
 * Waveforms are read separately, with the WFDB reader, from {@link #waveform}.
 */
public final class PtbXl {
    public static final String DATABASE = "ptbxl_database.csv";
    public static final String STATEMENTS = "scp_statements.csv";

    private final Path dir;
    private final List<PtbXlRecord> records;
    private final Map<String, ScpStatement> statements;

    private PtbXl(Path dir, List<PtbXlRecord> records, Map<String, ScpStatement> statements) {
        this.dir = dir;
        this.records = records;
        this.statements = statements;
    }

    /** Reads the two CSV files of the PTB-XL folder {@code dir}. */
    public static PtbXl load(Path dir) throws IOException {
        Map<String, ScpStatement> statements = new LinkedHashMap<>();
        for (CSVRecord r : csv(dir.resolve(STATEMENTS))) {
            String code = r.get(0).strip();
            statements.put(code, new ScpStatement(code, r.get("description"), flag(r, "diagnostic"), flag(r, "form"),
                    flag(r, "rhythm"), r.get("diagnostic_class").strip(), r.get("diagnostic_subclass").strip()));
        }
        List<PtbXlRecord> records = new ArrayList<>();
        Path database = dir.resolve(DATABASE);
        for (CSVRecord r : csv(database)) {
            String where = database + " line " + r.getRecordNumber();
            try {
                records.add(new PtbXlRecord((int) Double.parseDouble(r.get("ecg_id")),
                        (int) Double.parseDouble(r.get("patient_id")), number(r.get("age")),
                        r.get("sex").isBlank() ? -1 : (int) Double.parseDouble(r.get("sex")), r.get("report").strip(),
                        PythonDict.parse(r.get("scp_codes")), (int) Double.parseDouble(r.get("strat_fold")),
                        r.get("filename_lr"), r.get("filename_hr")));
            } catch (NumberFormatException e) {
                throw new ModelFormatException(where, "a number field is not a number: " + e.getMessage(), e);
            } catch (IllegalArgumentException e) {
                throw new ModelFormatException(where, e.getMessage(), e);
            }
        }
        return new PtbXl(dir, Collections.unmodifiableList(records), Collections.unmodifiableMap(statements));
    }

    private static List<CSVRecord> csv(Path file) throws IOException {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setAllowMissingColumnNames(true).get()
                    .parse(in).getRecords();
        } catch (NoSuchFileException e) {
            throw new ModelFormatException(file.toString(), "no such file (is this a PTB-XL folder?)", e);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new ModelFormatException(file.toString(), "not a readable CSV table: " + e.getMessage(), e);
        }
    }

    private static boolean flag(CSVRecord r, String column) {
        String v = r.get(column).strip();
        return !v.isEmpty() && Double.parseDouble(v) == 1.0;
    }

    private static double number(String s) {
        return s.isBlank() ? Double.NaN : Double.parseDouble(s);
    }

    public List<PtbXlRecord> records() {
        return records;
    }

    public Map<String, ScpStatement> statements() {
        return statements;
    }

    /** The labels of {@code record} in {@code task} (empty when none of its codes belong to the task). */
    public Set<String> labels(PtbXlTask task, PtbXlRecord record) {
        Set<String> out = new TreeSet<>();
        for (String code : record.scpCodes().keySet()) {
            ScpStatement s = statements.get(code);
            if (s == null) {
                continue;
            }
            switch (task) {
                case SUPERCLASS -> {
                    if (s.diagnostic() && !s.diagnosticClass().isEmpty()) {
                        out.add(s.diagnosticClass());
                    }
                }
                case SUBCLASS -> {
                    if (s.diagnostic() && !s.diagnosticSubclass().isEmpty()) {
                        out.add(s.diagnosticSubclass());
                    }
                }
                case FORM -> {
                    if (s.form()) {
                        out.add(code);
                    }
                }
                case RHYTHM -> {
                    if (s.rhythm()) {
                        out.add(code);
                    }
                }
                default -> throw new IllegalStateException(task.name());
            }
        }
        return out;
    }

    /** Every class of {@code task} that occurs in the database, sorted. */
    public List<String> classes(PtbXlTask task) {
        Set<String> all = new TreeSet<>();
        for (PtbXlRecord r : records) {
            all.addAll(labels(task, r));
        }
        return List.copyOf(all);
    }

    /** The WFDB record path (without extension) of a record at 100 Hz or 500 Hz. */
    public Path waveform(PtbXlRecord record, boolean highRate) {
        return dir.resolve(highRate ? record.filenameHr() : record.filenameLr());
    }
}
