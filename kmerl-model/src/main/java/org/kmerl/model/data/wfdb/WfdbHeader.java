package org.kmerl.model.data.wfdb;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.kmerl.model.ModelFormatException;

/**
 * A parsed WFDB header (https://wfdb.io/spec/header-files.html): the record line
 * {@code name[/segments] [signals [fs[/counterFreq[(baseCounter)]] [samples [time [date]]]]]}, one
 * line per signal, and the comment lines (which carry metadata such as {@code #Age: 54}).
 * {@code numSamples} is -1 when the header does not say (then the data file's size decides).
 */
public record WfdbHeader(String recordName, int segments, int numSignals, double samplingFrequency,
                         double counterFrequency, long numSamples, String baseTime, String baseDate,
                         List<SignalSpec> signals, List<String> comments) {

    private static final Pattern FREQUENCY = Pattern.compile("([0-9.eE+-]+)(?:/([0-9.eE+-]+)(?:\\(([0-9.eE+-]+)\\))?)?");
    private static final Pattern FORMAT = Pattern.compile("(\\d+)(?:x(\\d+))?(?::(\\d+))?(?:\\+(\\d+))?");
    private static final Pattern GAIN = Pattern.compile("([0-9.eE+-]+)(?:\\((-?\\d+)\\))?(?:/(\\S+))?");

    /** Reads {@code record.hea}. */
    public static WfdbHeader read(Path headerFile) throws IOException {
        String text;
        try {
            text = Files.readString(headerFile, StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new ModelFormatException(headerFile.toString(), "no such header file", e);
        }
        return parse(text, headerFile.toString());
    }

    /** Parses header text; {@code source} names it in errors. */
    public static WfdbHeader parse(String text, String source) throws ModelFormatException {
        List<String> lines = new ArrayList<>();
        List<String> comments = new ArrayList<>();
        for (String raw : text.split("\r?\n")) {
            String line = raw.strip();
            if (line.startsWith("#")) {
                comments.add(line.substring(1).strip());
            } else if (!line.isEmpty()) {
                lines.add(line);
            }
        }
        if (lines.isEmpty()) {
            throw new ModelFormatException(source, "empty header (no record line)");
        }
        String[] rec = lines.get(0).split("\\s+");
        String name = rec[0];
        int segments = 1;
        int slash = name.indexOf('/');
        if (slash >= 0) {
            segments = parseInt(name.substring(slash + 1), "number of segments", source);
            name = name.substring(0, slash);
        }
        int numSignals = rec.length > 1 ? parseInt(rec[1], "number of signals", source) : 0;
        double fs = 250;
        double counter = 0;
        if (rec.length > 2) {
            Matcher m = FREQUENCY.matcher(rec[2]);
            if (!m.matches()) {
                throw new ModelFormatException(source, "sampling frequency '" + rec[2] + "' is not a number");
            }
            fs = Double.parseDouble(m.group(1));
            counter = m.group(2) == null ? fs : Double.parseDouble(m.group(2));
        }
        long numSamples = rec.length > 3 ? parseLong(rec[3], "number of samples", source) : -1;
        String time = rec.length > 4 ? rec[4] : "";
        String date = rec.length > 5 ? rec[5] : "";
        List<SignalSpec> signals = new ArrayList<>();
        if (segments == 1) {
            if (lines.size() - 1 < numSignals) {
                throw new ModelFormatException(source, "the record line announces " + numSignals
                        + " signals but " + (lines.size() - 1) + " signal lines follow");
            }
            for (int i = 0; i < numSignals; i++) {
                signals.add(parseSignal(lines.get(i + 1), i, source));
            }
        }
        if (fs <= 0 || !Double.isFinite(fs)) {
            throw new ModelFormatException(source, "sampling frequency must be positive, got " + fs);
        }
        return new WfdbHeader(name, segments, numSignals, fs, counter, numSamples, time, date, List.copyOf(signals),
                List.copyOf(comments));
    }

    private static SignalSpec parseSignal(String line, int index, String source) throws ModelFormatException {
        // The description (last field) may contain spaces: split off at most 8 leading fields.
        String[] f = line.split("\\s+", 9);
        String where = "signal " + index + " ('" + line + "')";
        if (f.length < 2) {
            throw new ModelFormatException(source, where + ": expected at least a file name and a format");
        }
        Matcher fm = FORMAT.matcher(f[1]);
        if (!fm.matches()) {
            throw new ModelFormatException(source, where + ": cannot read the format field '" + f[1] + "'");
        }
        int format = Integer.parseInt(fm.group(1));
        int spf = fm.group(2) == null ? 1 : Integer.parseInt(fm.group(2));
        int skew = fm.group(3) == null ? 0 : Integer.parseInt(fm.group(3));
        long offset = fm.group(4) == null ? 0 : Long.parseLong(fm.group(4));
        double gain = SignalSpec.DEFAULT_GAIN;
        Integer baseline = null;
        String units = "mV";
        if (f.length > 2) {
            Matcher gm = GAIN.matcher(f[2]);
            if (!gm.matches()) {
                throw new ModelFormatException(source, where + ": cannot read the gain field '" + f[2] + "'");
            }
            gain = Double.parseDouble(gm.group(1));
            if (gain == 0) {
                gain = SignalSpec.DEFAULT_GAIN;
            }
            baseline = gm.group(2) == null ? null : Integer.valueOf(gm.group(2));
            units = gm.group(3) == null ? units : gm.group(3);
        }
        int resolution = f.length > 3 ? parseInt(f[3], where + " ADC resolution", source) : 0;
        int zero = f.length > 4 ? parseInt(f[4], where + " ADC zero", source) : 0;
        Integer initial = f.length > 5 ? Integer.valueOf(parseInt(f[5], where + " initial value", source)) : null;
        Integer checksum = f.length > 6 ? Integer.valueOf(parseInt(f[6], where + " checksum", source)) : null;
        int block = f.length > 7 ? parseInt(f[7], where + " block size", source) : 0;
        String description = f.length > 8 ? f[8].strip() : "";
        return new SignalSpec(f[0], format, spf, skew, offset, gain, baseline == null ? zero : baseline, units,
                resolution, zero, initial, checksum, block, description);
    }

    private static int parseInt(String s, String what, String source) throws ModelFormatException {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new ModelFormatException(source, what + " '" + s + "' is not an integer");
        }
    }

    private static long parseLong(String s, String what, String source) throws ModelFormatException {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new ModelFormatException(source, what + " '" + s + "' is not an integer");
        }
    }

    /** The samples per frame of all signals together (one frame = one tick of the base frequency). */
    public int samplesPerFrame() {
        return signals.stream().mapToInt(SignalSpec::samplesPerFrame).sum();
    }

    /** Duration in seconds, or NaN when the length is unknown. */
    public double durationSeconds() {
        return numSamples < 0 ? Double.NaN : numSamples / samplingFrequency;
    }
}
