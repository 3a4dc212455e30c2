package org.kmerl.model.data.ptbxl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.kmerl.model.ModelFormatException;
import org.kmerl.model.data.wfdb.WfdbReader;
import org.kmerl.model.data.wfdb.WfdbRecord;
import org.kmerl.tensor.testing.SharedData;

/** PTB-XL's metadata and label sets against MERL's published split tables (../shared/data). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PtbXlTest {
    private PtbXl ptbxl;
    private Path splits;

    @BeforeAll
    void load() throws IOException {
        ptbxl = PtbXl.load(SharedData.require("ptbxl"));
        splits = SharedData.require("labels/merl-splits/ptbxl");
    }

    @Test
    void readsEveryRecordAndStatement() {
        assertEquals(21837, ptbxl.records().size());
        assertEquals(71, ptbxl.statements().size());
        PtbXlRecord first = ptbxl.records().get(0);
        assertEquals(1, first.ecgId());
        assertEquals("sinusrhythmus periphere niederspannung", first.report());
        assertEquals(Map.of("NORM", 100.0, "LVOLT", 0.0, "SR", 0.0), first.scpCodes());
        assertEquals(3, first.fold());
        assertEquals(PtbXlRecord.Split.TRAIN, first.split());
    }

    @Test
    void labelSetsHaveTheBenchmarkSizes() {
        assertEquals(List.of("CD", "HYP", "MI", "NORM", "STTC"), ptbxl.classes(PtbXlTask.SUPERCLASS));
        assertEquals(23, ptbxl.classes(PtbXlTask.SUBCLASS).size());
        assertEquals(19, ptbxl.classes(PtbXlTask.FORM).size());
        assertEquals(12, ptbxl.classes(PtbXlTask.RHYTHM).size());
    }

    /**
     * Four records whose codes differ between the PTB-XL release MERL's tables were made from and the
     * official release read here (e.g. MERL's row for 9822 lacks 1AVB and 3799 lacks IMI, both in
     * today's {@code scp_codes}); 6 of about 86,000 label rows.
     */
    private static final List<String> RELEASE_DIFFERENCES = List.of(
            "SUPERCLASS 3799: MERL [STTC], kmerl [MI, STTC]", "SUPERCLASS 9822: MERL [MI], kmerl [CD, MI]",
            "SUBCLASS 1371: MERL [AMI, _AVB], kmerl [AMI, IVCD, _AVB]",
            "SUBCLASS 3799: MERL [NST_], kmerl [IMI, NST_]",
            "SUBCLASS 3802: MERL [AMI, IMI, IVCD], kmerl [CRBBB, IMI, _AVB]",
            "SUBCLASS 9822: MERL [IMI], kmerl [IMI, _AVB]");

    /** Every row of MERL's train/val/test tables: same labels (columns aligned by name), same split. */
    @Test
    void labelsAndFoldsMatchMerlsSplitTables() throws IOException {
        Map<Integer, PtbXlRecord> byId = new HashMap<>();
        ptbxl.records().forEach(r -> byId.put(r.ecgId(), r));
        List<String> mismatches = new ArrayList<>();
        Map<PtbXlTask, Integer> absent = new java.util.EnumMap<>(PtbXlTask.class);
        for (PtbXlTask task : PtbXlTask.values()) {
            Set<Integer> listed = new TreeSet<>();
            for (String part : List.of("train", "val", "test")) {
                Path table = splits.resolve(task.splitName()).resolve("ptbxl_" + task.splitName() + "_" + part + ".csv");
                try (Reader in = Files.newBufferedReader(table)) {
                    var parser = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(in);
                    List<String> columns = parser.getHeaderNames().subList(6, parser.getHeaderNames().size());
                    // MERL's subclass columns drop PTB-XL's underscores (_AVB -> AVB, ISC_ -> ISC, NST_ -> NST).
                    Map<String, String> classOf = new HashMap<>();
                    ptbxl.classes(task).forEach(c -> classOf.put(c.replace("_", ""), c));
                    List<String> classes = columns.stream().map(c -> classOf.getOrDefault(c, "?" + c)).toList();
                    assertEquals(new TreeSet<>(ptbxl.classes(task)), new TreeSet<>(classes), table.toString());
                    for (CSVRecord row : parser) {
                        int id = Integer.parseInt(row.get("ecg_id"));
                        listed.add(id);
                        PtbXlRecord r = byId.get(id);
                        Set<String> expected = new TreeSet<>();
                        for (int c = 0; c < columns.size(); c++) {
                            if (row.get(columns.get(c)).equals("1")) {
                                expected.add(classes.get(c));
                            }
                        }
                        if (!expected.equals(ptbxl.labels(task, r))) {
                            mismatches.add(task + " " + id + ": MERL " + expected + ", kmerl " + ptbxl.labels(task, r));
                        }
                        String split = switch (r.split()) {
                            case TRAIN -> "train";
                            case VALIDATION -> "val";
                            case TEST -> "test";
                        };
                        if (!split.equals(part)) {
                            mismatches.add(task + " " + id + ": in MERL's " + part + " table, fold " + r.fold());
                        }
                    }
                }
            }
            // MERL's rows are records labelled in this task; a few labelled records are absent from
            // MERL's tables (its PTB-XL release lacked them: ids cluster, e.g. 137-145 and 456-462).
            Set<Integer> labelled = new TreeSet<>();
            ptbxl.records().stream().filter(r -> !ptbxl.labels(task, r).isEmpty()).forEach(r -> labelled.add(r.ecgId()));
            assertTrue(labelled.containsAll(listed), task + ": MERL lists records kmerl finds no label for");
            absent.put(task, labelled.size() - listed.size());
        }
        assertEquals(Map.of(PtbXlTask.SUPERCLASS, 42, PtbXlTask.SUBCLASS, 42, PtbXlTask.FORM, 10, PtbXlTask.RHYTHM, 36),
                absent, "labelled records missing from MERL's tables");
        mismatches.sort(null);
        assertEquals(RELEASE_DIFFERENCES.stream().sorted().toList(), mismatches);
    }

    @Test
    void waveformsAreWfdbRecords() throws IOException {
        PtbXlRecord first = ptbxl.records().get(0);
        WfdbRecord lr = WfdbReader.read(ptbxl.waveform(first, false));
        WfdbRecord hr = WfdbReader.read(ptbxl.waveform(first, true));
        assertEquals(List.of("I", "II", "III", "AVR", "AVL", "AVF", "V1", "V2", "V3", "V4", "V5", "V6"), lr.signalNames());
        assertEquals(1000, lr.numSamples());
        assertEquals(5000, hr.numSamples());
        assertEquals(100, lr.header().samplingFrequency());
    }

    @Test
    void brokenTablesNameTheFileAndLine(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve(PtbXl.STATEMENTS), ",description,diagnostic,form,rhythm,diagnostic_class,"
                + "diagnostic_subclass\nNORM,normal ECG,1.0,,,NORM,NORM\n");
        Files.writeString(dir.resolve(PtbXl.DATABASE), "ecg_id,patient_id,age,sex,report,scp_codes,strat_fold,"
                + "filename_lr,filename_hr\n1,2,50,0,ok,\"{'NORM': 100.0}\",3,a,b\n2,2,50,0,bad,\"NORM\",3,a,b\n");
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> PtbXl.load(dir));
        assertTrue(e.getMessage().contains("ptbxl_database.csv line 2") && e.getMessage().contains("scp_codes 'NORM'"),
                e.getMessage());
        e = assertThrows(ModelFormatException.class, () -> PtbXl.load(dir.resolve("nowhere")));
        assertTrue(e.getMessage().contains("no such file"), e.getMessage());
    }
}
