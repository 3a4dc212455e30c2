package org.kmerl.kernels.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** Struct packs kernel parameters byte for byte as nvcc lays out the structs of the .cu files. */
class StructTest {

    private static DevicePointer address(long a) {
        return new DevicePointer().plus(a);
    }

    @Test
    void pointersThenIntsAreLaidOutLikeC() {
        // struct { float* p[2]; float* q[2]; int n[3]; }: 32 bytes of pointers, 12 of ints, padded to 48.
        Struct s = Struct.ofPointersThenInts(4, 3)
                .put(new DevicePointer[] {address(0x1000)}, 2)
                .put(new DevicePointer[] {address(0x2000), address(0x3000)}, 2)
                .put(new int[] {7, 9}, 3);
        assertEquals(8, s.alignment());
        ByteBuffer b = ByteBuffer.wrap(s.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(48, b.capacity());
        assertArrayEquals(new long[] {0x1000, 0, 0x2000, 0x3000}, new long[] {b.getLong(0), b.getLong(8), b.getLong(16),
                b.getLong(24)});
        assertArrayEquals(new int[] {7, 9, 0, 0}, new int[] {b.getInt(32), b.getInt(36), b.getInt(40), b.getInt(44)});
    }

    @Test
    void intStructsKeepTheirExactSize() {
        Struct s = Struct.ofInts(3).put(1).put(new int[] {2}, 2);
        assertEquals(4, s.alignment());
        assertEquals(12, s.bytes().length);
    }

    @Test
    void misuseIsReported() {
        assertThrows(IllegalStateException.class, () -> Struct.ofInts(2).put(1).bytes(), "an unset field");
        assertThrows(IllegalArgumentException.class, () -> Struct.ofInts(2).put(new int[] {1, 2, 3}, 2), "too many values");
        assertThrows(IllegalStateException.class, () -> Struct.ofInts(2).put(new DevicePointer[0], 1),
                "pointers in an int-only struct");
        assertThrows(IllegalStateException.class,
                () -> Struct.ofPointersThenInts(1, 1).put(1).put(new DevicePointer[] {address(8)}, 1), "pointers after an int");
    }
}
