package org.kmerl.model.data.challenge;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.kmerl.model.ModelFormatException;

/**
 * The first matrix of a MATLAB version 4 file (the format of the PhysioNet/CinC Challenge 2020/2021
 * `.mat` files): a 20-byte header (type MOPT, rows, columns, imaginary flag, name length), the name,
 * then the real part column by column. Only full numeric matrices are accepted.
 */
public record MatV4(String name, int rows, int columns, int precision, boolean bigEndian, long dataOffset) {
    /** P digit of MOPT: 0 double, 1 float, 2 int32, 3 int16, 4 uint16, 5 uint8. */
    private static final int[] BYTES = {8, 4, 4, 2, 2, 1};

    public static MatV4 readHeader(Path file) throws IOException {
        byte[] head;
        try (var in = Files.newInputStream(file)) {
            head = in.readNBytes(20 + 64);
        }
        String source = file.toString();
        if (head.length < 20) {
            throw new ModelFormatException(source, "only " + head.length + " bytes: too short for a MATLAB v4 header");
        }
        ByteBuffer le = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
        int type = le.getInt(0);
        boolean big = false;
        if (type < 0 || type > 9999) {   // a big-endian file reads as a huge number in little-endian order
            type = ByteBuffer.wrap(head).order(ByteOrder.BIG_ENDIAN).getInt(0);
            big = true;
        }
        ByteBuffer b = ByteBuffer.wrap(head).order(big ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        int m = type / 1000;
        int o = type / 100 % 10;
        int p = type / 10 % 10;
        int t = type % 10;
        if (m > 1 || o != 0 || p > 5 || t != 0) {
            throw new ModelFormatException(source, "MATLAB v4 type " + type + " is not a full numeric matrix"
                    + " (sparse, text or a newer MATLAB format?)");
        }
        int rows = b.getInt(4);
        int cols = b.getInt(8);
        int imag = b.getInt(12);
        int nameLength = b.getInt(16);
        if (imag != 0) {
            throw new ModelFormatException(source, "the matrix is complex; ECG samples are real");
        }
        if (rows < 0 || cols < 0 || nameLength < 1 || nameLength > 64 || head.length < 20 + nameLength) {
            throw new ModelFormatException(source, "corrupt MATLAB v4 header (rows " + rows + ", columns " + cols
                    + ", name length " + nameLength + ")");
        }
        String name = new String(head, 20, nameLength - 1, java.nio.charset.StandardCharsets.US_ASCII);
        long offset = 20L + nameLength;
        long expected = offset + (long) rows * cols * BYTES[p];
        long size = Files.size(file);
        if (size < expected) {
            throw new ModelFormatException(source, "truncated: a " + rows + " x " + cols + " matrix needs " + expected
                    + " bytes, the file has " + size);
        }
        return new MatV4(name, rows, cols, p, big, offset);
    }

    /** The matrix as doubles, {@code [row][column]}. */
    public static double[][] read(Path file) throws IOException {
        MatV4 h = readHeader(file);
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(h.bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        b.position((int) h.dataOffset);
        double[][] out = new double[h.rows][h.columns];
        for (int c = 0; c < h.columns; c++) {   // column-major
            for (int r = 0; r < h.rows; r++) {
                out[r][c] = switch (h.precision) {
                    case 0 -> b.getDouble();
                    case 1 -> b.getFloat();
                    case 2 -> b.getInt();
                    case 3 -> b.getShort();
                    case 4 -> b.getShort() & 0xFFFF;
                    default -> b.get() & 0xFF;
                };
            }
        }
        return out;
    }

    /** The precision as a name, for messages. */
    public String precisionName() {
        return new String[] {"double", "float", "int32", "int16", "uint16", "uint8"}[precision];
    }
}
