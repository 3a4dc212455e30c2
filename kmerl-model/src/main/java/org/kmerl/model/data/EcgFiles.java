package org.kmerl.model.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.kmerl.model.data.challenge.Challenge2021;
import org.kmerl.model.data.challenge.DxMapping;
import org.kmerl.model.data.ptbxl.PtbXl;
import org.kmerl.model.data.ptbxl.PtbXlRecord;
import org.kmerl.model.data.wfdb.WfdbHeader;

/**
 * Opens one record by path for the command line: a Challenge record (.mat signal file, labels through
 * the Dx mapping when given) or any WFDB record; a record inside a PTB-XL folder also gets its report
 * and SCP statements from {@code ptbxl_database.csv}.
 */
public final class EcgFiles {
    private EcgFiles() {
    }

    public static EcgRecord open(Path record, DxMapping mapping) throws IOException {
        Path hea = header(record);
        if (isChallenge(WfdbHeader.read(hea))) {
            return Challenge2021.read(hea, mapping);
        }
        String id = hea.getFileName().toString().replaceFirst("\\.hea$", "");
        Optional<Path> ptbxlRoot = ptbxlRoot(hea);
        if (ptbxlRoot.isPresent()) {
            PtbXl db = PtbXl.load(ptbxlRoot.get());
            String rel = ptbxlRoot.get().relativize(hea.toAbsolutePath()).toString().replaceFirst("\\.hea$", "");
            for (PtbXlRecord r : db.records()) {
                if (rel.equals(r.filenameHr()) || rel.equals(r.filenameLr())) {
                    return WfdbEcg.read(hea, id, r.report(), r.scpCodes().keySet(),
                            Map.of("ecg_id", Integer.toString(r.ecgId()), "age", Double.toString(r.age()),
                                    "sex", r.sex() == 0 ? "male" : "female"));
                }
            }
        }
        return WfdbEcg.read(hea, id, "", Set.of(), Map.of());
    }

    /**
     * The signals of one record without looking for a report (no PTB-XL lookup): what evaluation reads
     * for each of many records. {@code id} names the record in the result and in errors.
     */
    public static EcgRecord waveform(Path record, String id) throws IOException {
        Path hea = header(record);
        return isChallenge(WfdbHeader.read(hea)) ? Challenge2021.read(hea, null) : WfdbEcg.read(hea, id, "", Set.of(), Map.of());
    }

    private static Path header(Path record) {
        return record.toString().endsWith(".hea") ? record : record.resolveSibling(record.getFileName() + ".hea");
    }

    /** A Challenge 2021 record keeps its samples in a MATLAB .mat file. */
    private static boolean isChallenge(WfdbHeader header) {
        return !header.signals().isEmpty() && header.signals().get(0).fileName().endsWith(".mat");
    }

    /** The nearest ancestor folder holding ptbxl_database.csv (at most three levels up). */
    private static Optional<Path> ptbxlRoot(Path hea) {
        Path dir = hea.toAbsolutePath().getParent();
        for (int i = 0; i < 4 && dir != null; i++, dir = dir.getParent()) {
            if (Files.exists(dir.resolve(PtbXl.DATABASE))) {
                return Optional.of(dir);
            }
        }
        return Optional.empty();
    }
}
