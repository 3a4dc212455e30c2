package org.kmerl.model.data.challenge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kmerl.model.ModelFormatException;
import org.kmerl.model.data.EcgRecord;
import org.kmerl.model.data.Lead;
import org.kmerl.model.data.wfdb.SignalSpec;
import org.kmerl.model.data.wfdb.WfdbReader;
import org.kmerl.model.data.wfdb.WfdbRecord;
import org.kmerl.tensor.testing.SharedData;

/** Challenge 2021 records (.hea + MATLAB v4 .mat) from ../shared/data, and damaged ones made here. */
class Challenge2021Test {

    @Test
    void readsEverySharedRecordWithItsDiagnoses() throws IOException {
        Path dir = SharedData.require("challenge2021");
        DxMapping mapping = DxMapping.load(SharedData.require("labels"));
        List<String> problems = new ArrayList<>();
        List<EcgRecord> records = Challenge2021.readAll(dir, mapping, problems);
        assertEquals(List.of(), problems);
        assertEquals(Challenge2021.list(dir).size(), records.size());
        assertEquals(129, records.size());
        for (EcgRecord r : records) {
            assertEquals(List.of(Lead.values()), r.leads(), r.id());
            assertTrue(r.samplingRate() >= 250, r.id() + " " + r.samplingRate());
            assertTrue(!r.labels().isEmpty(), r.id() + " has no Dx");
            assertTrue(r.labels().stream().noneMatch(l -> l.startsWith("SNOMED:")), r.id() + " has unmapped codes " + r.labels());
            // The first sample of every lead is the header's initial value (WFDB's own consistency field).
            WfdbRecord raw = WfdbReader.read(dir.resolve(r.id() + ".hea"));
            for (int s = 0; s < raw.numSignals(); s++) {
                SignalSpec spec = raw.header().signals().get(s);
                if (spec.initialValue() != null) {
                    assertEquals((int) spec.initialValue(), raw.digital()[s][0], r.id() + " lead " + s);
                }
            }
        }
        EcgRecord a1041 = records.stream().filter(r -> r.id().equals("A1041")).findFirst().orElseThrow();
        assertEquals(Set.of("AF", "LBBB"), a1041.labels());
        assertEquals("164889003,164909002", a1041.metadata().get("dx"));
        EcgRecord e = records.stream().filter(r -> r.id().startsWith("E")).findFirst().orElseThrow();
        assertTrue(!e.metadata().get("age").isEmpty() && !e.metadata().get("sex").isEmpty(), e.metadata().toString());
    }

    /**
     * MERL's CPSC2018 (ICBEB) tables label the A records present here; our Dx-derived labels must agree,
     * through the class -> SNOMED-CT correspondence that the evaluation (issue 9) will use.
     */
    @Test
    void cpscLabelsAgreeWithMerlTables() throws IOException {
        Path dir = SharedData.require("challenge2021");
        DxMapping mapping = DxMapping.load(SharedData.require("labels"));
        Map<String, Set<String>> classToCodes = Map.of(
                "AFIB", Set.of("164889003"), "VPC", Set.of("164884008", "17338001", "427172004"),
                "NORM", Set.of("426783006"), "1AVB", Set.of("270492004"), "CRBBB", Set.of("59118001", "713427006"),
                "STE", Set.of("164931005"), "PAC", Set.of("284470004", "63593006"),
                "CLBBB", Set.of("164909002", "733534002"), "STD", Set.of("429622005"));
        Map<String, CSVRecord> merl = new HashMap<>();
        for (String split : List.of("train", "val", "test")) {
            Path table = SharedData.require("labels/merl-splits/icbeb/icbeb_" + split + ".csv");
            try (Reader in = Files.newBufferedReader(table)) {
                for (CSVRecord row : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(in)) {
                    merl.put(row.get("filename"), row);
                }
            }
        }
        int checked = 0;
        for (Path hea : Challenge2021.list(dir)) {
            String id = hea.getFileName().toString().replace(".hea", "");
            CSVRecord row = merl.get(id);
            if (row == null) {
                continue;
            }
            Set<String> codes = Set.of(Challenge2021.read(hea, mapping).metadata().get("dx").split(","));
            for (Map.Entry<String, Set<String>> c : classToCodes.entrySet()) {
                boolean ours = c.getValue().stream().anyMatch(codes::contains);
                assertEquals(row.get(c.getKey()).equals("1"), ours, id + " class " + c.getKey() + " (Dx " + codes + ")");
            }
            checked++;
        }
        assertTrue(checked >= 4, "only " + checked + " CPSC records found in MERL's tables");
    }

    @Test
    void matV4MatricesAreReadColumnByColumn(@TempDir Path tmp) throws IOException {
        Path f = tmp.resolve("m.mat");
        ByteBuffer b = ByteBuffer.allocate(20 + 2 + 6 * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0).putInt(2).putInt(3).putInt(0).putInt(2).put((byte) 'x').put((byte) 0);
        for (double v : new double[] {1, 4, 2, 5, 3, 6}) {   // column-major [[1,2,3],[4,5,6]]
            b.putDouble(v);
        }
        Files.write(f, b.array());
        MatV4 h = MatV4.readHeader(f);
        assertEquals("x", h.name());
        assertArrayEquals(new double[][] {{1, 2, 3}, {4, 5, 6}}, MatV4.read(f));
    }

    /** A Challenge-style record: header + int16 .mat, written here so it can be damaged at will. */
    private static Path record(Path dir, String name, int leads, int samples, int matRows, int matCols, int type,
                               int truncateBy) throws IOException {
        StringBuilder hea = new StringBuilder(name + " " + leads + " 500 " + samples + "\n");
        for (int l = 0; l < leads; l++) {
            hea.append(name).append(".mat 16+24 1000/mV 16 0 0 0 0 ").append(Lead.values()[l].label()).append('\n');
        }
        hea.append("#Age: 50\n#Sex: Female\n#Dx: 426783006\n");
        Files.writeString(dir.resolve(name + ".hea"), hea.toString());
        int bytes = 24 + 2 * matRows * matCols - truncateBy;
        ByteBuffer b = ByteBuffer.allocate(Math.max(bytes, 24)).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(type).putInt(matRows).putInt(matCols).putInt(0).putInt(4).put("val\0".getBytes());
        Files.write(dir.resolve(name + ".mat"), java.util.Arrays.copyOf(b.array(), bytes));
        return dir.resolve(name + ".hea");
    }

    @Test
    void damagedRecordsAreReportedNotReadAsZeros(@TempDir Path tmp) throws IOException {
        assertEquals(Set.of("SNOMED:426783006"), Challenge2021.read(record(tmp, "ok", 12, 10, 12, 10, 30, 0), null).labels());
        ModelFormatException shape = assertThrows(ModelFormatException.class,
                () -> Challenge2021.read(record(tmp, "shape", 12, 10, 12, 9, 30, 0), null));
        assertTrue(shape.getMessage().contains("12 x 9 matrix") && shape.getMessage().contains("shape.mat"), shape.getMessage());
        ModelFormatException cut = assertThrows(ModelFormatException.class,
                () -> Challenge2021.read(record(tmp, "cut", 12, 10, 12, 10, 30, 7), null));
        assertTrue(cut.getMessage().contains("truncated"), cut.getMessage());
        ModelFormatException type = assertThrows(ModelFormatException.class,
                () -> Challenge2021.read(record(tmp, "dbl", 12, 10, 12, 10, 0, -2 * 12 * 10 * 3), null));
        assertTrue(type.getMessage().contains("double"), type.getMessage());
        Files.delete(tmp.resolve("ok.mat"));
        assertThrows(java.nio.file.NoSuchFileException.class, () -> Challenge2021.read(tmp.resolve("ok.hea"), null));
        List<String> problems = new ArrayList<>();
        Challenge2021.readAll(tmp, null, problems);
        assertEquals(4, problems.size(), problems.toString());
    }
}
