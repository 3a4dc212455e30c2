package org.kmerl.model.data.preprocess;

/**
 * Zero-phase Butterworth filtering: second-order sections designed by the bilinear transform with
 * pre-warped corners, run forward then backward (as {@code scipy.signal.filtfilt}), so the ECG's waves
 * keep their position. The ends are extended by odd reflection (3 x order samples of each section
 * chain, as filtfilt's default) and each pass starts from the steady state of the first sample, so
 * there is no start-up transient. A high-pass alone removes baseline wander; high-pass + low-pass is a
 * band-pass (e.g. 0.67-40 Hz as ST-MEM's preprocessing).
 */
public final class BandPass {
    /** One biquad: y = b0 x + b1 x1 + b2 x2 - a1 y1 - a2 y2. */
    private record Section(double b0, double b1, double b2, double a1, double a2) {
    }

    private final Section[] sections;

    private BandPass(Section[] sections) {
        this.sections = sections;
    }

    /**
     * A 2nd-order high-pass at {@code lowHz} (0 or negative: none) followed by a 2nd-order low-pass at
     * {@code highHz} (0, negative or >= Nyquist: none), for signals sampled at {@code rateHz}. Forward and
     * backward, each corner is effectively 4th order.
     */
    public static BandPass of(double lowHz, double highHz, double rateHz) {
        java.util.List<Section> s = new java.util.ArrayList<>();
        if (lowHz > 0) {
            if (lowHz >= rateHz / 2) {
                throw new IllegalArgumentException("high-pass corner " + lowHz + " Hz is above the Nyquist rate of "
                        + rateHz + " Hz sampling");
            }
            s.add(biquad(lowHz, rateHz, true));
        }
        if (highHz > 0 && highHz < rateHz / 2) {
            s.add(biquad(highHz, rateHz, false));
        }
        return new BandPass(s.toArray(new Section[0]));
    }

    private static Section biquad(double cornerHz, double rateHz, boolean highPass) {
        double k = Math.tan(Math.PI * cornerHz / rateHz);   // pre-warped corner
        double q = Math.sqrt(0.5);                            // Butterworth
        double norm = 1 / (1 + k / q + k * k);
        double a1 = 2 * (k * k - 1) * norm;
        double a2 = (1 - k / q + k * k) * norm;
        if (highPass) {
            return new Section(norm, -2 * norm, norm, a1, a2);
        }
        double b0 = k * k * norm;
        return new Section(b0, 2 * b0, b0, a1, a2);
    }

    public float[] apply(float[] x) {
        if (sections.length == 0 || x.length == 0) {
            return x.clone();
        }
        int pad = Math.min(x.length - 1, 3 * 2 * sections.length);
        double[] ext = new double[x.length + 2 * pad];
        for (int i = 0; i < pad; i++) {   // odd reflection about the end samples
            ext[pad - 1 - i] = 2 * x[0] - x[i + 1];
            ext[pad + x.length + i] = 2 * x[x.length - 1] - x[x.length - 2 - i];
        }
        for (int i = 0; i < x.length; i++) {
            ext[pad + i] = x[i];
        }
        for (Section s : sections) {
            run(s, ext);
            reverse(ext);
            run(s, ext);
            reverse(ext);
        }
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = (float) ext[pad + i];
        }
        return y;
    }

    /** One pass of a biquad in place (transposed direct form II), started in the steady state of ext[0]. */
    private static void run(Section s, double[] ext) {
        double dcGain = (s.b0 + s.b1 + s.b2) / (1 + s.a1 + s.a2);
        double x0 = ext[0];
        double y0 = dcGain * x0;
        double z1 = y0 - s.b0 * x0;                       // states that make a constant input pass unchanged
        double z2 = s.b2 * x0 - s.a2 * y0;
        for (int i = 0; i < ext.length; i++) {
            double in = ext[i];
            double out = s.b0 * in + z1;
            z1 = s.b1 * in - s.a1 * out + z2;
            z2 = s.b2 * in - s.a2 * out;
            ext[i] = out;
        }
    }

    private static void reverse(double[] a) {
        for (int i = 0, j = a.length - 1; i < j; i++, j--) {
            double t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
