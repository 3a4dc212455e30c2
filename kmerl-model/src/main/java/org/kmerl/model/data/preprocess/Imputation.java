package org.kmerl.model.data.preprocess;

/**
 * Replaces NaN and infinite samples (WFDB's missing-sample value reads as NaN) by linear interpolation
 * between the nearest finite neighbours, or the nearest finite value at the ends. A lead with no finite
 * sample at all cannot be repaired: that is an error naming the record and lead, never a lead of zeros.
 */
public final class Imputation {
    private Imputation() {
    }

    /** Repairs {@code x} in place; returns how many samples were replaced. */
    public static int apply(float[] x, String what) {
        int n = x.length;
        int replaced = 0;
        int last = -1;   // index of the last finite sample seen
        for (int i = 0; i < n; i++) {
            if (Float.isFinite(x[i])) {
                if (i - last > 1) {
                    int gapStart = last + 1;
                    for (int j = gapStart; j < i; j++) {
                        x[j] = last < 0 ? x[i] : (float) (x[last] + (x[i] - x[last]) * (double) (j - last) / (i - last));
                        replaced++;
                    }
                }
                last = i;
            }
        }
        if (last < 0) {
            if (n == 0) {
                return 0;
            }
            throw new IllegalArgumentException(what + ": no finite sample at all (" + n + " missing); the lead cannot be"
                    + " imputed");
        }
        for (int j = last + 1; j < n; j++) {
            x[j] = x[last];
            replaced++;
        }
        return replaced;
    }
}
