package org.kmerl.model.data.ptbxl;

/**
 * One row of {@code scp_statements.csv}: an SCP-ECG code, its description, which kinds of statement
 * it is (diagnostic, form, rhythm), and for diagnostic ones the class and subclass.
 */
public record ScpStatement(String code, String description, boolean diagnostic, boolean form, boolean rhythm,
                           String diagnosticClass, String diagnosticSubclass) {
}
