package org.kmerl.model.data.cache;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import org.kmerl.model.data.EcgRecord;

/**
 * A dataset as a list of records: what each one is called and labelled (known without reading its
 * waveform), and the record itself. {@link Sources#open} finds the right one for a folder.
 */
public interface RecordSource {
    /** One row: id, report ("" if none) and labels. */
    record Entry(String id, String report, Set<String> labels) {
    }

    String describe();

    List<Entry> entries();

    /** Reads record {@code i} (the i-th entry). */
    EcgRecord read(int i) throws IOException;
}
