package org.kmerl.model.data.synth;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.kmerl.model.data.EcgRecord;
import org.kmerl.model.data.wfdb.WfdbWriter;

/**
 * Writes a synthetic dataset the way real ones come: WFDB records under {@code records/} (format 16,
 * 1000 units per mV) and {@code reports.csv} with columns id, path, report, labels (';'-separated
 * SCP-ECG codes), heart_rate. Existing records of the same seed are kept, so an interrupted run resumes.
 */
public final class SyntheticDataset {
    public static final String REPORTS = "reports.csv";

    private SyntheticDataset() {
    }

    /** Whether a complete record of this seed and index is already there (a resumed run skips it). */
    private static boolean written(Path hea, String stamp) {
        try {
            return Files.exists(hea) && Files.exists(hea.resolveSibling(hea.getFileName().toString().replace(".hea", ".dat")))
                    && org.kmerl.model.data.wfdb.WfdbHeader.read(hea).comments().contains(stamp);
        } catch (IOException e) {
            return false;   // unreadable: write it again
        }
    }

    public static List<EcgRecord> write(Path dir, int count, long seed, SyntheticEcg generator, IntConsumer progress)
            throws IOException {
        Path records = dir.resolve("records");
        Files.createDirectories(records);
        List<EcgRecord> out = new ArrayList<>();
        StringWriter csv = new StringWriter();
        try (CSVPrinter p = new CSVPrinter(csv, CSVFormat.DEFAULT.builder()
                .setHeader("id", "path", "report", "labels", "heart_rate").get())) {
            for (int i = 0; i < count; i++) {
                EcgRecord r = generator.generate(seed, i).record();
                String name = String.format("syn_%06d", i);
                String stamp = "Seed: " + seed + " index " + i;
                if (!written(records.resolve(name + ".hea"), stamp)) {
                    WfdbWriter.write(r, records, name, 1000, List.of("Report: " + r.report(),
                            "Labels: " + String.join(";", r.labels()), stamp));
                }
                p.printRecord(name, "records/" + name, r.report(), String.join(";", r.labels()),
                        r.metadata().get("heart_rate"));
                out.add(r);
                if (progress != null) {
                    progress.accept(i + 1);
                }
            }
        }
        Path target = dir.resolve(REPORTS);
        Path tmp = dir.resolve(REPORTS + ".tmp");
        Files.writeString(tmp, csv.toString(), StandardCharsets.UTF_8);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return out;
    }
}
