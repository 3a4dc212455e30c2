package org.kmerl.model.data.synth;

import java.util.List;

/**
 * The findings the generator can produce. Each has the PTB-XL SCP-ECG code that names it (so synthetic
 * and real labels share a vocabulary) and several clinical phrasings for the report.
 */
public enum Condition {
    NORMAL("NORM", List.of("normal ecg", "normal electrocardiogram", "within normal limits", "no abnormality detected")),
    SINUS_BRADYCARDIA("SBRAD", List.of("sinus bradycardia", "sinus brady", "slow sinus rhythm")),
    SINUS_TACHYCARDIA("STACH", List.of("sinus tachycardia", "sinus tach", "rapid sinus rhythm")),
    ATRIAL_FIBRILLATION("AFIB", List.of("atrial fibrillation", "afib", "atrial fibrillation with irregular ventricular response",
            "af")),
    ATRIAL_FLUTTER("AFLT", List.of("atrial flutter", "aflutter", "atrial flutter with 2:1 block")),
    FIRST_DEGREE_AV_BLOCK("1AVB", List.of("first degree av block", "1st degree atrioventricular block",
            "prolonged pr interval", "first-degree heart block")),
    LBBB("CLBBB", List.of("left bundle branch block", "complete left bundle branch block", "lbbb")),
    RBBB("CRBBB", List.of("right bundle branch block", "complete right bundle branch block", "rbbb")),
    LVH("LVH", List.of("left ventricular hypertrophy", "lvh by voltage criteria", "voltage criteria for lvh")),
    ST_ELEVATION("STE_", List.of("st elevation", "st segment elevation", "anterior st elevation, consider acute injury")),
    ST_DEPRESSION("STD_", List.of("st depression", "st segment depression", "lateral st depression")),
    T_INVERSION("INVT", List.of("t wave inversion", "inverted t waves", "t wave abnormality")),
    PVC("PVC", List.of("premature ventricular contractions", "ventricular premature complexes", "occasional pvcs",
            "ventricular ectopy")),
    LOW_VOLTAGE("LVOLT", List.of("low voltage", "low qrs voltages", "low voltage qrs")),
    LONG_QT("LNGQT", List.of("prolonged qt interval", "long qt", "qt prolongation")),
    INFERIOR_MI("IMI", List.of("inferior infarct, old", "old inferior myocardial infarction", "q waves in ii, iii, avf")),
    ANTERIOR_MI("AMI", List.of("anterior infarct, age undetermined", "old anterior myocardial infarction",
            "q waves in v1-v4")),
    LATERAL_MI("LMI", List.of("lateral infarct, old", "old lateral myocardial infarction", "q waves in i, avl, v5, v6"));

    private final String code;
    private final List<String> phrases;

    Condition(String code, List<String> phrases) {
        this.code = code;
        this.phrases = phrases;
    }

    /** The PTB-XL SCP-ECG statement code. */
    public String code() {
        return code;
    }

    public List<String> phrases() {
        return phrases;
    }

    public boolean isRhythm() {
        return this == SINUS_BRADYCARDIA || this == SINUS_TACHYCARDIA || this == ATRIAL_FIBRILLATION
                || this == ATRIAL_FLUTTER;
    }
}
