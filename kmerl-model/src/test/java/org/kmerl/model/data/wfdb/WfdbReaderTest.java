package org.kmerl.model.data.wfdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kmerl.model.ModelFormatException;
import org.kmerl.tensor.testing.SharedData;

/** The WFDB reader on wfdb-python's sample records (../shared/data/wfdb-samples) and on damaged copies. */
class WfdbReaderTest {
    /** Headers whose data file is not in the samples (too large for the source snapshot). */
    private static final Set<String> NO_DATA = Set.of("1003", "12726", "drive02", "drive02-no-len", "n16",
            "n8_evoked_raw_95_F1_R9", "test_generator_2", "wave_4");
    private static final Set<String> FLAC = Set.of("flac_3_constant", "flacformats", "mixedsignals");
    /** Test headers that reinterpret another record's file; their initial values were not updated. */
    private static final Set<String> DERIVED = Set.of("test01_00s_frame", "test01_00s_skewframe");

    private static Path samples() {
        return SharedData.require("wfdb-samples");
    }

    @Test
    void everySampleRecordReadsWithVerifiedChecksumsOrFailsWithTheReason() throws IOException {
        List<String> problems = new ArrayList<>();
        Set<Integer> formats = new TreeSet<>();
        int read = 0;
        try (var files = Files.list(samples())) {
            for (Path hea : files.filter(f -> f.toString().endsWith(".hea")).sorted().toList()) {
                String name = hea.getFileName().toString().replace(".hea", "");
                try {
                    WfdbRecord r = WfdbReader.read(hea);   // checksums are verified while reading
                    read++;
                    for (int s = 0; s < r.numSignals(); s++) {
                        SignalSpec spec = r.header().signals().get(s);
                        formats.add(spec.formatCode());
                        if (spec.skew() == 0 && spec.initialValue() != null && !DERIVED.contains(name)
                                && r.digital()[s][0] != spec.initialValue()) {
                            problems.add(name + " signal " + s + ": first sample " + r.digital()[s][0]
                                    + ", header's initial value " + spec.initialValue());
                        }
                    }
                    if (NO_DATA.contains(name) || FLAC.contains(name)) {
                        problems.add(name + " should not have been readable");
                    }
                } catch (ModelFormatException e) {
                    String m = e.getMessage();
                    boolean expected = NO_DATA.contains(name) && m.contains("is missing")
                            || FLAC.contains(name) && m.contains("FLAC-compressed");
                    if (!expected) {
                        problems.add(name + ": " + m);
                    }
                }
            }
        }
        assertEquals(List.of(), problems);
        assertEquals(new TreeSet<>(List.of(8, 16, 24, 32, 61, 80, 160, 212, 310, 311)), formats,
                "every format the issue lists was exercised");
        assertTrue(read >= 20, "read " + read + " records");
    }

    @Test
    void headerFieldsAreParsed() throws IOException {
        WfdbHeader h = WfdbHeader.read(samples().resolve("12726.hea"));
        assertEquals(250, h.samplingFrequency());
        assertEquals(24000, h.counterFrequency());
        assertEquals(825000, h.numSamples());
        assertEquals("15:08:24", h.baseTime());
        SignalSpec abp = h.signals().get(0);
        assertEquals(64.02, abp.gain());
        assertEquals(4, abp.baseline());
        assertEquals("mmHg", abp.units());
        assertEquals(4004, abp.initialValue());
        assertEquals(-26056, abp.checksum());
        assertEquals("ABP", abp.description());
        assertTrue(h.comments().contains("<age>: 28  <sex>: M  <Height>: 170  <Weight>: 64"), h.comments().toString());

        SignalSpec framed = WfdbHeader.read(samples().resolve("test01_00s_skewframe.hea")).signals().get(1);
        assertEquals(2, framed.samplesPerFrame());
        assertEquals(3, WfdbHeader.read(samples().resolve("test01_00s_skewframe.hea")).signals().get(0).skew());
        SignalSpec noUnits = WfdbHeader.read(samples().resolve("100.hea")).signals().get(0);
        assertEquals("mV", noUnits.units());
        assertEquals(1024, noUnits.baseline(), "baseline defaults to the ADC zero");
        assertEquals("sig 0, fmt 8", WfdbHeader.read(samples().resolve("binformats.hea")).signals().get(0).description());
    }

    @Test
    void physicalUnitsSubtractTheBaselineAndDivideByTheGain() throws IOException {
        WfdbRecord r = WfdbReader.read(samples().resolve("100"));
        assertEquals(List.of("MLII", "V5"), r.signalNames());
        assertEquals(650000, r.numSamples());
        // 100.hea: gain 200, ADC zero 1024, first samples 995 and 1011.
        assertEquals((995 - 1024) / 200f, r.physical(0)[0], 1e-7);
        assertEquals((1011 - 1024) / 200f, r.physical(1)[0], 1e-7);
        WfdbRecord noLength = WfdbReader.read(samples().resolve("100-no-len.hea"));
        assertArrayEquals(r.digital()[1], noLength.digital()[1], "length taken from the file size");
    }

    @Test
    void skewShiftsTheSignalAndLeavesMissingSamplesAtTheEnd() throws IOException {
        WfdbRecord plain = WfdbReader.read(samples().resolve("100"));
        WfdbRecord skewed = WfdbReader.read(samples().resolve("100skew"));
        int n = plain.numSamples();
        assertArrayEquals(Arrays.copyOfRange(plain.digital()[1], 3, n), Arrays.copyOfRange(skewed.digital()[1], 0, n - 3));
        assertArrayEquals(plain.digital()[0], skewed.digital()[0]);
        float[] v5 = skewed.physical(1);
        assertTrue(Float.isNaN(v5[n - 1]) && Float.isNaN(v5[n - 3]) && !Float.isNaN(v5[n - 4]));
    }

    @Test
    void framesWithSeveralSamplesPerSignalAreDeinterleaved() throws IOException {
        WfdbRecord four = WfdbReader.read(samples().resolve("test01_00s"));
        WfdbRecord framed = WfdbReader.read(samples().resolve("test01_00s_frame"));
        // ECG_2 of the framed header takes two of the four samples of each frame: original signals 1 and 2.
        int[] two = framed.digital()[1];
        for (int t = 0; t < four.numSamples(); t++) {
            assertEquals(four.digital()[1][t], two[2 * t]);
            assertEquals(four.digital()[2][t], two[2 * t + 1]);
            assertEquals(four.digital()[3][t], framed.digital()[2][t]);
        }
    }

    @Test
    void multiSegmentRecordsAreRefusedWithTheReason() {
        Path multi = samples().resolve("multi-segment/041s/041s.hea");
        Path layout = samples().resolve("multi-segment/s00001/3248903_layout.hea");
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> WfdbReader.read(multi));
        assertTrue(e.getMessage().contains("multi-segment record"), e.getMessage());
        e = assertThrows(ModelFormatException.class, () -> WfdbReader.read(layout));
        assertTrue(e.getMessage().contains("layout header"), e.getMessage());
    }

    /** Writes a two-signal format-16 record (generated here, not copied) and returns its header path. */
    private static Path writeRecord(Path dir, short[] interleaved, String checksums) throws IOException {
        byte[] data = new byte[interleaved.length * 2];
        for (int i = 0; i < interleaved.length; i++) {
            data[2 * i] = (byte) interleaved[i];
            data[2 * i + 1] = (byte) (interleaved[i] >> 8);
        }
        Files.write(dir.resolve("rec.dat"), data);
        String[] sums = checksums.split(" ");
        Files.writeString(dir.resolve("rec.hea"), "rec 2 500 " + interleaved.length / 2 + "\n"
                + "rec.dat 16 1000/mV 16 0 " + interleaved[0] + " " + sums[0] + " 0 I\n"
                + "rec.dat 16 1000/mV 16 0 " + interleaved[1] + " " + sums[1] + " 0 II\n");
        return dir.resolve("rec.hea");
    }

    @Test
    void damagedRecordsNameTheRecordAndTheProblem(@TempDir Path dir) throws IOException {
        short[] samples = {100, -200, 300, -400, 500, -600};
        Path hea = writeRecord(dir, samples, "900 -1200");
        WfdbRecord r = WfdbReader.read(hea);
        assertArrayEquals(new float[] {0.1f, 0.3f, 0.5f}, r.physical(0));

        writeRecord(dir, samples, "901 -1200");
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> WfdbReader.read(hea));
        assertTrue(e.getMessage().contains("rec.hea") && e.getMessage().contains("checksum of signal 0 (I)")
                && e.getMessage().contains("header says 901"), e.getMessage());

        writeRecord(dir, samples, "900 -1200");
        Files.write(dir.resolve("rec.dat"), Arrays.copyOf(Files.readAllBytes(dir.resolve("rec.dat")), 9));
        e = assertThrows(ModelFormatException.class, () -> WfdbReader.read(hea));
        assertTrue(e.getMessage().contains("holds 2 frames but the header announces 3 samples"), e.getMessage());

        Files.writeString(hea, "rec 1 500 3\nrec.dat 999 200 16 0 0 0 0 I\n");
        e = assertThrows(ModelFormatException.class, () -> WfdbReader.read(hea));
        assertTrue(e.getMessage().contains("signal format 999 of rec.dat is not supported"), e.getMessage());

        Files.writeString(hea, "rec 2 500 3\nrec.dat 16 200 16 0 0 0 0 I\n");
        e = assertThrows(ModelFormatException.class, () -> WfdbReader.read(hea));
        assertTrue(e.getMessage().contains("announces 2 signals but 1 signal lines follow"), e.getMessage());

        Files.writeString(hea, "rec 1 fast 3\n");
        e = assertThrows(ModelFormatException.class, () -> WfdbReader.read(hea));
        assertTrue(e.getMessage().contains("sampling frequency 'fast' is not a number"), e.getMessage());

        e = assertThrows(ModelFormatException.class, () -> WfdbReader.read(dir.resolve("absent")));
        assertTrue(e.getMessage().contains("absent.hea: no such header file"), e.getMessage());
    }
}
