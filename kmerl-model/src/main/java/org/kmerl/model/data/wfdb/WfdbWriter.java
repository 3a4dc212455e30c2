package org.kmerl.model.data.wfdb;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.kmerl.model.data.EcgRecord;
import org.kmerl.model.data.Lead;

/**
 * Writes an {@link EcgRecord} as a WFDB record: {@code name.hea} and {@code name.dat} in format 16
 * (interleaved 16-bit samples), with gain, baseline 0, initial values and checksums so that any WFDB
 * reader (ours, wfdb-python, PhysioToolkit) reads it back and can verify it. NaN samples are written as
 * WFDB's invalid value (-32768). Both files are written to temporary names and moved into place.
 */
public final class WfdbWriter {
    private WfdbWriter() {
    }

    /** Writes {@code dir/name.hea} and {@code dir/name.dat} with {@code gain} ADC units per mV. */
    public static Path write(EcgRecord record, Path dir, String name, double gain, List<String> comments)
            throws IOException {
        Files.createDirectories(dir);
        int leads = record.signals().length;
        int n = record.numSamples();
        short[][] digital = new short[leads][n];
        for (int l = 0; l < leads; l++) {
            float[] x = record.signals()[l];
            for (int i = 0; i < n; i++) {
                if (!Float.isFinite(x[i])) {
                    digital[l][i] = Short.MIN_VALUE;
                    continue;
                }
                long v = Math.round(x[i] * gain);
                if (v <= Short.MIN_VALUE || v > Short.MAX_VALUE) {
                    throw new IllegalArgumentException(record.id() + " lead " + record.leads().get(l).label() + " sample "
                            + i + " (" + x[i] + " mV) does not fit 16 bits at gain " + gain + "/mV");
                }
                digital[l][i] = (short) v;
            }
        }
        ByteBuffer data = ByteBuffer.allocate(2 * leads * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            for (int l = 0; l < leads; l++) {
                data.putShort(digital[l][i]);
            }
        }
        StringBuilder hea = new StringBuilder();
        hea.append(name).append(' ').append(leads).append(' ').append(formatRate(record.samplingRate())).append(' ')
                .append(n).append('\n');
        for (int l = 0; l < leads; l++) {
            int checksum = 0;
            for (short v : digital[l]) {
                checksum += v;
            }
            Lead lead = record.leads().get(l);
            hea.append(name).append(".dat 16 ").append(formatRate(gain)).append("/mV 16 0 ")
                    .append(n == 0 ? 0 : digital[l][0]).append(' ').append((short) checksum).append(" 0 ")
                    .append(lead.label()).append('\n');
        }
        for (String c : comments) {
            hea.append("# ").append(c.replace('\n', ' ')).append('\n');
        }
        Path dat = dir.resolve(name + ".dat");
        Path header = dir.resolve(name + ".hea");
        atomicWrite(dat, data.array());
        atomicWrite(header, hea.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        return header;
    }

    private static String formatRate(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    private static void atomicWrite(Path target, byte[] bytes) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
