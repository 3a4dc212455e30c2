package org.kmerl.tensor.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kmerl.tensor.DType;
import org.kmerl.tensor.Shape;
import org.kmerl.tensor.Tensor;

/**
 * The safetensors format (https://github.com/huggingface/safetensors): an 8-byte little-endian header
 * length, a JSON header mapping each name to {dtype, shape, data_offsets} plus an optional
 * {@code __metadata__} map of strings, then the raw little-endian data.
 *
 * <p>Writing follows the Python library byte for byte (tensors ordered by dtype, widest first, then
 * by name; compact JSON; the header padded with spaces to a multiple of 8), so files written here
 * and there are interchangeable. Reading accepts F32, F16, BF16 and F64 (converted to float32) and
 * I64, I32, I16, I8, U8 and BOOL (converted to int32), and rejects anything truncated, overlapping
 * or inconsistent with a message that names the file and the tensor.
 */
public final class SafeTensors {
    /** Headers larger than this are rejected as corrupt before being read (the Python library's limit). */
    static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;
    private static final String METADATA_KEY = "__metadata__";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Tensors in file order and the string metadata. */
    public record Content(Map<String, Tensor> tensors, Map<String, String> metadata) implements AutoCloseable {
        public Tensor get(Path file, String name) throws SafeTensorsException {
            Tensor t = tensors.get(name);
            if (t == null) {
                throw new SafeTensorsException(file, "no tensor named '" + name + "' (has " + tensors.keySet() + ")");
            }
            return t;
        }

        @Override
        public void close() {
            tensors.values().forEach(Tensor::close);
        }
    }

    private SafeTensors() {
    }

    // ---------------------------------------------------------------------------------------------
    // Writing

    /** Writes atomically (temporary file + rename); {@code metadata} may be empty. */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        List<String> order = writeOrder(tensors);
        byte[] header = header(order, tensors, metadata);
        AtomicFiles.write(file, out -> {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length);
            out.write(len.array());
            out.write(header);
            for (String name : order) {
                writeData(out, tensors.get(name));
            }
        });
    }

    /** The Python library's order: dtype descending in its enum (F32 before I32), then name by bytes. */
    private static List<String> writeOrder(Map<String, Tensor> tensors) {
        List<String> names = new ArrayList<>(tensors.keySet());
        for (String name : names) {
            if (name.equals(METADATA_KEY)) {
                throw new IllegalArgumentException("'" + METADATA_KEY + "' is reserved and cannot name a tensor");
            }
        }
        Comparator<String> byDtype = Comparator.comparingInt(n -> tensors.get(n).dtype() == DType.FLOAT32 ? 0 : 1);
        Comparator<String> byBytes = (x, y) -> Arrays.compareUnsigned(
                x.getBytes(StandardCharsets.UTF_8), y.getBytes(StandardCharsets.UTF_8));
        names.sort(byDtype.thenComparing(byBytes));
        return names;
    }

    private static byte[] header(List<String> order, Map<String, Tensor> tensors, Map<String, String> metadata)
            throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (JsonGenerator g = new JsonFactory().createGenerator(buf)) {
            g.writeStartObject();
            if (!metadata.isEmpty()) {
                g.writeObjectFieldStart(METADATA_KEY);
                for (Map.Entry<String, String> e : metadata.entrySet()) {
                    g.writeStringField(e.getKey(), e.getValue());
                }
                g.writeEndObject();
            }
            long offset = 0;
            for (String name : order) {
                Tensor t = tensors.get(name);
                long bytes = (long) t.numel() * t.dtype().byteSize();
                g.writeObjectFieldStart(name);
                g.writeStringField("dtype", t.dtype().safetensorsName());
                g.writeArrayFieldStart("shape");
                for (int d : t.shape()) {
                    g.writeNumber(d);
                }
                g.writeEndArray();
                g.writeArrayFieldStart("data_offsets");
                g.writeNumber(offset);
                g.writeNumber(offset + bytes);
                g.writeEndArray();
                g.writeEndObject();
                offset += bytes;
            }
            g.writeEndObject();
        }
        int pad = (8 - buf.size() % 8) % 8;
        for (int i = 0; i < pad; i++) {
            buf.write(' ');
        }
        return buf.toByteArray();
    }

    private static void writeData(OutputStream out, Tensor t) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        if (t.dtype() == DType.FLOAT32) {
            for (float v : t.toFloatArray()) {
                if (!chunk.hasRemaining()) {
                    flush(out, chunk);
                }
                chunk.putFloat(v);
            }
        } else {
            for (int v : t.toIntArray()) {
                if (!chunk.hasRemaining()) {
                    flush(out, chunk);
                }
                chunk.putInt(v);
            }
        }
        flush(out, chunk);
    }

    private static void flush(OutputStream out, ByteBuffer chunk) throws IOException {
        out.write(chunk.array(), 0, chunk.position());
        chunk.clear();
    }

    // ---------------------------------------------------------------------------------------------
    // Reading

    /** Reads every tensor onto the CPU. */
    public static Content read(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < 8) {
                throw new SafeTensorsException(file, "file is " + size + " bytes, too short for a safetensors header");
            }
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, lenBuf, 0, file);
            long headerLen = lenBuf.flip().getLong();
            if (headerLen < 2 || headerLen > MAX_HEADER_BYTES || headerLen > size - 8) {
                throw new SafeTensorsException(file, "header length " + headerLen + " is impossible for a file of "
                        + size + " bytes (truncated or not a safetensors file)");
            }
            ByteBuffer headerBuf = ByteBuffer.allocate((int) headerLen);
            readFully(channel, headerBuf, 8, file);
            JsonNode header;
            try {
                header = JSON.readTree(headerBuf.array());
            } catch (com.fasterxml.jackson.core.JacksonException e) {
                throw new SafeTensorsException(file, "header is not valid JSON: " + e.getOriginalMessage(), e);
            }
            if (header == null || !header.isObject()) {
                throw new SafeTensorsException(file, "header is not a JSON object");
            }
            long dataStart = 8 + headerLen;
            long dataLen = size - dataStart;
            Map<String, String> metadata = readMetadata(file, header.get(METADATA_KEY));
            List<Entry> entries = readEntries(file, header, dataLen);
            ByteBuffer data = dataLen == 0 ? ByteBuffer.allocate(0)
                    : channel.map(FileChannel.MapMode.READ_ONLY, dataStart, dataLen);
            data.order(ByteOrder.LITTLE_ENDIAN);
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (Entry e : entries) {
                tensors.put(e.name, e.decode(data));
            }
            return new Content(Collections.unmodifiableMap(tensors), metadata);
        } catch (NoSuchFileException e) {
            throw new SafeTensorsException(file, "no such file", e);
        }
    }

    private static void readFully(FileChannel channel, ByteBuffer buf, long position, Path file) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            int n = channel.read(buf, pos);
            if (n < 0) {
                throw new SafeTensorsException(file, "unexpected end of file at byte " + pos);
            }
            pos += n;
        }
    }

    private static Map<String, String> readMetadata(Path file, JsonNode node) throws SafeTensorsException {
        Map<String, String> metadata = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return Collections.unmodifiableMap(metadata);
        }
        if (!node.isObject()) {
            throw new SafeTensorsException(file, METADATA_KEY + " must be an object of strings");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw new SafeTensorsException(file, METADATA_KEY + "." + e.getKey() + " must be a string");
            }
            metadata.put(e.getKey(), e.getValue().asText());
        }
        return Collections.unmodifiableMap(metadata);
    }

    private static List<Entry> readEntries(Path file, JsonNode header, long dataLen) throws SafeTensorsException {
        List<Entry> entries = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!field.getKey().equals(METADATA_KEY)) {
                entries.add(Entry.parse(file, field.getKey(), field.getValue()));
            }
        }
        // The data section must be covered exactly, without gaps or overlaps.
        List<Entry> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong((Entry e) -> e.begin).thenComparingLong(e -> e.end));
        long expected = 0;
        for (Entry e : byOffset) {
            if (e.begin != expected) {
                throw new SafeTensorsException(file, "tensor '" + e.name + "' starts at data byte " + e.begin
                        + " but the previous tensor ends at " + expected + " (gap or overlap: corrupt header)");
            }
            expected = e.end;
        }
        if (expected != dataLen) {
            throw new SafeTensorsException(file, "tensors cover " + expected + " data bytes but the file holds "
                    + dataLen + (expected > dataLen ? " (truncated)" : " (trailing bytes)"));
        }
        return entries;
    }

    /** One header entry: name, stored dtype, shape and byte range within the data section. */
    private static final class Entry {
        final Path file;
        final String name;
        final StoredType type;
        final int[] shape;
        final long begin;
        final long end;

        private Entry(Path file, String name, StoredType type, int[] shape, long begin, long end) {
            this.file = file;
            this.name = name;
            this.type = type;
            this.shape = shape;
            this.begin = begin;
            this.end = end;
        }

        static Entry parse(Path file, String name, JsonNode node) throws SafeTensorsException {
            String where = "tensor '" + name + "': ";
            if (!node.isObject()) {
                throw new SafeTensorsException(file, where + "header entry is not an object");
            }
            JsonNode dtype = node.get("dtype");
            JsonNode shapeNode = node.get("shape");
            JsonNode offsets = node.get("data_offsets");
            if (dtype == null || !dtype.isTextual()) {
                throw new SafeTensorsException(file, where + "missing dtype");
            }
            StoredType type = StoredType.parse(dtype.asText());
            if (type == null) {
                throw new SafeTensorsException(file, where + "unsupported dtype " + dtype.asText()
                        + " (kmerl reads F32, F16, BF16, F64, I64, I32, I16, I8, U8, BOOL)");
            }
            if (shapeNode == null || !shapeNode.isArray()) {
                throw new SafeTensorsException(file, where + "missing shape");
            }
            int[] shape = new int[shapeNode.size()];
            long numel = 1;
            for (int i = 0; i < shape.length; i++) {
                JsonNode d = shapeNode.get(i);
                if (!d.canConvertToInt() || d.asInt() < 0) {
                    throw new SafeTensorsException(file, where + "bad dimension " + d + " in shape " + shapeNode);
                }
                shape[i] = d.asInt();
                numel *= shape[i];
            }
            if (offsets == null || !offsets.isArray() || offsets.size() != 2
                    || !offsets.get(0).canConvertToLong() || !offsets.get(1).canConvertToLong()) {
                throw new SafeTensorsException(file, where + "data_offsets must be [begin, end]");
            }
            long begin = offsets.get(0).asLong();
            long end = offsets.get(1).asLong();
            if (begin < 0 || end < begin) {
                throw new SafeTensorsException(file, where + "bad data_offsets " + offsets);
            }
            if (end - begin != numel * type.bytes) {
                throw new SafeTensorsException(file, where + "shape " + Shape.format(shape) + " of " + type
                        + " needs " + numel * type.bytes + " bytes but data_offsets " + offsets + " span "
                        + (end - begin));
            }
            if (numel > Integer.MAX_VALUE) {
                throw new SafeTensorsException(file, where + "too many elements (" + numel + ")");
            }
            return new Entry(file, name, type, shape, begin, end);
        }

        Tensor decode(ByteBuffer data) throws SafeTensorsException {
            ByteBuffer b = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
            b.position((int) begin);
            int n = (int) ((end - begin) / type.bytes);
            if (type.floating) {
                float[] out = new float[n];
                for (int i = 0; i < n; i++) {
                    out[i] = switch (type) {
                        case F32 -> b.getFloat();
                        case F64 -> (float) b.getDouble();
                        case F16 -> Float.intBitsToFloat(halfToFloatBits(b.getShort()));
                        case BF16 -> Float.intBitsToFloat((b.getShort() & 0xFFFF) << 16);
                        default -> throw new IllegalStateException();
                    };
                }
                return shape.length == 0 ? Tensor.scalar(out[0]) : Tensor.of(out, shape);
            }
            int[] out = new int[n];
            for (int i = 0; i < n; i++) {
                long v = switch (type) {
                    case I64 -> b.getLong();
                    case I32 -> b.getInt();
                    case I16 -> b.getShort();
                    case I8 -> b.get();
                    case U8, BOOL -> b.get() & 0xFF;
                    default -> throw new IllegalStateException();
                };
                if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                    throw new SafeTensorsException(file, "tensor '" + name + "': value " + v
                            + " does not fit in int32");
                }
                out[i] = (int) v;
            }
            return shape.length == 0 ? Tensor.ofInts(out).reshape() : Tensor.ofInts(out, shape);
        }
    }

    /** Element types a file may hold, with their size in bytes. */
    private enum StoredType {
        F64(8, true), F32(4, true), F16(2, true), BF16(2, true),
        I64(8, false), I32(4, false), I16(2, false), I8(1, false), U8(1, false), BOOL(1, false);

        final int bytes;
        final boolean floating;

        StoredType(int bytes, boolean floating) {
            this.bytes = bytes;
            this.floating = floating;
        }

        static StoredType parse(String name) {
            for (StoredType t : values()) {
                if (t.name().equals(name)) {
                    return t;
                }
            }
            return null;
        }
    }

    /** IEEE 754 half precision to single precision bits, subnormals and infinities included. */
    static int halfToFloatBits(short half) {
        int h = half & 0xFFFF;
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1F;
        int mant = h & 0x3FF;
        if (exp == 0x1F) {
            return sign | 0x7F800000 | (mant << 13);
        }
        if (exp == 0) {
            if (mant == 0) {
                return sign;
            }
            // Subnormal: normalise the mantissa.
            int e = -1;
            do {
                mant <<= 1;
                e++;
            } while ((mant & 0x400) == 0);
            return sign | ((127 - 15 - e) << 23) | ((mant & 0x3FF) << 13);
        }
        return sign | ((exp - 15 + 127) << 23) | (mant << 13);
    }
}
