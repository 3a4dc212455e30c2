package org.kmerl.model.data.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.kmerl.model.data.EcgRecord;
import org.kmerl.model.data.Lead;

/** Resampling, filtering, imputation, cropping and normalisation, checked on signals with known spectra. */
class PreprocessTest {

    private static float[] sine(double hz, double rate, int n, double amplitude, double offset) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (offset + amplitude * Math.sin(2 * Math.PI * hz * i / rate));
        }
        return x;
    }

    /** Amplitude of frequency {@code hz} in {@code x} (least squares on sin/cos), away from the ends. */
    private static double amplitude(float[] x, double hz, double rate, int margin) {
        double s = 0;
        double c = 0;
        int n = 0;
        for (int i = margin; i < x.length - margin; i++) {
            s += x[i] * Math.sin(2 * Math.PI * hz * i / rate);
            c += x[i] * Math.cos(2 * Math.PI * hz * i / rate);
            n++;
        }
        return 2 * Math.hypot(s, c) / n;
    }

    @Test
    void resamplingKeepsTheBandAndRemovesWhatWouldAlias() {
        Resampler down = new Resampler(500, 100);
        assertEquals(1, down.up());
        assertEquals(5, down.down());
        assertEquals(1000, down.outputLength(5000));
        float[] kept = down.apply(sine(10, 500, 5000, 1, 0));
        assertEquals(1.0, amplitude(kept, 10, 100, 50), 0.01, "a 10 Hz wave passes 500 -> 100 Hz");
        // 70 Hz is above the new Nyquist (50 Hz): without the anti-aliasing filter it would fold to 30 Hz.
        float[] folded = down.apply(sine(70, 500, 5000, 1, 0));
        assertTrue(amplitude(folded, 30, 100, 50) < 0.01, "70 Hz must not alias to 30 Hz: " + amplitude(folded, 30, 100, 50));
        float[] dc = down.apply(sine(0, 500, 5000, 0, 2.5));
        for (float v : dc) {
            assertEquals(2.5, v, 1e-4, "a constant stays constant, ends included");
        }
        Resampler up = new Resampler(100, 500);
        float[] back = up.apply(sine(7, 100, 1000, 1, 0));
        assertEquals(5000, back.length);
        assertEquals(1.0, amplitude(back, 7, 500, 250), 0.01);
        // Zero phase: a sample of the upsampled wave equals the wave at that time.
        assertEquals(Math.sin(2 * Math.PI * 7 * 2500 / 500.0), back[2500], 0.01);
        assertEquals(List.of(2, 5), List.of(new Resampler(250, 100).up(), new Resampler(250, 100).down()));
        assertThrows(IllegalArgumentException.class, () -> new Resampler(500.5, 100));
    }

    @Test
    void bandPassRemovesWanderAndKeepsTheQrsBandInPlace() {
        double rate = 500;
        float[] wander = sine(0.1, rate, 5000, 1, 0);
        float[] ecgBand = sine(10, rate, 5000, 1, 0);
        float[] mains = sine(50, rate, 5000, 1, 0);
        BandPass f = BandPass.of(0.67, 40, rate);
        assertTrue(amplitude(f.apply(wander), 0.1, rate, 500) < 0.05, "baseline wander reduced 20x");
        float[] band = f.apply(ecgBand);
        assertEquals(1.0, amplitude(band, 10, rate, 500), 0.02, "10 Hz passes");
        assertTrue(amplitude(f.apply(mains), 50, rate, 500) < 0.6, "50 Hz is attenuated above the 40 Hz corner");
        // Zero phase: the filtered 10 Hz wave lines up with the input (forward-backward cancels the delay).
        for (int i = 1000; i < 4000; i += 37) {
            assertEquals(ecgBand[i], band[i], 0.03, "sample " + i);
        }
        float[] offset = BandPass.of(0.5, 0, rate).apply(sine(0, rate, 2000, 0, 3));
        for (float v : offset) {
            assertEquals(0, v, 1e-3, "a DC offset is removed everywhere, no start-up transient");
        }
        assertThrows(IllegalArgumentException.class, () -> BandPass.of(300, 0, 500));
    }

    @Test
    void imputationInterpolatesAndRefusesEmptyLeads() {
        float[] x = {Float.NaN, 1, Float.NaN, Float.NaN, 4, Float.POSITIVE_INFINITY};
        assertEquals(4, Imputation.apply(x, "r lead I"));
        assertArrayEquals(new float[] {1, 1, 2, 3, 4, 4}, x);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Imputation.apply(new float[] {Float.NaN, Float.NaN}, "rec7 lead V2"));
        assertTrue(e.getMessage().startsWith("rec7 lead V2: no finite sample"), e.getMessage());
    }

    @Test
    void cropsPadsAndNormalises() {
        float[][] x = {{1, 2, 3, 4, 5}, {10, 20, 30, 40, 50}};
        assertArrayEquals(new float[][] {{1, 2, 3}, {10, 20, 30}}, Crop.START.apply(x, 3, 0));
        assertArrayEquals(new float[][] {{2, 3, 4}, {20, 30, 40}}, Crop.CENTER.apply(x, 3, 0));
        assertArrayEquals(new float[][] {{1, 2, 3, 4, 5, 0, 0}, {10, 20, 30, 40, 50, 0, 0}}, Crop.START.apply(x, 7, 0));
        assertArrayEquals(Crop.RANDOM.apply(x, 3, 42), Crop.RANDOM.apply(x, 3, 42), "deterministic by seed");
        float[][] g = {{1, 2}, {3, 5}};
        Normalization.GLOBAL_MIN_MAX.apply(g);
        assertEquals(0, g[0][0], 1e-6);
        assertEquals(1, g[1][1], 1e-6);
        assertEquals(0.5, g[1][0], 1e-6);
        float[][] z = {{1, 3}, {10, 30}};
        Normalization.PER_LEAD_Z_SCORE.apply(z);
        assertArrayEquals(new float[] {-1, 1}, z[0], 1e-5f);
        assertArrayEquals(new float[] {-1, 1}, z[1], 1e-5f);
    }

    @Test
    void pipelineSelectsLeadsByNameResamplesAndCrops() {
        float[][] x = new float[12][5000];
        for (int l = 0; l < 12; l++) {
            x[l] = sine(5, 500, 5000, l + 1, 0);
        }
        x[3][10] = Float.NaN;
        EcgRecord r = new EcgRecord("r", 500, List.of(Lead.values()), x, "sinus rhythm", Set.of("NORM"), Map.of());
        Preprocessor p = Preprocessor.builder().leads(List.of(Lead.V1, Lead.II)).rate(100).bandPass(0.5, 40)
                .length(900, Crop.START).normalization(Normalization.NONE).build();
        EcgRecord out = p.apply(r, 0);
        assertEquals(List.of(Lead.V1, Lead.II), out.leads());
        assertEquals(100, out.samplingRate());
        assertEquals(900, out.numSamples());
        assertEquals(7.0, amplitude(out.signals()[0], 5, 100, 100), 0.05, "V1 was made with amplitude 7");
        assertEquals(2.0, amplitude(out.signals()[1], 5, 100, 100), 0.02);
        assertEquals("sinus rhythm", out.report());
        assertTrue(Preprocessor.builder().build().toString().contains("GLOBAL_MIN_MAX"));
    }
}
