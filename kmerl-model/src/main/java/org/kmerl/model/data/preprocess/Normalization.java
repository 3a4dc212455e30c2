package org.kmerl.model.data.preprocess;

/** How amplitudes are scaled before the encoder sees them. */
public enum Normalization {
    /** Leave millivolts as they are. */
    NONE,
    /** One min-max over the whole leads x time array, mapping it to [0, 1] (MERL's choice). */
    GLOBAL_MIN_MAX,
    /** Each lead to zero mean and unit standard deviation. */
    PER_LEAD_Z_SCORE,
    /** One mean and standard deviation over all leads and time (ST-MEM's "standardise over (lead, time)"). */
    GLOBAL_Z_SCORE;

    private static final double EPS = 1e-8;

    /** Normalises {@code signals} in place. */
    public void apply(float[][] signals) {
        switch (this) {
            case NONE -> { }
            case GLOBAL_MIN_MAX -> {
                double min = Double.POSITIVE_INFINITY;
                double max = Double.NEGATIVE_INFINITY;
                for (float[] lead : signals) {
                    for (float v : lead) {
                        min = Math.min(min, v);
                        max = Math.max(max, v);
                    }
                }
                double scale = 1 / (max - min + EPS);
                for (float[] lead : signals) {
                    for (int i = 0; i < lead.length; i++) {
                        lead[i] = (float) ((lead[i] - min) * scale);
                    }
                }
            }
            case PER_LEAD_Z_SCORE -> {
                for (float[] lead : signals) {
                    standardise(new float[][] {lead});
                }
            }
            case GLOBAL_Z_SCORE -> standardise(signals);
        }
    }

    private static void standardise(float[][] group) {
        double sum = 0;
        long n = 0;
        for (float[] lead : group) {
            for (float v : lead) {
                sum += v;
                n++;
            }
        }
        if (n == 0) {
            return;
        }
        double mean = sum / n;
        double sq = 0;
        for (float[] lead : group) {
            for (float v : lead) {
                sq += (v - mean) * (v - mean);
            }
        }
        double scale = 1 / (Math.sqrt(sq / n) + EPS);
        for (float[] lead : group) {
            for (int i = 0; i < lead.length; i++) {
                lead[i] = (float) ((lead[i] - mean) * scale);
            }
        }
    }
}
