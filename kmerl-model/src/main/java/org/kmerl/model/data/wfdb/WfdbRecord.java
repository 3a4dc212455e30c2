package org.kmerl.model.data.wfdb;

import java.util.List;

/**
 * A record's samples as stored (ADC units): {@code digital[s]} holds {@code numSamples *
 * samplesPerFrame(s)} values of signal s, skew already applied; missing samples hold the format's
 * invalid value and become NaN in {@link #physical}.
 */
public record WfdbRecord(WfdbHeader header, int[][] digital, int[] invalid) {

    public int numSignals() {
        return digital.length;
    }

    /** Samples per signal at the base frequency. */
    public int numSamples() {
        return digital.length == 0 ? 0 : digital[0].length / header.signals().get(0).samplesPerFrame();
    }

    public List<String> signalNames() {
        return java.util.stream.IntStream.range(0, numSignals()).mapToObj(i -> header.signals().get(i).name(i)).toList();
    }

    /** Signal s in physical units: (digital - baseline) / gain; missing samples are NaN. */
    public float[] physical(int s) {
        SignalSpec spec = header.signals().get(s);
        int[] d = digital[s];
        float[] out = new float[d.length];
        double gain = spec.gain();
        int baseline = spec.baseline();
        for (int i = 0; i < d.length; i++) {
            out[i] = d[i] == invalid[s] ? Float.NaN : (float) ((d[i] - baseline) / gain);
        }
        return out;
    }
}
