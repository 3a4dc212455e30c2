package org.kmerl.model.data.challenge;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.kmerl.model.ModelFormatException;
import org.kmerl.model.data.EcgRecord;
import org.kmerl.model.data.WfdbEcg;
import org.kmerl.model.data.wfdb.SignalSpec;
import org.kmerl.model.data.wfdb.WfdbHeader;
import org.kmerl.model.data.wfdb.WfdbReader;

/**
 * PhysioNet/CinC Challenge 2020/2021 records: a WFDB header whose signal file is a MATLAB v4 `.mat`
 * (int16 `val`, leads x samples, stored column by column: exactly WFDB format 16 after a 24-byte
 * header, which the header line "16+24" says). The MAT header is checked against the WFDB header
 * before the samples are read. Comment lines give {@code #Age}, {@code #Sex} and {@code #Dx}
 * (SNOMED-CT codes, comma-separated), mapped to abbreviations through a {@link DxMapping}.
 */
public final class Challenge2021 {
    private Challenge2021() {
    }

    /** Every record (.hea file) in {@code dir}, sorted by name. */
    public static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".hea")).sorted().toList();
        }
    }

    /**
     * Reads one record. Labels are the Dx abbreviations when {@code mapping} knows the code, else
     * "SNOMED:code"; metadata holds age, sex and the raw Dx codes.
     */
    public static EcgRecord read(Path hea, DxMapping mapping) throws IOException {
        WfdbHeader header = WfdbHeader.read(hea);
        String source = hea.toString();
        checkMatrix(hea, header);
        Map<String, String> metadata = metadata(header);
        Set<String> labels = labels(header, mapping, source);
        // The id comes from the file name: some Georgia headers name the record "E00271.mat".
        String id = hea.getFileName().toString().replaceFirst("\\.hea$", "");
        return WfdbEcg.toEcg(WfdbReader.read(hea), source, id, "", labels, metadata);
    }

    /** Age, sex and the raw Dx codes from the header's comment lines. */
    public static Map<String, String> metadata(WfdbHeader header) {
        Map<String, String> fields = comments(header.comments());
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("age", fields.getOrDefault("age", ""));
        metadata.put("sex", fields.getOrDefault("sex", ""));
        metadata.put("dx", fields.getOrDefault("dx", ""));
        return metadata;
    }

    /** The Dx codes as abbreviations ("SNOMED:code" when the mapping is null or lacks the code). */
    public static Set<String> labels(WfdbHeader header, DxMapping mapping, String source) throws ModelFormatException {
        Set<String> labels = new LinkedHashSet<>();
        for (String code : dxCodes(header, source)) {
            DxMapping.Diagnosis d = mapping == null ? null : mapping.get(code);
            labels.add(d == null ? "SNOMED:" + code : d.abbreviation());
        }
        return labels;
    }

    /** The SNOMED-CT codes of the header's {@code #Dx} line, in order; an entry that is not a code is an error. */
    public static Set<String> dxCodes(WfdbHeader header, String source) throws ModelFormatException {
        Set<String> codes = new LinkedHashSet<>();
        for (String code : comments(header.comments()).getOrDefault("dx", "").split(",")) {
            if (code.isBlank()) {
                continue;
            }
            if (!code.strip().matches("\\d+")) {
                throw new ModelFormatException(source, "#Dx entry '" + code.strip() + "' is not a SNOMED-CT code");
            }
            codes.add(code.strip());
        }
        return codes;
    }

    /** The .mat file must hold one int16 matrix of leads x samples, where the WFDB header says. */
    private static void checkMatrix(Path hea, WfdbHeader header) throws IOException {
        String source = hea.toString();
        if (header.signals().isEmpty()) {
            throw new ModelFormatException(source, "no signals");
        }
        SignalSpec first = header.signals().get(0);
        if (!first.fileName().endsWith(".mat")) {
            return;   // a plain WFDB record in the same folder: nothing MATLAB to check
        }
        Path mat = hea.resolveSibling(first.fileName());
        if (!Files.exists(mat)) {
            throw new java.nio.file.NoSuchFileException(mat.toString(), null, "the signal file of record "
                    + header.recordName() + " is missing");
        }
        MatV4 m = MatV4.readHeader(mat);
        if (m.rows() != header.numSignals() || (header.numSamples() >= 0 && m.columns() != header.numSamples())) {
            throw new ModelFormatException(mat.toString(), "holds a " + m.rows() + " x " + m.columns() + " matrix, the "
                    + "header describes " + header.numSignals() + " leads x " + header.numSamples() + " samples");
        }
        if (m.precision() != 3 || m.bigEndian()) {
            throw new ModelFormatException(mat.toString(), "holds " + m.precisionName() + (m.bigEndian() ? " big-endian" : "")
                    + " samples; Challenge files hold little-endian int16 (WFDB format 16)");
        }
        for (SignalSpec s : header.signals()) {
            if (s.byteOffset() != m.dataOffset() || s.formatCode() != 16) {
                throw new ModelFormatException(source, "signal line '" + s.description() + "' says format " + s.formatCode()
                        + "+" + s.byteOffset() + ", the MAT file has int16 data at byte " + m.dataOffset());
            }
        }
    }

    /** "Age: 80", "Sex: Male", "Dx: 1,2" (with or without a space after '#') -> lower-case keys. */
    static Map<String, String> comments(List<String> lines) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                out.putIfAbsent(line.substring(0, colon).strip().toLowerCase(java.util.Locale.ROOT),
                        line.substring(colon + 1).strip());
            }
        }
        return out;
    }

    /** Reads every record in {@code dir}; a record that fails is counted and logged, never read as zeros. */
    public static List<EcgRecord> readAll(Path dir, DxMapping mapping, List<String> problems) throws IOException {
        List<EcgRecord> out = new ArrayList<>();
        for (Path hea : list(dir)) {
            try {
                out.add(read(hea, mapping));
            } catch (IOException | IllegalArgumentException e) {
                problems.add(hea.getFileName() + ": " + e.getMessage());
            }
        }
        return out;
    }
}
