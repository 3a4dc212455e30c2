package org.kmerl.model.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One ECG from any source, in physical units (mV): {@code signals[i]} is lead {@code leads.get(i)}
 * sampled at {@code samplingRate} Hz. Missing samples are NaN until preprocessing imputes them.
 * {@code labels} are the source's class labels (SCP codes, SNOMED abbreviations, generator ground
 * truth), {@code report} its free text ("" when there is none).
 */
public record EcgRecord(String id, double samplingRate, List<Lead> leads, float[][] signals, String report,
                        Set<String> labels, Map<String, String> metadata) {

    public EcgRecord {
        if (leads.size() != signals.length) {
            throw new IllegalArgumentException(id + ": " + leads.size() + " lead names for " + signals.length + " signals");
        }
        for (int i = 1; i < signals.length; i++) {
            if (signals[i].length != signals[0].length) {
                throw new IllegalArgumentException(id + ": lead " + leads.get(i).label() + " has " + signals[i].length
                        + " samples, lead " + leads.get(0).label() + " " + signals[0].length);
            }
        }
        leads = List.copyOf(leads);
        labels = Set.copyOf(labels);
        metadata = Map.copyOf(metadata);
    }

    public int numSamples() {
        return signals.length == 0 ? 0 : signals[0].length;
    }

    public double durationSeconds() {
        return numSamples() / samplingRate;
    }

    /** The samples of {@code lead}, or null when this record lacks it. */
    public float[] lead(Lead lead) {
        int i = leads.indexOf(lead);
        return i < 0 ? null : signals[i];
    }

    /** The same record with only {@code wanted} leads, in that order; a lead this record lacks is an error. */
    public EcgRecord select(List<Lead> wanted) {
        float[][] out = new float[wanted.size()][];
        for (int i = 0; i < wanted.size(); i++) {
            out[i] = lead(wanted.get(i));
            if (out[i] == null) {
                throw new IllegalArgumentException(id + " has no lead " + wanted.get(i).label() + " (it has " + labelsOf(leads)
                        + ")");
            }
        }
        return new EcgRecord(id, samplingRate, wanted, out, report, labels, metadata);
    }

    /** The same record with its leads in the standard order (I, II, III, aVR, aVL, aVF, V1-V6). */
    public EcgRecord standardOrder() {
        List<Lead> sorted = new ArrayList<>(leads);
        sorted.sort(null);
        return select(sorted);
    }

    public EcgRecord withSignals(double rate, float[][] newSignals) {
        return new EcgRecord(id, rate, leads, newSignals, report, labels, metadata);
    }

    private static String labelsOf(List<Lead> leads) {
        return String.join(", ", leads.stream().map(Lead::label).toList());
    }

    @Override
    public String toString() {
        return "EcgRecord[" + id + ", " + samplingRate + " Hz, " + numSamples() + " samples, leads " + labelsOf(leads)
                + ", labels " + labels + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EcgRecord r && r.id.equals(id) && r.samplingRate == samplingRate && r.leads.equals(leads)
                && Arrays.deepEquals(r.signals, signals) && r.report.equals(report) && r.labels.equals(labels)
                && r.metadata.equals(metadata);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }
}
