package org.kmerl.model.data.wfdb;

import java.util.Arrays;

/**
 * The WFDB sample storage formats kmerl reads (https://wfdb.io/spec/signal-files.html). Each decodes
 * a file's byte stream into its samples in file order (all signals of the file interleaved).
 *
 * <pre>
 *   8    8-bit first differences              80   8-bit offset binary (value + 128)
 *   16   16-bit two's complement, little end. 160  16-bit offset binary (value + 32768)
 *   61   16-bit two's complement, big endian  212  two 12-bit samples in 3 bytes
 *   24   24-bit two's complement, little end. 310  three 10-bit samples in two 16-bit words
 *   32   32-bit two's complement, little end. 311  three 10-bit samples in one 32-bit word
 * </pre>
 * Each format reserves its most negative value for "no sample" ({@link #invalid()}).
 */
public enum SignalFormat {
    FMT_8(8, 8), FMT_16(16, 16), FMT_24(24, 24), FMT_32(32, 32), FMT_61(61, 16), FMT_80(80, 8), FMT_160(160, 16),
    FMT_212(212, 12), FMT_310(310, 10), FMT_311(311, 10);

    private final int code;
    private final int bits;

    SignalFormat(int code, int bits) {
        this.code = code;
        this.bits = bits;
    }

    public int code() {
        return code;
    }

    /** Bits per sample (bit-packed formats: the sample width, not the group width). */
    public int bits() {
        return bits;
    }

    /** The value that marks a missing sample. */
    public int invalid() {
        return -(1 << (bits - 1));
    }

    /** The format with this header code, or null when kmerl does not read it. */
    public static SignalFormat of(int code) {
        return Arrays.stream(values()).filter(f -> f.code == code).findFirst().orElse(null);
    }

    /** How many whole samples {@code bytes} bytes hold. */
    public long samplesIn(long bytes) {
        return switch (this) {
            case FMT_212 -> bytes * 2 / 3;
            // A final partial group takes only the bytes its samples reach into.
            case FMT_310 -> bytes / 4 * 3 + (bytes % 4 >= 2 ? 1 : 0);
            case FMT_311 -> bytes * 3 / 4;
            default -> bytes / (bits / 8);
        };
    }

    /**
     * Decodes {@code count} samples from {@code data} starting at {@code offset}. For format 8,
     * {@code initial} holds each interleaved signal's starting value (differences accumulate per
     * signal: sample i belongs to signal {@code signalOf[i % signalOf.length]}).
     */
    void decode(byte[] data, int offset, int count, int[] out, int[] signalOf, int[] initial) {
        switch (this) {
            case FMT_8 -> {
                int[] last = initial.clone();
                for (int i = 0; i < count; i++) {
                    int s = signalOf[i % signalOf.length];
                    last[s] += data[offset + i];
                    out[i] = last[s];
                }
            }
            case FMT_16 -> {
                for (int i = 0; i < count; i++) {
                    int p = offset + 2 * i;
                    out[i] = (short) ((data[p] & 0xFF) | (data[p + 1] << 8));
                }
            }
            case FMT_61 -> {
                for (int i = 0; i < count; i++) {
                    int p = offset + 2 * i;
                    out[i] = (short) ((data[p + 1] & 0xFF) | (data[p] << 8));
                }
            }
            case FMT_24 -> {
                for (int i = 0; i < count; i++) {
                    int p = offset + 3 * i;
                    out[i] = (data[p] & 0xFF) | ((data[p + 1] & 0xFF) << 8) | (data[p + 2] << 16);
                }
            }
            case FMT_32 -> {
                for (int i = 0; i < count; i++) {
                    int p = offset + 4 * i;
                    out[i] = (data[p] & 0xFF) | ((data[p + 1] & 0xFF) << 8) | ((data[p + 2] & 0xFF) << 16)
                            | (data[p + 3] << 24);
                }
            }
            case FMT_80 -> {
                for (int i = 0; i < count; i++) {
                    out[i] = (data[offset + i] & 0xFF) - 128;
                }
            }
            case FMT_160 -> {
                for (int i = 0; i < count; i++) {
                    int p = offset + 2 * i;
                    out[i] = ((data[p] & 0xFF) | ((data[p + 1] & 0xFF) << 8)) - 32768;
                }
            }
            case FMT_212 -> {
                for (int i = 0; i < count; i++) {
                    int p = offset + (i / 2) * 3;
                    int v = i % 2 == 0
                            ? (data[p] & 0xFF) | ((data[p + 1] & 0x0F) << 8)
                            : (data[p + 2] & 0xFF) | ((data[p + 1] & 0xF0) << 4);
                    out[i] = signExtend(v, 12);
                }
            }
            case FMT_310 -> {
                for (int i = 0; i < count; i++) {
                    int p = offset + (i / 3) * 4;
                    int w0 = (data[p] & 0xFF) | ((data[p + 1] & 0xFF) << 8);
                    int v = switch (i % 3) {
                        case 0 -> w0 >> 1;
                        case 1 -> ((data[p + 2] & 0xFF) | ((data[p + 3] & 0xFF) << 8)) >> 1;
                        default -> (w0 >> 11) | ((((data[p + 2] & 0xFF) | ((data[p + 3] & 0xFF) << 8)) >> 11) << 5);
                    };
                    out[i] = signExtend(v & 0x3FF, 10);
                }
            }
            case FMT_311 -> {
                for (int i = 0; i < count; i++) {
                    // A final partial group is stored in as few bytes as its samples need.
                    int p = offset + (i / 3) * 4;
                    int word = byteAt(data, p) | (byteAt(data, p + 1) << 8) | (byteAt(data, p + 2) << 16)
                            | (byteAt(data, p + 3) << 24);
                    out[i] = signExtend((word >>> (10 * (i % 3))) & 0x3FF, 10);
                }
            }
            default -> throw new IllegalStateException(this + " has no decoder");
        }
    }

    private static int byteAt(byte[] data, int i) {
        return i < data.length ? data[i] & 0xFF : 0;
    }

    private static int signExtend(int v, int bits) {
        int shift = 32 - bits;
        return (v << shift) >> shift;
    }
}
