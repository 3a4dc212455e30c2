package org.kmerl.kernels.runtime;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A C struct of int fields passed by value as a kernel parameter, packed little-endian in declaration
 * order (the structs in {@code kmerl_common.cuh} hold only ints, so there is no padding to mirror).
 */
public final class Struct {
    private final ByteBuffer buffer;

    private Struct(int ints) {
        buffer = ByteBuffer.allocate(4 * ints).order(ByteOrder.LITTLE_ENDIAN);
    }

    public static Struct ofInts(int count) {
        return new Struct(count);
    }

    public Struct put(int value) {
        buffer.putInt(value);
        return this;
    }

    /** Puts {@code width} ints: the values, then zeros. */
    public Struct put(int[] values, int width) {
        if (values.length > width) {
            throw new IllegalArgumentException("struct array of " + values.length + " values exceeds its width " + width);
        }
        for (int i = 0; i < width; i++) {
            buffer.putInt(i < values.length ? values[i] : 0);
        }
        return this;
    }

    byte[] bytes() {
        if (buffer.hasRemaining()) {
            throw new IllegalStateException("struct is incomplete: " + buffer.remaining() + " bytes unset");
        }
        return buffer.array();
    }
}
