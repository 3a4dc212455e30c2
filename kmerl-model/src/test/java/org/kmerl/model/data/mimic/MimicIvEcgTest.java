package org.kmerl.model.data.mimic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kmerl.model.data.EcgRecord;
import org.kmerl.model.data.Lead;
import org.kmerl.model.data.wfdb.WfdbWriter;

/** A tiny dataset in MIMIC-IV-ECG's layout, generated here (no MIMIC data exists on this machine). */
class MimicIvEcgTest {
    /** MIMIC's lead order: aVF before aVL. */
    private static final List<Lead> MIMIC_ORDER = List.of(Lead.I, Lead.II, Lead.III, Lead.AVR, Lead.AVF, Lead.AVL,
            Lead.V1, Lead.V2, Lead.V3, Lead.V4, Lead.V5, Lead.V6);

    /** Writes study {@code study} of subject {@code subject}; lead k holds the constant (k + study % 10) / 10 mV. */
    private static String writeStudy(Path root, long subject, long study) throws IOException {
        String rel = "files/p" + (subject / 1000) + "/p" + subject + "/s" + study;
        float[][] x = new float[12][500];
        for (int l = 0; l < 12; l++) {
            java.util.Arrays.fill(x[l], (MIMIC_ORDER.get(l).ordinal() + study % 10) / 10f);
        }
        EcgRecord r = new EcgRecord(Long.toString(study), 500, MIMIC_ORDER, x, "", Set.of(), Map.of());
        WfdbWriter.write(r, root.resolve(rel), Long.toString(study), 200, List.of());
        return rel + "/" + study;
    }

    private static Path fixture(Path root) throws IOException {
        String a = writeStudy(root, 10000032, 40689238);
        String b = writeStudy(root, 10000032, 44458630);
        String c = writeStudy(root, 10000117, 45090959);
        Files.writeString(root.resolve(MimicIvEcg.RECORD_LIST), "subject_id,study_id,file_name,ecg_time,path\n"
                + "10000032,40689238,40689238,2180-07-23 08:44:00," + a + "\n"
                + "10000032,44458630,44458630,2180-07-23 09:54:00," + b + "\n"
                + "10000117,45090959,45090959,2181-03-04 17:14:00," + c + "\n");
        StringBuilder mm = new StringBuilder("subject_id,study_id,cart_id,ecg_time");
        for (int i = 0; i < 18; i++) {
            mm.append(",report_").append(i);
        }
        mm.append(",rr_interval\n");
        // Rows in another order than record_list.csv, and no row for study 44458630.
        mm.append("10000117,45090959,6848296,2181-03-04 17:14:00,Sinus rhythm,Possible right atrial abnormality,"
                + "\"Borderline ECG, no ST elevation\"").append(",".repeat(15)).append(",659\n");
        mm.append("10000032,40689238,6848296,2180-07-23 08:44:00,Sinus rhythm,  Normal ECG  ").append(",".repeat(16))
                .append(",800\n");
        Files.writeString(root.resolve(MimicIvEcg.MEASUREMENTS), mm.toString());
        return root;
    }

    @Test
    void joinsReportsByStudyIdAndReordersLeadsByName(@TempDir Path tmp) throws IOException {
        MimicIvEcg mimic = MimicIvEcg.load(fixture(tmp));
        assertEquals(3, mimic.studies().size());
        MimicIvEcg.Study first = mimic.studies().get(0);
        assertEquals("Sinus rhythm Normal ECG", first.report());
        assertEquals("", mimic.studies().get(1).report(), "a study without measurements has an empty report");
        assertEquals("Sinus rhythm Possible right atrial abnormality Borderline ECG, no ST elevation",
                mimic.studies().get(2).report());
        EcgRecord r = mimic.read(first);
        assertEquals(List.of(Lead.values()), r.leads());
        assertEquals(500, r.samplingRate());
        for (Lead lead : Lead.values()) {   // the value written for a lead comes back under that lead's name
            float expected = (lead.ordinal() + 8) / 10f;
            assertArrayEquals(new float[] {expected, expected}, java.util.Arrays.copyOf(r.lead(lead), 2), 1e-3f, lead.label());
        }
        assertEquals("Sinus rhythm Normal ECG", r.report());
        assertEquals("10000032", r.metadata().get("subject_id"));
    }

    @Test
    void missingFilesAndBadRowsNameTheirSource(@TempDir Path tmp) throws IOException {
        Path root = fixture(tmp);
        Files.delete(root.resolve(MimicIvEcg.MEASUREMENTS));
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> MimicIvEcg.load(root));
        assertTrue(e.getMessage().contains("machine_measurements.csv"), e.getMessage());
        fixture(tmp);
        Files.writeString(root.resolve(MimicIvEcg.RECORD_LIST), "subject_id,study_id,path\nx,1,files/a\n");
        IOException bad = assertThrows(IOException.class, () -> MimicIvEcg.load(root));
        assertTrue(bad.getMessage().contains("record_list.csv") && bad.getMessage().contains("subject_id 'x'"),
                bad.getMessage());
        fixture(tmp);
        MimicIvEcg mimic = MimicIvEcg.load(root);
        Files.delete(root.resolve(mimic.studies().get(2).path() + ".dat"));
        IOException gone = assertThrows(IOException.class, () -> mimic.read(mimic.studies().get(2)));
        assertTrue(gone.getMessage().contains("45090959"), gone.getMessage());
    }
}
