package org.kmerl.model.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.kmerl.model.ModelFormatException;
import org.kmerl.model.data.wfdb.WfdbReader;
import org.kmerl.model.data.wfdb.WfdbRecord;

/** A WFDB record as an {@link EcgRecord}: its signals named as standard leads, in physical units. */
public final class WfdbEcg {
    private WfdbEcg() {
    }

    /** Reads a record; every signal must be one of the 12 standard leads (names matched leniently). */
    public static EcgRecord read(Path record, String id, String report, Set<String> labels, Map<String, String> metadata)
            throws IOException {
        WfdbRecord r = WfdbReader.read(record);
        return toEcg(r, record.toString(), id, report, labels, metadata);
    }

    /** Millivolts per physical unit of a WFDB units field (mV when absent). */
    static double millivoltsPer(String units, String source, Lead lead) throws ModelFormatException {
        String u = units == null ? "" : units.strip().toLowerCase(java.util.Locale.ROOT);
        switch (u) {
            case "", "mv":
                return 1;
            case "uv", "µv", "microvolt", "microvolts":
                return 1e-3;
            case "v":
                return 1e3;
            default:
                throw new ModelFormatException(source, "lead " + lead.label() + " is in units '" + units
                        + "', not a voltage (mV, uV, V)");
        }
    }

    public static EcgRecord toEcg(WfdbRecord r, String source, String id, String report, Set<String> labels,
                                  Map<String, String> metadata) throws ModelFormatException {
        List<Lead> leads = new ArrayList<>();
        float[][] signals = new float[r.numSignals()][];
        for (int s = 0; s < r.numSignals(); s++) {
            String name = r.signalNames().get(s);
            Lead lead = Lead.parseOrNull(name);
            if (lead == null) {
                throw new ModelFormatException(source, "signal " + s + " is named '" + name
                        + "', not one of the 12 standard leads");
            }
            if (leads.contains(lead)) {
                throw new ModelFormatException(source, "lead " + lead.label() + " appears twice");
            }
            if (r.header().signals().get(s).samplesPerFrame() != 1) {
                throw new ModelFormatException(source, "lead " + lead.label() + " has "
                        + r.header().signals().get(s).samplesPerFrame() + " samples per frame; ECG leads need 1");
            }
            leads.add(lead);
            signals[s] = r.physical(s);
            double toMillivolts = millivoltsPer(r.header().signals().get(s).units(), source, lead);
            if (toMillivolts != 1) {
                for (int i = 0; i < signals[s].length; i++) {
                    signals[s][i] *= (float) toMillivolts;
                }
            }
        }
        return new EcgRecord(id, r.header().samplingFrequency(), leads, signals, report, labels, metadata);
    }
}
