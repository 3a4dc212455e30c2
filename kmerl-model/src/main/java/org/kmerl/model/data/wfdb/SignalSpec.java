package org.kmerl.model.data.wfdb;

/**
 * One signal line of a WFDB header:
 * {@code file format[xspf][:skew][+offset] [gain[(baseline)][/units] [resolution [zero [initial [checksum [block [description]]]]]]]}.
 * Absent fields take WFDB's defaults (gain 200, baseline = ADC zero, units mV); {@code checksum}
 * and {@code initialValue} are null when the header does not give them.
 */
public record SignalSpec(String fileName, int formatCode, int samplesPerFrame, int skew, long byteOffset, double gain,
                         int baseline, String units, int adcResolution, int adcZero, Integer initialValue,
                         Integer checksum, int blockSize, String description) {

    /** WFDB's gain when the header gives none or zero (ADC units per physical unit). */
    public static final double DEFAULT_GAIN = 200;

    /** The lead or channel name (the description), or "signal N" when there is none. */
    public String name(int index) {
        return description.isEmpty() ? "signal " + index : description;
    }
}
