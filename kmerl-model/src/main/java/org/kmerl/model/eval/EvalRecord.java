package org.kmerl.model.eval;

import java.nio.file.Path;

/** One record of an evaluation dataset: its id, the split it belongs to and its WFDB record path (no extension). */
public record EvalRecord(String id, Split split, Path path) {
    /** Train (linear-probe training), validation (model selection, thresholds) and test (what is reported). */
    public enum Split {
        TRAIN, VALIDATION, TEST;

        /** "train", "val" / "validation", "test" (any case). */
        public static Split parse(String text, String where) {
            return switch (text.strip().toLowerCase(java.util.Locale.ROOT)) {
                case "train" -> TRAIN;
                case "val", "valid", "validation" -> VALIDATION;
                case "test" -> TEST;
                default -> throw new IllegalArgumentException(where + ": split '" + text + "' is not train, val or test");
            };
        }
    }
}
