package org.kmerl.tensor.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {
    @Test
    void writesNumpysVersionOneLayout(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("x.npy");
        Npy.write(f, new float[][] {{1f, -2.5f, 3f}, {4f, 5f, Float.NaN}}, 3);
        byte[] b = Files.readAllBytes(f);
        assertEquals((byte) 0x93, b[0]);
        assertEquals("NUMPY", new String(b, 1, 5, StandardCharsets.US_ASCII));
        assertEquals(1, b[6]);
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int headerLen = buf.getShort(8) & 0xffff;
        assertEquals(0, (10 + headerLen) % 64, "data starts 64-byte aligned");
        String header = new String(b, 10, headerLen, StandardCharsets.US_ASCII);
        assertTrue(header.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"), header);
        assertTrue(header.endsWith("\n"));
        assertEquals(10 + headerLen + 6 * 4, b.length);
        assertEquals(-2.5f, buf.getFloat(10 + headerLen + 4));
        assertTrue(Float.isNaN(buf.getFloat(10 + headerLen + 20)));
        assertThrows(IllegalArgumentException.class, () -> Npy.write(f, new float[][] {{1f}, {1f, 2f}}, 1));
    }
}
