package org.kmerl.kernels.runtime;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A C struct passed by value as a kernel parameter, packed little-endian in declaration order. The
 * structs in the {@code .cu} files hold either only ints ({@link #ofInts}) or arrays of device pointers
 * followed by ints ({@link #ofPointersThenInts}), so the only padding to mirror is the tail that rounds
 * a struct with pointers up to a multiple of 8 bytes.
 */
public final class Struct {
    private final ByteBuffer buffer;
    private final int declaredBytes;
    private final int alignment;
    private boolean intsPut;

    private Struct(int declaredBytes, int alignment) {
        this.declaredBytes = declaredBytes;
        this.alignment = alignment;
        int padded = (declaredBytes + alignment - 1) / alignment * alignment;
        buffer = ByteBuffer.allocate(padded).order(ByteOrder.LITTLE_ENDIAN);
    }

    public static Struct ofInts(int count) {
        return new Struct(4 * count, 4);
    }

    /** {@code pointers} device pointers (put first, with {@link #put(DevicePointer[], int)}), then {@code ints} ints. */
    public static Struct ofPointersThenInts(int pointers, int ints) {
        return new Struct(8 * pointers + 4 * ints, 8);
    }

    public Struct put(int value) {
        intsPut = true;
        buffer.putInt(value);
        return this;
    }

    /** Puts {@code width} ints: the values, then zeros. */
    public Struct put(int[] values, int width) {
        checkWidth(values.length, width);
        intsPut = true;
        for (int i = 0; i < width; i++) {
            buffer.putInt(i < values.length ? values[i] : 0);
        }
        return this;
    }

    /** Puts {@code width} device addresses: the pointers, then nulls. Only before the first int. */
    public Struct put(DevicePointer[] pointers, int width) {
        checkWidth(pointers.length, width);
        if (alignment != 8 || intsPut) {
            throw new IllegalStateException("pointers go first, in a struct made by ofPointersThenInts");
        }
        for (int i = 0; i < width; i++) {
            buffer.putLong(i < pointers.length ? pointers[i].address() : 0L);
        }
        return this;
    }

    private static void checkWidth(int values, int width) {
        if (values > width) {
            throw new IllegalArgumentException("struct array of " + values + " values exceeds its width " + width);
        }
    }

    /** The struct's alignment in a kernel's parameter buffer: 8 with pointers, else 4. */
    int alignment() {
        return alignment;
    }

    byte[] bytes() {
        if (buffer.position() != declaredBytes) {
            throw new IllegalStateException("struct is incomplete: " + (declaredBytes - buffer.position()) + " bytes unset");
        }
        return buffer.array();
    }
}
