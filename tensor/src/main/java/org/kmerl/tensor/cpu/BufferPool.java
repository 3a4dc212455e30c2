package org.kmerl.tensor.cpu;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;
import org.kmerl.tensor.MemoryStats;

/**
 * Reuses large float arrays, so a training step that closes its temporaries (a {@link
 * org.kmerl.tensor.TensorScope} per step) allocates nothing in steady state: Java would otherwise
 * zero a fresh array for every activation, and arrays of several megabytes are "humongous" objects
 * that the G1 collector handles slowly.
 *
 * <p>Arrays are pooled by size class (the length rounded up to 1/8 of its power of two, so at most
 * 12.5% is wasted); small arrays are left to the JVM, whose thread-local allocation is cheaper than
 * any pool. What the pool holds is capped (a quarter of the maximum heap by default, or
 * {@code -Dkmerl.cpu.poolBytes}); beyond that, released arrays go to the garbage collector.
 */
final class BufferPool {
    /** Arrays shorter than this (256 KiB) are not pooled. */
    static final int MIN_POOLED = 64 * 1024;

    private final ConcurrentHashMap<Integer, ConcurrentLinkedDeque<float[]>> free = new ConcurrentHashMap<>();
    private final AtomicLong cached = new AtomicLong();
    private final long limitBytes;
    private final MemoryStats stats;

    BufferPool(MemoryStats stats) {
        this.stats = stats;
        this.limitBytes = Long.getLong("kmerl.cpu.poolBytes", Runtime.getRuntime().maxMemory() / 4);
    }

    /** The capacity a pooled array of at least {@code length} elements has. */
    static int sizeClass(int length) {
        if (length < MIN_POOLED) {
            return length;
        }
        int step = Integer.highestOneBit(length) >>> 3;
        long rounded = ((long) length + step - 1) / step * step;
        return rounded > Integer.MAX_VALUE - 8 ? length : (int) rounded;
    }

    /** An array with at least {@code length} elements, zero-filled up to length if {@code zeroed}. */
    float[] take(int length, boolean zeroed) {
        if (length < MIN_POOLED) {
            return new float[length];
        }
        int capacity = sizeClass(length);
        ConcurrentLinkedDeque<float[]> deque = free.get(capacity);
        float[] array = deque == null ? null : deque.pollFirst();
        if (array == null) {
            return new float[capacity];
        }
        cached.addAndGet(-4L * capacity);
        stats.onCacheChange(-4L * capacity);
        if (zeroed) {
            Arrays.fill(array, 0, length, 0f);
        }
        return array;
    }

    /** Hands an array back for reuse (called when its storage is released). */
    void giveBack(float[] array) {
        int capacity = array.length;
        if (capacity < MIN_POOLED || sizeClass(capacity) != capacity) {
            return;
        }
        if (cached.addAndGet(4L * capacity) > limitBytes) {
            cached.addAndGet(-4L * capacity);
            return;
        }
        stats.onCacheChange(4L * capacity);
        free.computeIfAbsent(capacity, c -> new ConcurrentLinkedDeque<>()).offerFirst(array);
    }
}
