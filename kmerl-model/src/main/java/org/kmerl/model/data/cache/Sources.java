package org.kmerl.model.data.cache;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.kmerl.model.data.EcgRecord;
import org.kmerl.model.data.WfdbEcg;
import org.kmerl.model.data.challenge.Challenge2021;
import org.kmerl.model.data.challenge.DxMapping;
import org.kmerl.model.data.mimic.MimicIvEcg;
import org.kmerl.model.data.ptbxl.PtbXl;
import org.kmerl.model.data.ptbxl.PtbXlRecord;
import org.kmerl.model.data.synth.SyntheticDataset;

/**
 * Finds the {@link RecordSource} for a folder by what it holds: {@code reports.csv} (a synthetic
 * dataset), {@code record_list.csv} (MIMIC-IV-ECG), {@code ptbxl_database.csv} (PTB-XL: the records whose
 * waveform files exist at the chosen rate), or else every {@code .hea} file in it (Challenge 2021 or
 * plain WFDB records).
 */
public final class Sources {
    private Sources() {
    }

    /**
     * @param highRate for PTB-XL: the 500 Hz records (else the 100 Hz ones)
     * @param mapping  for Challenge records: SNOMED-CT code names (may be null)
     */
    public static RecordSource open(Path dir, boolean highRate, DxMapping mapping) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString(), null, "not a dataset folder");
        }
        if (Files.exists(dir.resolve(SyntheticDataset.REPORTS))) {
            return synthetic(dir);
        }
        if (Files.exists(dir.resolve(MimicIvEcg.RECORD_LIST))) {
            return mimic(MimicIvEcg.load(dir), dir);
        }
        if (Files.exists(dir.resolve(PtbXl.DATABASE))) {
            return ptbxl(PtbXl.load(dir), highRate, dir);
        }
        return headers(dir, mapping);
    }

    private static RecordSource synthetic(Path dir) throws IOException {
        List<RecordSource.Entry> entries = new ArrayList<>();
        List<String> paths = new ArrayList<>();
        try (Reader in = Files.newBufferedReader(dir.resolve(SyntheticDataset.REPORTS))) {
            for (CSVRecord row : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(in)) {
                entries.add(new RecordSource.Entry(row.get("id"), row.get("report"), labels(row.get("labels"))));
                paths.add(row.get("path"));
            }
        }
        return new ListSource("synthetic dataset " + dir, entries,
                i -> WfdbEcg.read(dir.resolve(paths.get(i)), entries.get(i).id(), entries.get(i).report(),
                        entries.get(i).labels(), Map.of()));
    }

    private static RecordSource mimic(MimicIvEcg mimic, Path dir) {
        List<RecordSource.Entry> entries = mimic.studies().stream()
                .map(s -> new RecordSource.Entry(Long.toString(s.studyId()), s.report(), Set.<String>of())).toList();
        return new ListSource("MIMIC-IV-ECG " + dir, entries, i -> mimic.read(mimic.studies().get(i)));
    }

    private static RecordSource ptbxl(PtbXl db, boolean highRate, Path dir) {
        List<PtbXlRecord> present = new ArrayList<>();
        for (PtbXlRecord r : db.records()) {
            if (Files.exists(Path.of(db.waveform(r, highRate) + ".hea"))) {
                present.add(r);
            }
        }
        List<RecordSource.Entry> entries = present.stream().map(r -> new RecordSource.Entry(Integer.toString(r.ecgId()),
                r.report(), r.scpCodes().keySet())).toList();
        return new ListSource("PTB-XL " + dir + " (" + present.size() + " of " + db.records().size()
                + " records have " + (highRate ? "500" : "100") + " Hz waveforms here)", entries,
                i -> WfdbEcg.read(db.waveform(present.get(i), highRate), entries.get(i).id(), entries.get(i).report(),
                        entries.get(i).labels(), Map.of()));
    }

    private static RecordSource headers(Path dir, DxMapping mapping) throws IOException {
        List<Path> heas = Challenge2021.list(dir);
        if (heas.isEmpty()) {
            throw new NoSuchFileException(dir.toString(), null, "no reports.csv, record_list.csv, ptbxl_database.csv or"
                    + " .hea files: not a dataset kmerl knows");
        }
        List<RecordSource.Entry> entries = new ArrayList<>();
        for (Path hea : heas) {
            org.kmerl.model.data.wfdb.WfdbHeader h = org.kmerl.model.data.wfdb.WfdbHeader.read(hea);
            entries.add(new RecordSource.Entry(hea.getFileName().toString().replaceFirst("\\.hea$", ""), "",
                    Challenge2021.labels(h, mapping, hea.toString())));
        }
        return new ListSource("WFDB / Challenge records in " + dir, entries, i -> Challenge2021.read(heas.get(i), mapping));
    }

    private static Set<String> labels(String joined) {
        Set<String> out = new LinkedHashSet<>();
        for (String s : joined.split(";")) {
            if (!s.isBlank()) {
                out.add(s.strip());
            }
        }
        return out;
    }

    /** A list of entries and a reader function. */
    private record ListSource(String describe, List<RecordSource.Entry> entries, Reader reader) implements RecordSource {
        interface Reader {
            EcgRecord read(int i) throws IOException;
        }

        @Override
        public EcgRecord read(int i) throws IOException {
            return reader.read(i);
        }
    }
}
