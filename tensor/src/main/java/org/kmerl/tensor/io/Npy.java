package org.kmerl.tensor.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * NumPy's {@code .npy} format (version 1.0) for a float32 matrix, so {@code numpy.load} reads what kmerl
 * writes: the magic string, a header dict padded with spaces to a multiple of 64 bytes, then the
 * values in C order, little-endian. Written atomically.
 */
public final class Npy {
    private Npy() {
    }

    /** {@code rows} as a [rows.length, columns] float32 array (every row {@code columns} long). */
    public static void write(Path file, float[][] rows, int columns) throws IOException {
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + rows.length + ", " + columns + "), }";
        int unpadded = 10 + dict.length() + 1;
        int header = (unpadded + 63) / 64 * 64;
        StringBuilder h = new StringBuilder(dict);
        while (10 + h.length() + 1 < header) {
            h.append(' ');
        }
        h.append('\n');
        byte[] text = h.toString().getBytes(StandardCharsets.US_ASCII);
        ByteBuffer head = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN);
        head.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0)
                .putShort((short) text.length);
        ByteBuffer body = ByteBuffer.allocate(rows.length * columns * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float[] row : rows) {
            if (row.length != columns) {
                throw new IllegalArgumentException(file + ": a row has " + row.length + " values, not " + columns);
            }
            for (float v : row) {
                body.putFloat(v);
            }
        }
        AtomicFiles.write(file, out -> {
            out.write(head.array());
            out.write(text);
            out.write(body.array());
        });
    }
}
