package org.kmerl.model.pretrain;

import java.util.List;
import java.util.Set;
import org.kmerl.model.data.Lead;

/**
 * ECG-report pairs for pretraining, already preprocessed to the encoder's rate and length. Reads may
 * come from several loader threads at once.
 */
public interface PretrainData {
    String describe();

    int size();

    String id(int i);

    String report(int i);

    /** Ground-truth statement codes (PTB-XL SCP codes, synthetic findings), for validation only. */
    Set<String> labels(int i);

    /** The leads record {@code i} has (standard order). */
    List<Lead> leads(int i);

    /** Samples at the data's rate. */
    int length();

    double rate();

    /**
     * Writes record {@code i} into {@code out} at {@code offset} as [12][length] in standard lead order;
     * leads the record lacks are left as they are (they never become tokens).
     */
    void read(int i, float[] out, int offset);
}
