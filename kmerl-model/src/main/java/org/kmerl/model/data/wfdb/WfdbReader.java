package org.kmerl.model.data.wfdb;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kmerl.model.ModelFormatException;

/**
 * Reads WFDB records: the header, then each signal file (signals sharing a file are interleaved
 * frame by frame, {@code samplesPerFrame} samples each), with byte offsets and skews applied and
 * every header checksum verified. Multi-segment records and the FLAC formats (508, 516, 524) are
 * refused with a message that says so.
 */
public final class WfdbReader {
    private WfdbReader() {
    }

    /** Reads {@code record}: the path of its .hea file, or the record path without extension. */
    public static WfdbRecord read(Path record) throws IOException {
        Path hea = record.toString().endsWith(".hea") ? record : record.resolveSibling(record.getFileName() + ".hea");
        WfdbHeader header = WfdbHeader.read(hea);
        String source = "record " + hea;
        if (header.segments() > 1) {
            throw new ModelFormatException(source, "multi-segment record (" + header.segments()
                    + " segments): kmerl reads single-segment records; read the segments named in the header one by one");
        }
        Path dir = hea.toAbsolutePath().getParent();
        List<SignalSpec> specs = header.signals();
        int[][] digital = new int[specs.size()][];
        int[] invalid = new int[specs.size()];
        Map<String, List<Integer>> byFile = new LinkedHashMap<>();
        for (int s = 0; s < specs.size(); s++) {
            byFile.computeIfAbsent(specs.get(s).fileName(), k -> new ArrayList<>()).add(s);
        }
        long numSamples = header.numSamples();
        List<FileLayout> layouts = new ArrayList<>();
        for (Map.Entry<String, List<Integer>> e : byFile.entrySet()) {
            layouts.add(FileLayout.of(source, dir.resolve(e.getKey()), e.getValue(), specs));
        }
        if (numSamples < 0) {
            numSamples = layouts.stream().mapToLong(FileLayout::frames).min().orElse(0);
        }
        for (FileLayout layout : layouts) {
            layout.read(source, numSamples, specs, digital, invalid);
        }
        return new WfdbRecord(header, digital, invalid);
    }

    /** The signals stored in one file, and where each sits in a frame. */
    private record FileLayout(Path file, List<Integer> signals, SignalFormat format, int frameSize, long offset,
                              byte[] data) {

        static FileLayout of(String source, Path file, List<Integer> signals, List<SignalSpec> specs) throws IOException {
            SignalSpec first = specs.get(signals.get(0));
            if (first.fileName().equals("~")) {
                throw new ModelFormatException(source, "signal " + signals.get(0) + " has no data file ('~'): this is "
                        + "the layout header of a multi-segment record, which kmerl does not read");
            }
            SignalFormat format = SignalFormat.of(first.formatCode());
            if (format == null) {
                String why = first.formatCode() >= 500 && first.formatCode() < 600
                        ? " (FLAC-compressed; decompress with WFDB's xform or wfdb-python first)" : "";
                throw new ModelFormatException(source, "signal format " + first.formatCode() + " of " + file.getFileName()
                        + " is not supported" + why);
            }
            int frameSize = 0;
            for (int s : signals) {
                if (specs.get(s).formatCode() != first.formatCode()) {
                    throw new ModelFormatException(source, "signals of " + file.getFileName() + " mix formats "
                            + first.formatCode() + " and " + specs.get(s).formatCode());
                }
                frameSize += specs.get(s).samplesPerFrame();
            }
            byte[] data;
            try {
                data = Files.readAllBytes(file);
            } catch (NoSuchFileException e) {
                throw new ModelFormatException(source, "data file " + file.getFileName() + " is missing (expected at "
                        + file + ")", e);
            }
            if (first.byteOffset() > data.length) {
                throw new ModelFormatException(source, file.getFileName() + " is " + data.length
                        + " bytes, shorter than its byte offset " + first.byteOffset());
            }
            return new FileLayout(file, signals, format, frameSize, first.byteOffset(), data);
        }

        /** Whole frames the file holds. */
        long frames() {
            return format.samplesIn(data.length - offset) / frameSize;
        }

        void read(String source, long numSamples, List<SignalSpec> specs, int[][] digital, int[] invalid)
                throws ModelFormatException {
            long available = frames();
            if (available < numSamples) {
                throw new ModelFormatException(source, file.getFileName() + " holds " + available
                        + " frames but the header announces " + numSamples + " samples (truncated file?)");
            }
            int maxSkew = signals.stream().mapToInt(s -> specs.get(s).skew()).max().orElse(0);
            long frames = Math.min(available, numSamples + maxSkew);
            if (frames * frameSize > Integer.MAX_VALUE - 8) {
                throw new ModelFormatException(source, file.getFileName() + " is too long to read at once ("
                        + frames + " frames)");
            }
            int[] stream = new int[(int) (frames * frameSize)];
            int[] signalOf = new int[frameSize];
            int[] initial = new int[specs.size()];
            int pos = 0;
            for (int s : signals) {
                SignalSpec spec = specs.get(s);
                Arrays.fill(signalOf, pos, pos + spec.samplesPerFrame(), s);
                initial[s] = spec.initialValue() == null ? 0 : spec.initialValue();
                pos += spec.samplesPerFrame();
            }
            format.decode(data, (int) offset, stream.length, stream, signalOf, initial);

            pos = 0;
            for (int s : signals) {
                SignalSpec spec = specs.get(s);
                int spf = spec.samplesPerFrame();
                int n = (int) numSamples * spf;
                int[] out = new int[n];
                int checksum = 0;
                for (int t = 0; t < numSamples; t++) {
                    long raw = (long) t * frameSize + pos;
                    long skewed = (long) (t + spec.skew()) * frameSize + pos;
                    for (int j = 0; j < spf; j++) {
                        checksum += stream[(int) raw + j];
                        out[t * spf + j] = t + spec.skew() < frames ? stream[(int) skewed + j] : format.invalid();
                    }
                }
                if (spec.checksum() != null && (short) checksum != (short) (int) spec.checksum()) {
                    throw new ModelFormatException(source, "checksum of signal " + s + " (" + spec.name(s) + ") in "
                            + file.getFileName() + " is " + (short) checksum + " but the header says " + spec.checksum()
                            + " (corrupt or mismatched data file)");
                }
                digital[s] = out;
                invalid[s] = format.invalid();
                pos += spf;
            }
        }
    }
}
