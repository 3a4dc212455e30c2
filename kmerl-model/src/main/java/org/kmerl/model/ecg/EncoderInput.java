package org.kmerl.model.ecg;

import java.util.List;
import org.kmerl.model.data.Lead;
import org.kmerl.model.data.preprocess.Crop;
import org.kmerl.model.data.preprocess.Normalization;
import org.kmerl.model.data.preprocess.Preprocessor;

/**
 * The preprocessing an encoder's input gets, the same in pretraining and in every evaluation: the
 * given leads resampled to the encoder's rate, band-passed 0.5-40 Hz, the first {@code samples}
 * samples, each record z-scored over all its leads at once (so lead amplitudes keep their ratios).
 */
public final class EncoderInput {
    private EncoderInput() {
    }

    /**
     * Writes a record's leads ({@code signals[l]} is lead {@code leads.get(l)}, {@code length} samples each)
     * into the encoder's input layout [12][length] at {@code offset} of {@code out}, each at its standard
     * position; the positions of leads the record lacks are left as they are (they never become tokens).
     */
    public static void place(List<Lead> leads, float[][] signals, int length, float[] out, int offset) {
        for (int l = 0; l < leads.size(); l++) {
            System.arraycopy(signals[l], 0, out, offset + leads.get(l).ordinal() * length, length);
        }
    }

    public static Preprocessor preprocessor(EcgEncoderConfig encoder, List<Lead> leads) {
        return Preprocessor.builder().leads(leads).rate(encoder.rate()).bandPass(0.5, 40)
                .length(encoder.samples(), Crop.START).normalization(Normalization.GLOBAL_Z_SCORE).build();
    }
}
