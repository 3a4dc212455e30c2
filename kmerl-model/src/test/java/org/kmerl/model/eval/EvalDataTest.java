package org.kmerl.model.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kmerl.tensor.testing.SharedData;

class EvalDataTest {
    @Test
    void aCsvDatasetHasPathsSplitsAndZeroOneColumns(@TempDir Path tmp) throws IOException {
        Path csv = tmp.resolve("my-task.csv");
        Files.writeString(csv, "path,split,AF,LBBB\nrecs/a,train,1,0\nrecs/b,val,0,0\n/abs/c,test,0,1\n");
        EvalDataset d = EvalData.csv(csv, Map.of("AF", "atrial fibrillation"));
        assertEquals(3, d.records().size());
        assertEquals(tmp.resolve("recs/a"), d.records().get(0).path());
        assertEquals(Path.of("/abs/c"), d.records().get(2).path());
        assertArrayEquals(new int[] {1}, d.indices(EvalRecord.Split.VALIDATION));
        EvalTask t = d.task("my-task");
        assertEquals(List.of("AF", "LBBB"), t.classCodes());
        assertEquals(List.of("atrial fibrillation", "LBBB"), t.classTexts());
        assertTrue(t.labels()[0][0] && !t.labels()[0][1] && t.labels()[2][1]);
    }

    @Test
    void badCsvsNameTheFileLineAndColumn(@TempDir Path tmp) throws IOException {
        Path noPath = tmp.resolve("a.csv");
        Files.writeString(noPath, "file,AF\nx,1\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EvalData.csv(noPath, Map.of()));
        assertTrue(e.getMessage().contains("a.csv") && e.getMessage().contains("'path'"), e.getMessage());
        Path badLabel = tmp.resolve("b.csv");
        Files.writeString(badLabel, "path,AF\nx,1\ny,yes\n");
        e = assertThrows(IllegalArgumentException.class, () -> EvalData.csv(badLabel, Map.of()));
        assertTrue(e.getMessage().contains("b.csv line 3") && e.getMessage().contains("column AF"), e.getMessage());
        Path badSplit = tmp.resolve("c.csv");
        Files.writeString(badSplit, "path,split,AF\nx,dev,1\n");
        e = assertThrows(IllegalArgumentException.class, () -> EvalData.csv(badSplit, Map.of()));
        assertTrue(e.getMessage().contains("c.csv line 2") && e.getMessage().contains("'dev'"), e.getMessage());
    }

    /** The PTB-XL records with waveforms in ../shared/data (ecg_id 1-400), on the benchmark folds. */
    @Test
    void ptbxlTasksOnTheRecordsPresent() throws IOException {
        Path dir = SharedData.require("ptbxl");
        EvalDataset d = EvalData.ptbxl(dir, List.of("ptbxl-super", "ptbxl-rhythm"), false, Map.of());
        assertEquals(400, d.records().size());
        assertEquals(276, d.count(EvalRecord.Split.TRAIN));
        assertEquals(70, d.count(EvalRecord.Split.VALIDATION));
        assertEquals(54, d.count(EvalRecord.Split.TEST));
        EvalTask sup = d.task("ptbxl-super");
        assertEquals(List.of("CD", "HYP", "MI", "NORM", "STTC"), sup.classCodes());
        assertEquals(List.of("conduction disturbance", "hypertrophy", "myocardial infarction", "normal ECG", "ST/T change"),
                sup.classTexts());
        int nine = d.records().stream().map(EvalRecord::id).toList().indexOf("9");
        assertEquals(EvalRecord.Split.TEST, d.records().get(nine).split());
        assertTrue(sup.labels()[nine][3], "ecg 9 is NORM in MERL's test table");
        assertEquals(12, d.task("ptbxl-rhythm").classes());
        assertEquals(17, d.allClassTexts().size());
        assertEquals(5, d.columnOffset(d.task("ptbxl-rhythm")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EvalData.ptbxl(dir, List.of("ptbxl-diag"), false, Map.of()));
        assertTrue(e.getMessage().contains("ptbxl-diag") && e.getMessage().contains("ptbxl-super"), e.getMessage());
    }

    /** CPSC2018 and Chapman from the Challenge 2021 records here, MERL's class lists and splits, SNOMED-CT labels. */
    @Test
    void challengeTasksThroughSnomedCodes() throws IOException {
        Path dir = SharedData.require("challenge2021");
        Path splits = SharedData.require("labels/merl-splits");
        EvalDataset chapman = EvalData.challenge(dir, "chapman", splits, Map.of());
        assertEquals(38, chapman.task("chapman").classes());
        assertEquals(32, chapman.records().size(), chapman.description());
        assertEquals(26, chapman.count(EvalRecord.Split.TRAIN));
        assertEquals(6, chapman.count(EvalRecord.Split.TEST));
        assertTrue(chapman.description().contains("34 records MERL does not list"), chapman.description());
        EvalDataset cpsc = EvalData.challenge(dir, "cpsc2018", splits, Map.of());
        assertEquals(List.of("AFIB", "VPC", "NORM", "1AVB", "CRBBB", "STE", "PAC", "CLBBB", "STD"),
                cpsc.task("cpsc2018").classCodes());
        int a0689 = cpsc.records().stream().map(EvalRecord::id).toList().indexOf("A0689");
        assertTrue(a0689 >= 0, "A0689 is in MERL's icbeb tables");
        assertTrue(cpsc.task("cpsc2018").labels()[a0689][0], "#Dx 164889003 is atrial fibrillation");
        EvalDataset all = EvalData.challenge(dir, "chapman", null, Map.of());
        assertEquals(66, all.records().size());
        assertEquals(66, all.count(EvalRecord.Split.TEST), "without MERL's tables every record is a test record");
        int js = all.records().stream().map(EvalRecord::id).toList().indexOf("JS00666");
        assertTrue(all.task("chapman").labels()[js][all.task("chapman").classCodes().indexOf("ST")],
                "#Dx 427084000 is sinus tachycardia");
    }
}
