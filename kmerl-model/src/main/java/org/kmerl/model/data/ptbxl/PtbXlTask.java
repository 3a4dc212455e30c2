package org.kmerl.model.data.ptbxl;

/**
 * The label sets of the PTB-XL benchmark (Strodthoff et al. 2020), built from
 * {@code scp_statements.csv}: every SCP code of a record counts, whatever its likelihood.
 */
public enum PtbXlTask {
    /** The 5 diagnostic classes (NORM, MI, STTC, CD, HYP) of the record's diagnostic statements. */
    SUPERCLASS("super_class"),
    /** The 23 diagnostic subclasses. */
    SUBCLASS("sub_class"),
    /** The 19 form statements themselves. */
    FORM("form"),
    /** The 12 rhythm statements themselves. */
    RHYTHM("rhythm");

    private final String splitName;

    PtbXlTask(String splitName) {
        this.splitName = splitName;
    }

    /** The task's name in MERL's split tables ({@code super_class}, {@code sub_class}, ...). */
    public String splitName() {
        return splitName;
    }
}
