package org.kmerl.model.data.preprocess;

/**
 * Rational-factor resampling with anti-aliasing, as {@code scipy.signal.resample_poly}: upsample by L
 * (zero stuffing), low-pass with a Kaiser-windowed sinc (beta 5, 10 zero crossings of the slower side
 * each way, cut-off at the lower of the two Nyquist rates), downsample by M. The filter is centred,
 * so there is no delay; the signal is extended by its edge values, so the ends do not ring towards 0.
 * Each polyphase branch is scaled to unit gain at DC. 500 -> 100 Hz is L=1, M=5; 100 -> 500 Hz is L=5, M=1.
 */
public final class Resampler {
    private final int up;
    private final int down;
    private final double[] taps;
    private final int half;

    public Resampler(double fromHz, double toHz) {
        if (!(fromHz > 0) || !(toHz > 0)) {
            throw new IllegalArgumentException("sampling rates must be positive, got " + fromHz + " -> " + toHz);
        }
        long from = Math.round(fromHz);
        long to = Math.round(toHz);
        if (Math.abs(from - fromHz) > 1e-9 || Math.abs(to - toHz) > 1e-9) {
            throw new IllegalArgumentException("resampling takes whole-Hz rates, got " + fromHz + " -> " + toHz);
        }
        long g = gcd(from, to);
        this.up = (int) (to / g);
        this.down = (int) (from / g);
        if (up > 1000 || down > 1000) {
            throw new IllegalArgumentException("the ratio " + to + "/" + from + " needs a " + up + "/" + down
                    + " polyphase filter; choose rates with a smaller ratio");
        }
        int max = Math.max(up, down);
        this.half = 10 * max;
        this.taps = new double[2 * half + 1];
        double cutoff = 0.5 / max;   // cycles per upsampled sample
        double i0Beta = besselI0(5.0);
        for (int n = -half; n <= half; n++) {
            double x = 2 * cutoff * n;
            double sinc = n == 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
            double r = (double) n / half;
            double window = besselI0(5.0 * Math.sqrt(Math.max(0, 1 - r * r))) / i0Beta;
            taps[n + half] = sinc * window;
        }
        // Each polyphase branch (the taps that meet input samples for one output phase) is scaled to a
        // gain of exactly 1 at DC, so a constant stays constant; the ideal filter has that only roughly.
        for (int phase = 0; phase < up; phase++) {
            double sum = 0;
            for (int i = phase; i < taps.length; i += up) {
                sum += taps[i];
            }
            for (int i = phase; i < taps.length; i += up) {
                taps[i] /= sum;
            }
        }
    }

    public int up() {
        return up;
    }

    public int down() {
        return down;
    }

    /** Samples after resampling {@code n}: ceil(n * L / M). */
    public int outputLength(int n) {
        return (int) (((long) n * up + down - 1) / down);
    }

    public float[] apply(float[] x) {
        if (up == 1 && down == 1) {
            return x.clone();
        }
        int n = x.length;
        int outLength = outputLength(n);
        float[] y = new float[outLength];
        if (n == 0) {
            return y;
        }
        for (int k = 0; k < outLength; k++) {
            long centre = (long) k * down;   // position in the upsampled signal
            double acc = 0;
            // Only upsampled positions that are multiples of L hold input samples.
            long first = centre - half;
            long start = Math.floorDiv(first + up - 1, up) * up;
            for (long u = start; u <= centre + half; u += up) {
                long i = u / up;
                float v = x[(int) Math.max(0, Math.min(n - 1, i))];
                acc += taps[(int) (u - centre + half)] * v;
            }
            y[k] = (float) acc;
        }
        return y;
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    /** Modified Bessel function of the first kind, order 0 (the Kaiser window). */
    static double besselI0(double x) {
        double sum = 1;
        double term = 1;
        for (int k = 1; k < 50; k++) {
            term *= (x / (2 * k)) * (x / (2 * k));
            sum += term;
            if (term < 1e-17 * sum) {
                break;
            }
        }
        return sum;
    }
}
