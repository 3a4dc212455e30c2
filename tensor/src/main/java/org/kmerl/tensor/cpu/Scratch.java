package org.kmerl.tensor.cpu;

/**
 * Per-thread working arrays that grow to the largest size asked for and are then reused, so that
 * kernels allocate nothing in steady state. Each kernel class owns one Scratch and numbers its slots.
 */
final class Scratch {
    private final ThreadLocal<float[][]> slots;

    Scratch(int count) {
        slots = ThreadLocal.withInitial(() -> new float[count][0]);
    }

    /** The calling thread's array for {@code slot}, at least {@code size} long (contents unspecified). */
    float[] get(int slot, int size) {
        float[][] s = slots.get();
        if (s[slot].length < size) {
            s[slot] = new float[size];
        }
        return s[slot];
    }
}
