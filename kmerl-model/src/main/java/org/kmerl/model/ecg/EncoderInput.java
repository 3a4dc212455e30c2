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

    public static Preprocessor preprocessor(EcgEncoderConfig encoder, List<Lead> leads) {
        return Preprocessor.builder().leads(leads).rate(encoder.rate()).bandPass(0.5, 40)
                .length(encoder.samples(), Crop.START).normalization(Normalization.GLOBAL_Z_SCORE).build();
    }
}
