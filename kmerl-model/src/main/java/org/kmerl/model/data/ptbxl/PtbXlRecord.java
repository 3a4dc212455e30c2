package org.kmerl.model.data.ptbxl;

import java.util.Map;

/**
 * One row of {@code ptbxl_database.csv}: ids, demographics, the free-text report, the SCP codes
 * with their likelihoods, the stratified fold (1-10) and the two waveform paths (without extension,
 * relative to the dataset folder). {@code age} is NaN and {@code sex} -1 when unknown.
 */
public record PtbXlRecord(int ecgId, int patientId, double age, int sex, String report, Map<String, Double> scpCodes,
                          int fold, String filenameLr, String filenameHr) {

    /** The benchmark split: folds 1-8 train, 9 validation, 10 test. */
    public Split split() {
        return fold == 10 ? Split.TEST : fold == 9 ? Split.VALIDATION : Split.TRAIN;
    }

    public enum Split { TRAIN, VALIDATION, TEST }
}
