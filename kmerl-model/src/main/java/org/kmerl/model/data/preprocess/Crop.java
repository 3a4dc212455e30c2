package org.kmerl.model.data.preprocess;

import java.util.SplittableRandom;

/** Cutting or padding to a fixed number of samples. */
public enum Crop {
    /** Keep the first samples (MERL: "first 5000 samples"). */
    START,
    /** Keep the middle samples. */
    CENTER,
    /** Keep a window at a random start (pretraining augmentation; deterministic by seed). */
    RANDOM;

    /**
     * {@code signals} cut to {@code length} samples (or zero-padded at the end when shorter, as MERL pads
     * CPSC2018's 2500 samples to 5000). {@code seed} chooses the RANDOM window.
     */
    public float[][] apply(float[][] signals, int length, long seed) {
        int n = signals.length == 0 ? 0 : signals[0].length;
        int start = switch (this) {
            case START -> 0;
            case CENTER -> Math.max(0, (n - length) / 2);
            case RANDOM -> n > length ? new SplittableRandom(seed).nextInt(n - length + 1) : 0;
        };
        float[][] out = new float[signals.length][length];
        for (int l = 0; l < signals.length; l++) {
            System.arraycopy(signals[l], start, out[l], 0, Math.min(length, n - start));
        }
        return out;
    }
}
