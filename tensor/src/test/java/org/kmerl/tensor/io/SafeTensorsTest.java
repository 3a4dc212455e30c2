package org.kmerl.tensor.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kmerl.tensor.DType;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.testing.TestData;

/**
 * Reading and writing safetensors, checked against files written by the Python safetensors library
 * (see src/test/python/safetensors_interop.py) and against damaged files.
 */
class SafeTensorsTest {
    @TempDir
    Path dir;

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = SafeTensorsTest.class.getResourceAsStream("/safetensors/" + name)) {
            return in.readAllBytes();
        }
    }

    /** The tensors of python-library.safetensors, built here. */
    private static Map<String, Tensor> libraryContent() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("weight", Tensor.of(new float[] {-1f, -0.5f, 0f, 0.5f, 1f, 1.5f}, 2, 3));
        m.put("labels", Tensor.ofInts(new int[] {3, -1, 0, 7}));
        m.put("scalar", Tensor.scalar(2.5f));
        m.put("empty", Tensor.zeros(0, 4));
        m.put("layers.0.bias", Tensor.of(new float[] {1e-3f, -7.25f}));
        return m;
    }

    @Test
    void writesTheSameBytesAsThePythonLibrary() throws IOException {
        Path ours = dir.resolve("ours.safetensors");
        SafeTensors.write(ours, libraryContent(), Map.of("producer", "safetensors-python"));
        assertArrayEquals(resource("python-library.safetensors"), Files.readAllBytes(ours));
    }

    @Test
    void readsWhatThePythonLibraryWrote() throws IOException {
        Path file = dir.resolve("lib.safetensors");
        Files.write(file, resource("python-library.safetensors"));
        try (SafeTensors.Content c = SafeTensors.read(file)) {
            assertEquals(Map.of("producer", "safetensors-python"), c.metadata());
            Map<String, Tensor> expected = libraryContent();
            assertEquals(expected.keySet(), c.tensors().keySet());
            for (Map.Entry<String, Tensor> e : expected.entrySet()) {
                Tensor got = c.get(file, e.getKey());
                assertArrayEquals(e.getValue().shape(), got.shape(), e.getKey());
                assertEquals(e.getValue().dtype(), got.dtype(), e.getKey());
                assertArrayEquals(e.getValue().toFloatArray(), got.toFloatArray(), e.getKey());
            }
        }
    }

    @Test
    void convertsOtherDtypesOnRead() throws IOException {
        Path file = dir.resolve("mixed.safetensors");
        Files.write(file, resource("python-library-mixed.safetensors"));
        try (SafeTensors.Content c = SafeTensors.read(file)) {
            assertArrayEquals(new float[] {0.5f, -2f, 65504f, 6.103515625e-05f, 5.960464477539063e-08f},
                    c.get(file, "half").toFloatArray());
            assertArrayEquals(new float[] {1f, -2f}, c.get(file, "brain").toFloatArray());
            assertArrayEquals(new float[] {(float) Math.PI, -1e-3f}, c.get(file, "double").toFloatArray());
            assertArrayEquals(new int[] {-5, 0, Integer.MAX_VALUE}, c.get(file, "long").toIntArray());
            assertArrayEquals(new int[] {-300, 300}, c.get(file, "short").toIntArray());
            assertArrayEquals(new int[] {-128, 127}, c.get(file, "byte").toIntArray());
            assertArrayEquals(new int[] {0, 255}, c.get(file, "ubyte").toIntArray());
            assertArrayEquals(new int[] {1, 0, 1}, c.get(file, "flags").toIntArray());
            assertEquals(DType.INT32, c.get(file, "flags").dtype());
        }
    }

    @Test
    void roundTripsNonContiguousTensors() throws IOException {
        Tensor x = TestData.permuted(new TestData(1).normal(3, 4, 5));
        Path file = dir.resolve("sub/dir/x.safetensors");
        SafeTensors.write(file, Map.of("x", x), Map.of());
        try (SafeTensors.Content c = SafeTensors.read(file)) {
            assertArrayEquals(x.toFloatArray(), c.get(file, "x").toFloatArray());
            assertTrue(c.metadata().isEmpty());
        }
        try (var files = Files.list(file.getParent())) {
            assertEquals(1, files.count(), "no temporary file is left behind");
        }
    }

    /** Written for the interop script, which reads it with the Python library. */
    @Test
    void writesAFileForThePythonLibraryToRead() throws IOException {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("a", Tensor.of(new float[] {1f, -2f, 3.5f, 0f}, 2, 2));
        m.put("ids", Tensor.ofInts(new int[] {7, -8, 9}));
        m.put("zero_d", Tensor.scalar(42f));
        Path target = Paths.get("target", "java-written.safetensors");
        SafeTensors.write(target, m, Map.of("producer", "kmerl"));
        try (SafeTensors.Content c = SafeTensors.read(target)) {
            assertEquals(m.keySet(), new java.util.HashSet<>(c.tensors().keySet()));
        }
    }

    // -------------------------------------------------------------------------------------------
    // Damaged files: each error names the file and says what is wrong.

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    private static byte[] withHeader(String json, int dataBytes) {
        byte[] h = json.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        return b.array();
    }

    private void assertRejected(Path file, String expectedFragment) {
        SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> SafeTensors.read(file));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(expectedFragment), e.getMessage());
    }

    @Test
    void truncatedFilesAreRejected() throws IOException {
        byte[] good = resource("python-library.safetensors");
        assertRejected(write("cut.safetensors", java.util.Arrays.copyOf(good, good.length - 3)), "truncated");
        assertRejected(write("tiny.safetensors", new byte[] {1, 2, 3}), "too short");
        assertRejected(write("header.safetensors", java.util.Arrays.copyOf(good, 40)), "impossible");
    }

    @Test
    void corruptHeadersAreRejected() throws IOException {
        assertRejected(write("json.safetensors", withHeader("{\"a\": [", 0)), "not valid JSON");
        assertRejected(write("dtype.safetensors",
                withHeader("{\"a\":{\"dtype\":\"C64\",\"shape\":[1],\"data_offsets\":[0,8]}}", 8)), "unsupported dtype C64");
        assertRejected(write("size.safetensors",
                withHeader("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8)), "needs 12 bytes");
        assertRejected(write("overlap.safetensors", withHeader("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8)), "gap or overlap");
        assertRejected(write("trailing.safetensors",
                withHeader("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 8)), "trailing");
        assertRejected(dir.resolve("missing.safetensors"), "no such file");
    }

    @Test
    void int64ValuesThatDoNotFitAreRejected() throws IOException {
        byte[] bytes = withHeader("{\"big\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}}", 8);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(bytes.length - 8, 1L << 40);
        assertRejected(write("big.safetensors", bytes), "does not fit in int32");
    }

    @Test
    void halfPrecisionConversionCoversEveryClass() {
        assertEquals(0f, Float.intBitsToFloat(SafeTensors.halfToFloatBits((short) 0x0000)));
        assertEquals(-0f, Float.intBitsToFloat(SafeTensors.halfToFloatBits((short) 0x8000)));
        assertEquals(1f, Float.intBitsToFloat(SafeTensors.halfToFloatBits((short) 0x3C00)));
        assertEquals(Float.POSITIVE_INFINITY, Float.intBitsToFloat(SafeTensors.halfToFloatBits((short) 0x7C00)));
        assertTrue(Float.isNaN(Float.intBitsToFloat(SafeTensors.halfToFloatBits((short) 0x7E00))));
        assertEquals(0x1p-24f, Float.intBitsToFloat(SafeTensors.halfToFloatBits((short) 0x0001)));
        assertEquals(0x1.ff8p-15f, Float.intBitsToFloat(SafeTensors.halfToFloatBits((short) 0x03FF)));
    }
}
