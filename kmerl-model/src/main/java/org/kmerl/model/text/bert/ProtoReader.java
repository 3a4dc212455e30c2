package org.kmerl.model.text.bert;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.kmerl.model.ModelFormatException;

/**
 * A reader of the protobuf wire format (https://protobuf.dev/programming-guides/encoding/): a
 * message is a sequence of (tag, value) pairs, the tag being {@code field << 3 | wireType}; values are
 * varints (type 0), 8-byte (1) or 4-byte (5) little-endian words, or length-prefixed bytes (2) that
 * hold strings, sub-messages and packed repeated numbers. Enough to walk an ONNX model without
 * generated classes.
 */
final class ProtoReader {
    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH_DELIMITED = 2;
    static final int FIXED32 = 5;

    private final ByteBuffer buf;
    private final String source;
    private int tag;

    /** Reads {@code buf} from its position to its limit. */
    ProtoReader(ByteBuffer buf, String source) {
        this.buf = buf.slice().order(ByteOrder.LITTLE_ENDIAN);
        this.source = source;
    }

    /** Advances to the next field; false at the end of the message. */
    boolean next() throws ModelFormatException {
        if (!buf.hasRemaining()) {
            return false;
        }
        long t = varint();
        if (t >>> 3 == 0 || t > Integer.MAX_VALUE) {
            throw corrupt("invalid field tag " + t);
        }
        tag = (int) t;
        return true;
    }

    boolean hasRemaining() {
        return buf.hasRemaining();
    }

    int field() {
        return tag >>> 3;
    }

    int wireType() {
        return tag & 7;
    }

    long varint() throws ModelFormatException {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (!buf.hasRemaining()) {
                throw corrupt("truncated varint");
            }
            byte b = buf.get();
            result |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return result;
            }
        }
        throw corrupt("varint longer than 10 bytes");
    }

    /** The bytes of a length-delimited field as a little-endian view (no copy). */
    ByteBuffer bytes() throws ModelFormatException {
        long len = varint();
        if (len < 0 || len > buf.remaining()) {
            throw corrupt("field " + field() + " claims " + len + " bytes but " + buf.remaining() + " remain");
        }
        ByteBuffer out = buf.slice().limit((int) len).order(ByteOrder.LITTLE_ENDIAN);
        buf.position(buf.position() + (int) len);
        return out;
    }

    String string() throws ModelFormatException {
        ByteBuffer b = bytes();
        byte[] a = new byte[b.remaining()];
        b.get(a);
        return new String(a, StandardCharsets.UTF_8);
    }

    ProtoReader message() throws ModelFormatException {
        return new ProtoReader(bytes(), source);
    }

    int fixed32() throws ModelFormatException {
        need(4);
        return buf.getInt();
    }

    /** Skips the value of the current field. */
    void skip() throws ModelFormatException {
        switch (wireType()) {
            case VARINT -> varint();
            case FIXED64 -> {
                need(8);
                buf.position(buf.position() + 8);
            }
            case LENGTH_DELIMITED -> bytes();
            case FIXED32 -> {
                need(4);
                buf.position(buf.position() + 4);
            }
            default -> throw corrupt("unsupported wire type " + wireType() + " (field " + field() + ")");
        }
    }

    private void need(int n) throws ModelFormatException {
        if (buf.remaining() < n) {
            throw corrupt("truncated field " + field());
        }
    }

    ModelFormatException corrupt(String what) {
        return new ModelFormatException(source, "corrupt protobuf: " + what);
    }
}
