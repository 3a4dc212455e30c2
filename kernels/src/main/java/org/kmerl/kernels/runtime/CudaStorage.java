package org.kmerl.kernels.runtime;

import org.kmerl.tensor.DType;
import org.kmerl.tensor.MemoryStats;
import org.kmerl.tensor.Storage;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.backend.Backend;

/** A device buffer from the {@link CachingAllocator}; released to the cache when its last view closes. */
public final class CudaStorage extends Storage {
    private final DevicePointer pointer;

    public CudaStorage(Backend backend, CachingAllocator allocator, DType dtype, int length) {
        this(backend, allocator, dtype, length, allocator.allocate(Math.max(1L, (long) length) * dtype.byteSize()));
    }

    private CudaStorage(Backend backend, CachingAllocator allocator, DType dtype, int length, DevicePointer pointer) {
        super(backend, dtype, length, release(backend.memoryStats(), allocator, pointer, (long) length * dtype.byteSize()));
        this.pointer = pointer;
    }

    // Must not capture the storage (or the Cleaner could never run).
    private static Runnable release(MemoryStats stats, CachingAllocator allocator, DevicePointer pointer, long bytes) {
        stats.onAllocate(bytes);
        return () -> {
            stats.onFree(bytes);
            allocator.release(pointer, Math.max(1L, bytes));
        };
    }

    public DevicePointer pointer() {
        return pointer;
    }

    /** The start of a tensor's storage (kernels add the tensor's offset themselves, through its strides). */
    public static DevicePointer base(Tensor t) {
        return of(t).pointer;
    }

    /** The address of a tensor's first element (for kernels that take dense operands). */
    public static DevicePointer at(Tensor t) {
        return of(t).pointer.plus((long) t.offset() * t.dtype().byteSize());
    }

    /** {@link #at} or null for a null tensor (optional operands). */
    public static DevicePointer atOrNull(Tensor t) {
        return t == null ? null : at(t);
    }

    private static CudaStorage of(Tensor t) {
        if (!(t.storage() instanceof CudaStorage s)) {
            throw new IllegalArgumentException("expected a tensor on a CUDA device, got one on " + t.device());
        }
        return s;
    }
}
