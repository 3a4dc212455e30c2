package org.kmerl.model.data.preprocess;

import java.util.List;
import org.kmerl.model.data.EcgRecord;
import org.kmerl.model.data.Lead;

/**
 * The preprocessing pipeline, in order: keep the wanted leads (by name, in the wanted order), impute
 * missing samples, band-pass (or only remove baseline wander), resample, crop or pad, normalise.
 * Built with {@link #builder()}; the defaults are MERL's (500 Hz, no filter, first 5000 samples, global
 * min-max).
 */
public final class Preprocessor {
    private final List<Lead> leads;
    private final double rate;
    private final double highPassHz;
    private final double lowPassHz;
    private final int length;
    private final Crop crop;
    private final Normalization normalization;

    private Preprocessor(Builder b) {
        this.leads = b.leads;
        this.rate = b.rate;
        this.highPassHz = b.highPassHz;
        this.lowPassHz = b.lowPassHz;
        this.length = b.length;
        this.crop = b.crop;
        this.normalization = b.normalization;
    }

    public static Builder builder() {
        return new Builder();
    }

    public double rate() {
        return rate;
    }

    public int length() {
        return length;
    }

    public List<Lead> leads() {
        return leads;
    }

    /** The preprocessed record; {@code seed} chooses the crop window when the crop is RANDOM. */
    public EcgRecord apply(EcgRecord record, long seed) {
        EcgRecord r = record.select(leads);
        float[][] x = new float[r.signals().length][];
        BandPass filter = BandPass.of(highPassHz, lowPassHz, r.samplingRate());
        Resampler resampler = r.samplingRate() == rate ? null : new Resampler(r.samplingRate(), rate);
        for (int l = 0; l < x.length; l++) {
            float[] lead = r.signals()[l].clone();
            Imputation.apply(lead, record.id() + " lead " + r.leads().get(l).label());
            lead = filter.apply(lead);
            x[l] = resampler == null ? lead : resampler.apply(lead);
        }
        if (length > 0) {
            x = crop.apply(x, length, seed);
        }
        normalization.apply(x);
        return r.withSignals(rate, x);
    }

    @Override
    public String toString() {
        return String.format("leads %s, %s Hz, band %s-%s Hz, %s samples (%s), %s",
                String.join(",", leads.stream().map(Lead::label).toList()), rate, highPassHz > 0 ? highPassHz : "open",
                lowPassHz > 0 ? lowPassHz : "open", length > 0 ? length : "all", crop, normalization);
    }

    public static final class Builder {
        private List<Lead> leads = List.of(Lead.values());
        private double rate = 500;
        private double highPassHz;
        private double lowPassHz;
        private int length = 5000;
        private Crop crop = Crop.START;
        private Normalization normalization = Normalization.GLOBAL_MIN_MAX;

        public Builder leads(List<Lead> leads) {
            if (leads.isEmpty()) {
                throw new IllegalArgumentException("at least one lead is needed");
            }
            this.leads = List.copyOf(leads);
            return this;
        }

        /** Target sampling rate in Hz. */
        public Builder rate(double hz) {
            this.rate = hz;
            return this;
        }

        /** Band-pass corners in Hz; 0 leaves that side open (high-pass only removes baseline wander). */
        public Builder bandPass(double highPassHz, double lowPassHz) {
            this.highPassHz = highPassHz;
            this.lowPassHz = lowPassHz;
            return this;
        }

        /** Samples per lead after resampling; 0 keeps the whole record. */
        public Builder length(int samples, Crop crop) {
            if (samples < 0) {
                throw new IllegalArgumentException("length must be >= 0, got " + samples);
            }
            this.length = samples;
            this.crop = crop;
            return this;
        }

        public Builder normalization(Normalization n) {
            this.normalization = n;
            return this;
        }

        public Preprocessor build() {
            if (!(rate > 0)) {
                throw new IllegalArgumentException("target rate must be positive, got " + rate);
            }
            return new Preprocessor(this);
        }
    }
}
