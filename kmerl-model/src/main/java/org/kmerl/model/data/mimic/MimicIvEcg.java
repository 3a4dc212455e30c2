package org.kmerl.model.data.mimic;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.kmerl.model.ModelFormatException;
import org.kmerl.model.data.EcgRecord;
import org.kmerl.model.data.WfdbEcg;

/**
 * MIMIC-IV-ECG as PhysioNet distributes it: {@code record_list.csv} (subject_id, study_id, file_name,
 * ecg_time, path) lists the WFDB records under {@code files/}, and {@code machine_measurements.csv}
 * holds each study's machine report in {@code report_0} ... {@code report_17}. Studies are joined by
 * {@code study_id} (not by row position, which MERL's notebook relied on). A study's report is its
 * non-empty report lines joined with spaces; MIMIC's leads (aVF stored before aVL) are put in the
 * standard order by name.
 */
public final class MimicIvEcg {
    public static final String RECORD_LIST = "record_list.csv";
    public static final String MEASUREMENTS = "machine_measurements.csv";
    private static final int REPORT_LINES = 18;

    /** One study: where its waveform is, and its machine report ("" when the measurements table has none). */
    public record Study(long subjectId, long studyId, String path, String ecgTime, String report) {
    }

    private final Path root;
    private final List<Study> studies;

    private MimicIvEcg(Path root, List<Study> studies) {
        this.root = root;
        this.studies = studies;
    }

    public static MimicIvEcg load(Path root) throws IOException {
        Map<Long, String> reports = reports(root.resolve(MEASUREMENTS));
        List<Study> studies = new ArrayList<>();
        Path list = root.resolve(RECORD_LIST);
        for (CSVRecord row : rows(list)) {
            long study = number(list, row, "study_id");
            studies.add(new Study(number(list, row, "subject_id"), study, column(list, row, "path"),
                    row.isMapped("ecg_time") ? row.get("ecg_time") : "", reports.getOrDefault(study, "")));
        }
        return new MimicIvEcg(root, List.copyOf(studies));
    }

    public List<Study> studies() {
        return studies;
    }

    /** The study's record in physical units, leads in the standard order, with its report. */
    public EcgRecord read(Study s) throws IOException {
        Path record = root.resolve(s.path());
        Map<String, String> meta = Map.of("subject_id", Long.toString(s.subjectId()), "ecg_time", s.ecgTime());
        return WfdbEcg.read(record, Long.toString(s.studyId()), s.report(), Set.of(), meta).standardOrder();
    }

    private static Map<Long, String> reports(Path file) throws IOException {
        Map<Long, String> out = new HashMap<>();
        for (CSVRecord row : rows(file)) {
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < REPORT_LINES; i++) {
                String key = "report_" + i;
                if (row.isMapped(key) && row.isSet(key) && !row.get(key).isBlank()) {
                    lines.add(row.get(key).strip());
                }
            }
            out.put(number(file, row, "study_id"), String.join(" ", lines).replaceAll("\\s+", " "));
        }
        return out;
    }

    private static List<CSVRecord> rows(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "MIMIC-IV-ECG table missing");
        }
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(in).getRecords();
        }
    }

    private static String column(Path file, CSVRecord row, String name) throws ModelFormatException {
        if (!row.isMapped(name)) {
            throw new ModelFormatException(file.toString(), "no column '" + name + "'");
        }
        return row.get(name);
    }

    private static long number(Path file, CSVRecord row, String name) throws ModelFormatException {
        String v = column(file, row, name);
        try {
            return Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            throw new ModelFormatException(file.toString(), "row " + row.getRecordNumber() + ": " + name + " '" + v
                    + "' is not a number");
        }
    }
}
