package org.kmerl.model.data.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kmerl.model.ModelFormatException;
import org.kmerl.model.data.EcgRecord;
import org.kmerl.model.data.Lead;
import org.kmerl.model.data.preprocess.Crop;
import org.kmerl.model.data.preprocess.Normalization;
import org.kmerl.model.data.preprocess.Preprocessor;
import org.kmerl.model.data.synth.SyntheticDataset;
import org.kmerl.model.data.synth.SyntheticEcg;
import org.kmerl.tensor.testing.SharedData;

/** Build, read back, resume, skip failures; on a generated dataset and on the shared PTB-XL records. */
class SampleCacheTest {
    private static final Preprocessor HUNDRED_HZ = Preprocessor.builder().rate(100).bandPass(0.5, 0)
            .length(1000, Crop.START).normalization(Normalization.PER_LEAD_Z_SCORE).build();

    @Test
    void storesPreprocessedRecordsAndReadsThemBack(@TempDir Path tmp) throws IOException {
        SyntheticDataset.write(tmp.resolve("syn"), 12, 4, SyntheticEcg.standard(), null);
        RecordSource source = Sources.open(tmp.resolve("syn"), true, null);
        assertEquals(12, source.entries().size());
        List<Integer> ticks = new ArrayList<>();
        SampleCache.BuildReport report = SampleCache.build(source, HUNDRED_HZ, tmp.resolve("cache"), 2, ticks::add, null);
        assertEquals(12, report.written());
        assertEquals(12, (int) ticks.get(ticks.size() - 1));
        try (SampleCache cache = SampleCache.open(tmp.resolve("cache"))) {
            assertEquals(12, cache.size());
            assertEquals(List.of(Lead.values()), cache.leads());
            assertEquals(100, cache.rate());
            for (int i = 0; i < 12; i += 5) {
                EcgRecord direct = HUNDRED_HZ.apply(source.read(i), i);
                float[][] cached = cache.get(i);
                float max = 0;
                for (float[] lead : direct.signals()) {
                    for (float v : lead) {
                        max = Math.max(max, Math.abs(v));
                    }
                }
                for (int l = 0; l < 12; l++) {
                    for (int t = 0; t < 1000; t += 7) {
                        assertEquals(direct.signals()[l][t], cached[l][t], max / 32767 * 0.51, "record " + i);
                    }
                }
                assertEquals(source.entries().get(i).report(), cache.entry(i).report());
                assertEquals(source.entries().get(i).labels(), cache.entry(i).labels());
            }
        }
    }

    @Test
    void resumesAndSkipsBrokenRecordsWithAReason(@TempDir Path tmp) throws IOException {
        Path syn = tmp.resolve("syn");
        SyntheticDataset.write(syn, 6, 2, SyntheticEcg.standard(), null);
        Files.delete(syn.resolve("records/syn_000003.dat"));
        Path dir = tmp.resolve("cache");
        List<String> log = new ArrayList<>();
        SampleCache.BuildReport first = SampleCache.build(Sources.open(syn, true, null), HUNDRED_HZ, dir, 2, null, log::add);
        assertEquals(5, first.written());
        assertEquals(1, first.failures().size());
        assertTrue(first.failures().get(0).startsWith("syn_000003: "), first.failures().toString());
        assertTrue(log.get(0).contains("syn_000003"), log.toString());
        try (SampleCache cache = SampleCache.open(dir)) {
            assertFalse(cache.isDone(3));
            assertEquals(5, cache.doneRows().length);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> cache.get(3));
            assertTrue(e.getMessage().contains("failed"), e.getMessage());
        }
        // Repair the record and build again: only the missing one is written.
        SyntheticDataset.write(syn, 6, 2, SyntheticEcg.standard(), null);
        SampleCache.BuildReport second = SampleCache.build(Sources.open(syn, true, null), HUNDRED_HZ, dir, 2, null, null);
        assertEquals(1, second.written());
        assertEquals(5, second.skipped());
        try (SampleCache cache = SampleCache.open(dir)) {
            assertEquals(6, cache.doneRows().length);
        }
        Preprocessor other = Preprocessor.builder().rate(250).length(2500, Crop.START).build();
        ModelFormatException clash = assertThrows(ModelFormatException.class,
                () -> SampleCache.build(Sources.open(syn, true, null), other, dir, 1, null, null));
        assertTrue(clash.getMessage().contains("another rate"), clash.getMessage());
        assertThrows(java.nio.file.NoSuchFileException.class, () -> SampleCache.open(tmp));
    }

    @Test
    void cachesThePtbXlRecordsPresent(@TempDir Path tmp) throws IOException {
        RecordSource ptbxl = Sources.open(SharedData.require("ptbxl"), true, null);
        assertEquals(400, ptbxl.entries().size(), ptbxl.describe());
        SampleCache.BuildReport r = SampleCache.build(ptbxl, HUNDRED_HZ, tmp, 2, null, null);
        assertEquals(List.of(), r.failures());
        try (SampleCache cache = SampleCache.open(tmp)) {
            assertEquals("1", cache.entry(0).id());
            assertTrue(cache.entry(0).report().startsWith("sinusrhythmus"), cache.entry(0).report());
            assertEquals(1000, cache.get(399)[11].length);
        }
    }
}
