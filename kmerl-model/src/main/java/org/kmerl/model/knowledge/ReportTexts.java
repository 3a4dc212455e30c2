package org.kmerl.model.knowledge;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.kmerl.model.ModelFormatException;
import org.kmerl.model.data.mimic.MimicIvEcg;
import org.kmerl.model.data.ptbxl.PtbXl;
import org.kmerl.model.data.ptbxl.PtbXlRecord;
import org.kmerl.model.data.synth.SyntheticDataset;

/**
 * The reports to mine: a CSV with an {@code id} column and a {@code report} (or {@code text}) column, a
 * PTB-XL folder (its "Edit:" notes removed), a MIMIC-IV-ECG folder, or a synthetic dataset folder.
 */
public final class ReportTexts {
    /** One report. */
    public record Report(String id, String text) {
    }

    private ReportTexts() {
    }

    public static List<Report> read(Path input) throws IOException {
        if (Files.isDirectory(input)) {
            if (Files.exists(input.resolve(PtbXl.DATABASE))) {
                List<Report> out = new ArrayList<>();
                for (PtbXlRecord r : PtbXl.load(input).records()) {
                    out.add(new Report(Integer.toString(r.ecgId()), ScpEvaluation.stripEditNote(r.report())));
                }
                return out;
            }
            if (Files.exists(input.resolve(MimicIvEcg.RECORD_LIST))) {
                return MimicIvEcg.load(input).studies().stream()
                        .map(s -> new Report(Long.toString(s.studyId()), s.report())).toList();
            }
            if (Files.exists(input.resolve(SyntheticDataset.REPORTS))) {
                return csv(input.resolve(SyntheticDataset.REPORTS));
            }
            throw new NoSuchFileException(input.toString(), null, "no ptbxl_database.csv, record_list.csv or reports.csv here");
        }
        return csv(input);
    }

    private static List<Report> csv(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "report table not found");
        }
        List<Report> out = new ArrayList<>();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser parser = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(in)) {
            List<String> header = parser.getHeaderNames();
            String textColumn = header.contains("report") ? "report" : header.contains("text") ? "text" : null;
            if (!header.contains("id") || textColumn == null) {
                throw new ModelFormatException(file.toString(), "needs the columns 'id' and 'report' (or 'text'); it has "
                        + header);
            }
            for (CSVRecord row : parser) {
                if (!row.isConsistent()) {
                    throw new ModelFormatException(file.toString(), "line " + parser.getCurrentLineNumber() + " has "
                            + row.size() + " fields, the header " + header.size());
                }
                out.add(new Report(row.get("id"), row.get(textColumn)));
            }
        } catch (UncheckedIOException | IllegalStateException e) {
            // Commons CSV reports a broken quote or encapsulation this way.
            throw new ModelFormatException(file.toString(), "malformed CSV: " + e.getMessage());
        }
        return out;
    }
}
