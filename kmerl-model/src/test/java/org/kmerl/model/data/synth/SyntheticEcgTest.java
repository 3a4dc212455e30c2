package org.kmerl.model.data.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kmerl.model.data.EcgRecord;
import org.kmerl.model.data.Lead;
import org.kmerl.model.data.WfdbEcg;

/** The generator's records measured the way a cardiologist would: rate, rhythm, QRS width, axis, waves. */
class SyntheticEcgTest {
    private static final SyntheticEcg CLEAN = new SyntheticEcg(500, 10, false);

    private static EcgRecord make(Condition... c) {
        return CLEAN.generate(EnumSet.copyOf(List.of(c)), 11).record();
    }

    /** R peaks of lead II: local maxima above half of the lead's maximum, at least 200 ms apart. */
    private static List<Integer> rPeaks(float[] x, double rate) {
        float max = 0;
        for (float v : x) {
            max = Math.max(max, v);
        }
        List<Integer> peaks = new ArrayList<>();
        int refractory = (int) (0.2 * rate);
        for (int i = 1; i < x.length - 1; i++) {
            if (x[i] > 0.5 * max && x[i] >= x[i - 1] && x[i] > x[i + 1]
                    && (peaks.isEmpty() || i - peaks.get(peaks.size() - 1) > refractory)) {
                peaks.add(i);
            }
        }
        return peaks;
    }

    private static double[] rrStats(EcgRecord r) {
        List<Integer> p = rPeaks(r.lead(Lead.II), r.samplingRate());
        double[] rr = new double[p.size() - 1];
        double mean = 0;
        for (int i = 1; i < p.size(); i++) {
            rr[i - 1] = (p.get(i) - p.get(i - 1)) / r.samplingRate();
            mean += rr[i - 1];
        }
        mean /= rr.length;
        double var = 0;
        for (double v : rr) {
            var += (v - mean) * (v - mean);
        }
        return new double[] {60 / mean, Math.sqrt(var / rr.length) / mean};
    }

    /** QRS duration around a lead's largest deflection: from onset to offset, where |x| exceeds 5% of the peak. */
    private static double qrsMillis(EcgRecord r, Lead lead) {
        float[] x = r.lead(lead);
        int peak = 0;
        for (int i = 0; i < x.length; i++) {
            if (Math.abs(x[i]) > Math.abs(x[peak])) {
                peak = i;
            }
        }
        double thr = 0.05 * Math.abs(x[peak]);
        int a = peak;
        int b = peak;
        while (a > 0 && Math.abs(x[a]) > thr) {
            a--;
        }
        while (b < x.length - 1 && Math.abs(x[b]) > thr) {
            b++;
        }
        return (b - a) / r.samplingRate() * 1000;
    }

    @Test
    void deterministicBySeedAndLabelledWithScpCodes() {
        SyntheticEcg g = SyntheticEcg.standard();
        EcgRecord a = g.generate(5, 3).record();
        assertEquals(a, g.generate(5, 3).record());
        assertFalse(java.util.Arrays.deepEquals(a.signals(), g.generate(5, 4).record().signals()));
        assertEquals(List.of(Lead.values()), a.leads());
        assertEquals(5000, a.numSamples());
        Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < 300; i++) {
            SyntheticEcg.Sample s = g.generate(1, i);
            seen.addAll(s.record().labels());
            for (Condition c : s.conditions()) {
                assertTrue(s.record().labels().contains(c.code()), s.record().labels() + " lacks " + c.code());
            }
            if (!s.conditions().contains(Condition.ST_ELEVATION)) {
                continue;
            }
            assertFalse(s.record().report().contains("no st elevation"), s.record().report());
        }
        for (Condition c : Condition.values()) {
            assertTrue(seen.contains(c.code()), c + " never drawn in 300 records");
        }
    }

    @Test
    void limbLeadsObeyEinthovenAndGoldberger() {
        EcgRecord r = make(Condition.NORMAL);
        for (int i = 0; i < r.numSamples(); i += 7) {
            float lI = r.lead(Lead.I)[i];
            float lII = r.lead(Lead.II)[i];
            float lIII = r.lead(Lead.III)[i];
            assertEquals(lII - lI, lIII, 1e-5, "III = II - I");
            assertEquals(-(lI + lII) / 2, r.lead(Lead.AVR)[i], 1e-5, "aVR = -(I + II)/2");
        }
    }

    @Test
    void rhythmsHaveTheirRatesAndRegularity() {
        double[] normal = rrStats(make(Condition.NORMAL));
        assertTrue(normal[0] >= 55 && normal[0] <= 100 && normal[1] < 0.06, "sinus: " + normal[0] + " bpm, CV " + normal[1]);
        double[] brady = rrStats(make(Condition.SINUS_BRADYCARDIA));
        assertTrue(brady[0] < 60, "bradycardia " + brady[0]);
        double[] tachy = rrStats(make(Condition.SINUS_TACHYCARDIA));
        assertTrue(tachy[0] > 100, "tachycardia " + tachy[0]);
        double[] af = rrStats(make(Condition.ATRIAL_FIBRILLATION));
        assertTrue(af[1] > 0.12, "AF is irregularly irregular: CV " + af[1]);
        double[] flutter = rrStats(make(Condition.ATRIAL_FLUTTER));
        assertEquals(150, flutter[0], 8, "flutter 2:1");
        assertTrue(flutter[1] < 0.03, "flutter conducts regularly");
    }

    @Test
    void bundleBranchBlocksWidenTheQrsWithTheirShapes() {
        EcgRecord normal = make(Condition.NORMAL);
        EcgRecord lbbb = make(Condition.LBBB);
        EcgRecord rbbb = make(Condition.RBBB);
        assertTrue(qrsMillis(normal, Lead.V6) < 110, "normal QRS " + qrsMillis(normal, Lead.V6));
        assertTrue(qrsMillis(lbbb, Lead.V6) >= 120, "LBBB QRS " + qrsMillis(lbbb, Lead.V6));
        // LBBB: V1 a deep QS (mostly negative), V6 a broad positive R.
        assertTrue(min(lbbb.lead(Lead.V1)) < -2 * max(lbbb.lead(Lead.V1)), "V1 QS in LBBB");
        assertTrue(max(lbbb.lead(Lead.V6)) > 2 * -min(lbbb.lead(Lead.V6)), "V6 R in LBBB");
        // RBBB: a late positive R' in V1, absent in the normal V1.
        assertTrue(max(rbbb.lead(Lead.V1)) > 2 * max(normal.lead(Lead.V1)), "R' in V1");
    }

    @Test
    void otherFindingsChangeWhatTheyShould() {
        EcgRecord normal = make(Condition.NORMAL);
        assertTrue(max(make(Condition.LVH).lead(Lead.V5)) > 1.8 * max(normal.lead(Lead.V5)), "LVH voltage");
        assertTrue(max(make(Condition.LOW_VOLTAGE).lead(Lead.II)) < 0.5, "low voltage limb leads");
        assertTrue(min(make(Condition.INFERIOR_MI).lead(Lead.III)) < min(normal.lead(Lead.III)) - 0.2, "Q in III");
        assertTrue(tWave(normal, Lead.V5) > 0.1, "upright T in V5: " + tWave(normal, Lead.V5));
        assertTrue(tWave(make(Condition.T_INVERSION), Lead.V5) < -0.1, "T inverted in V5");
        assertTrue(afterR(make(Condition.ST_ELEVATION), Lead.V2, 0.08, 0.2) > afterR(normal, Lead.V2, 0.08, 0.2) + 0.15,
                "ST raised in V2");
        assertTrue(afterR(make(Condition.ST_DEPRESSION), Lead.V5, 0.08, 0.2) < afterR(normal, Lead.V5, 0.08, 0.2) - 0.1,
                "ST lowered in V5");
    }

    @Test
    void writesWfdbAndACsvThatReadBack(@TempDir Path tmp) throws IOException {
        List<Integer> ticks = new ArrayList<>();
        List<EcgRecord> written = SyntheticDataset.write(tmp, 4, 9, SyntheticEcg.standard(), ticks::add);
        assertEquals(List.of(1, 2, 3, 4), ticks);
        List<String> csv = Files.readAllLines(tmp.resolve(SyntheticDataset.REPORTS));
        assertEquals("id,path,report,labels,heart_rate", csv.get(0));
        assertEquals(5, csv.size());
        EcgRecord back = WfdbEcg.read(tmp.resolve("records/syn_000002"), "x", "", Set.of(), Map.of());
        float[] expected = written.get(2).lead(Lead.V2);
        float[] got = back.lead(Lead.V2);
        for (int i = 0; i < expected.length; i += 13) {
            assertEquals(expected[i], got[i], 6e-4, "sample " + i);
        }
        long before = Files.getLastModifiedTime(tmp.resolve("records/syn_000001.dat")).toMillis();
        SyntheticDataset.write(tmp, 6, 9, SyntheticEcg.standard(), null);   // resumes: keeps the 4 records it has
        assertEquals(before, Files.getLastModifiedTime(tmp.resolve("records/syn_000001.dat")).toMillis());
        assertEquals(7, Files.readAllLines(tmp.resolve(SyntheticDataset.REPORTS)).size());
    }

    /** Where in (R + from, R + to) seconds lead II peaks, averaged over beats, in ms after R (negative: before). */
    private static double peakAfterR(EcgRecord r, double from, double to) {
        double sum = 0;
        int n = 0;
        float[] x = r.lead(Lead.II);
        for (int p : rPeaks(x, r.samplingRate())) {
            int a = p + (int) (from * r.samplingRate());
            int b = p + (int) (to * r.samplingRate());
            if (a < 0 || b >= x.length) {
                continue;
            }
            int best = a;
            for (int i = a; i < b; i++) {
                if (x[i] > x[best]) {
                    best = i;
                }
            }
            sum += (best - p) / r.samplingRate() * 1000;
            n++;
        }
        return sum / n;
    }

    @Test
    void intervalsAndEctopyBehave() {
        EcgRecord normal = make(Condition.NORMAL);
        double pr = -peakAfterR(normal, -0.25, -0.08);
        double prLong = -peakAfterR(make(Condition.FIRST_DEGREE_AV_BLOCK), -0.40, -0.08);
        assertTrue(pr > 120 && pr < 200, "P peak to R in sinus: " + pr + " ms");
        assertTrue(prLong > 250, "first-degree AV block lengthens PR: " + prLong + " ms");
        double qt = peakAfterR(normal, 0.15, 0.6);
        double qtLong = peakAfterR(make(Condition.LONG_QT), 0.15, 0.8);
        assertTrue(qtLong > qt + 100, "long QT moves T: " + qt + " -> " + qtLong + " ms");
        // PVCs: premature beats (RR < 75% of the median) followed by a compensatory pause.
        List<Integer> p = rPeaks(make(Condition.PVC).lead(Lead.II), 500);
        double[] rr = new double[p.size() - 1];
        for (int i = 1; i < p.size(); i++) {
            rr[i - 1] = (p.get(i) - p.get(i - 1)) / 500.0;
        }
        double[] sorted = rr.clone();
        java.util.Arrays.sort(sorted);
        double median = sorted[sorted.length / 2];
        boolean early = false;
        for (int i = 0; i + 1 < rr.length; i++) {
            if (rr[i] < 0.75 * median) {
                early = true;
                assertTrue(rr[i] + rr[i + 1] > 1.8 * median, "compensatory pause after the PVC at beat " + i);
            }
        }
        assertTrue(early, "no premature beat in " + java.util.Arrays.toString(rr));
    }

    /** The mean of a lead 220-420 ms after each R peak of lead II (the T wave at normal rates). */
    private static double tWave(EcgRecord r, Lead lead) {
        return afterR(r, lead, 0.22, 0.42);
    }

    /** The mean of a lead from {@code from} to {@code to} seconds after each R peak of lead II. */
    private static double afterR(EcgRecord r, Lead lead, double from, double to) {
        double sum = 0;
        int n = 0;
        for (int p : rPeaks(r.lead(Lead.II), r.samplingRate())) {
            int a = p + (int) (from * r.samplingRate());
            int b = p + (int) (to * r.samplingRate());
            for (int i = a; i < b && i < r.numSamples(); i++) {
                sum += r.lead(lead)[i];
                n++;
            }
        }
        return sum / n;
    }

    private static float max(float[] x) {
        float m = Float.NEGATIVE_INFINITY;
        for (float v : x) {
            m = Math.max(m, v);
        }
        return m;
    }

    private static float min(float[] x) {
        float m = Float.POSITIVE_INFINITY;
        for (float v : x) {
            m = Math.min(m, v);
        }
        return m;
    }
}
