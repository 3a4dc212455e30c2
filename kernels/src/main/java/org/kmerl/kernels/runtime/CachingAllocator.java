package org.kmerl.kernels.runtime;

import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemFree;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import jcuda.CudaException;
import jcuda.driver.CUresult;
import org.kmerl.tensor.MemoryStats;

/**
 * Device memory with a cache: freed blocks go to a free list keyed by their rounded size and are reused
 * by the next request of that size, because cuMemAlloc/cuMemFree synchronise the device and cost
 * tens of microseconds each. All kernels run on one stream, so a block handed out again can only be
 * touched after the kernels that used it before. When the device runs out of memory the cache is
 * returned to the driver and the allocation retried once.
 *
 * <p>Sizes round up to 512 bytes below 1 MiB and to 2 MiB above, so near sizes share blocks.
 */
public final class CachingAllocator {
    private static final long SMALL = 1L << 20;
    private static final long SMALL_ROUND = 512;
    private static final long LARGE_ROUND = 2L << 20;

    private final CudaContext context;
    private final MemoryStats stats;
    private final Map<Long, ArrayDeque<DevicePointer>> free = new HashMap<>();
    private long cachedBytes;

    public CachingAllocator(CudaContext context, MemoryStats stats) {
        this.context = context;
        this.stats = stats;
    }

    public static long roundedSize(long bytes) {
        long round = bytes <= SMALL ? SMALL_ROUND : LARGE_ROUND;
        return Math.max(round, (bytes + round - 1) / round * round);
    }

    /** A block of at least {@code bytes}; its contents are whatever the last user left. */
    public synchronized DevicePointer allocate(long bytes) {
        long size = roundedSize(bytes);
        ArrayDeque<DevicePointer> list = free.get(size);
        if (list != null && !list.isEmpty()) {
            cachedBytes -= size;
            stats.onCacheChange(-size);
            return list.pop();
        }
        context.bind();
        DevicePointer ptr = new DevicePointer();
        try {
            cuMemAlloc(ptr, size);
        } catch (CudaException e) {
            if (!e.getMessage().contains(CUresult.stringFor(CUresult.CUDA_ERROR_OUT_OF_MEMORY))) {
                throw e;
            }
            emptyCache();
            try {
                cuMemAlloc(ptr, size);
            } catch (CudaException again) {
                throw new IllegalStateException("out of device memory allocating " + bytes + " bytes on cuda:"
                        + context.index() + " (" + stats + ")", again);
            }
        }
        return ptr;
    }

    /** Returns a block to the cache (no driver call: safe from the Cleaner thread). */
    public synchronized void release(DevicePointer ptr, long bytes) {
        long size = roundedSize(bytes);
        free.computeIfAbsent(size, s -> new ArrayDeque<>()).push(ptr);
        cachedBytes += size;
        stats.onCacheChange(size);
    }

    /** Hands every cached block back to the driver. */
    public synchronized void emptyCache() {
        context.bind();
        for (Map.Entry<Long, ArrayDeque<DevicePointer>> e : free.entrySet()) {
            for (DevicePointer p : e.getValue()) {
                cuMemFree(p);
            }
        }
        free.clear();
        stats.onCacheChange(-cachedBytes);
        cachedBytes = 0;
    }
}
