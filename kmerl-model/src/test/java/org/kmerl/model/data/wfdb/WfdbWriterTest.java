package org.kmerl.model.data.wfdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kmerl.model.data.EcgRecord;
import org.kmerl.model.data.Lead;
import org.kmerl.model.data.WfdbEcg;

/** What the writer writes, the reader reads back: values, NaN gaps, checksums, comments. */
class WfdbWriterTest {

    @Test
    void roundTripsThroughTheReader(@TempDir Path tmp) throws IOException {
        float[][] x = {{0.1f, -1.25f, Float.NaN, 3f}, {0f, 0.005f, -0.005f, 2.5f}};
        EcgRecord r = new EcgRecord("r", 250, List.of(Lead.II, Lead.V5), x, "", Set.of(), Map.of());
        Path hea = WfdbWriter.write(r, tmp, "rec", 1000, List.of("Dx: test"));
        WfdbRecord raw = WfdbReader.read(hea);   // verifies the checksums it finds
        assertEquals(List.of("Dx: test"), raw.header().comments());
        EcgRecord back = WfdbEcg.read(hea, "rec", "", Set.of(), Map.of());
        assertEquals(List.of(Lead.II, Lead.V5), back.leads());
        assertEquals(250, back.samplingRate());
        for (int l = 0; l < 2; l++) {
            for (int i = 0; i < 4; i++) {
                if (Float.isNaN(x[l][i])) {
                    assertTrue(Float.isNaN(back.signals()[l][i]), "a missing sample stays missing");
                } else {
                    assertEquals(x[l][i], back.signals()[l][i], 5e-4, "lead " + l + " sample " + i);
                }
            }
        }
        assertTrue(Files.list(tmp).noneMatch(p -> p.toString().endsWith(".tmp")), "no temporary files left");
        IllegalArgumentException big = assertThrows(IllegalArgumentException.class, () -> WfdbWriter.write(
                new EcgRecord("big", 500, List.of(Lead.I), new float[][] {{40f}}, "", Set.of(), Map.of()), tmp, "big", 1000,
                List.of()));
        assertTrue(big.getMessage().contains("big lead I sample 0"), big.getMessage());
    }
}
