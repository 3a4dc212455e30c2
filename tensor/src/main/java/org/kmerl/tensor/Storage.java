package org.kmerl.tensor;

import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicInteger;
import org.kmerl.tensor.backend.Backend;

/**
 * A flat buffer of {@code length} elements owned by a backend. Tensors are views over a storage and
 * hold a reference each; the buffer is released when the last view is closed. If views are dropped
 * without being closed, a {@link Cleaner} releases the buffer once they are garbage-collected, so
 * device memory is never lost for good, only held longer than needed.
 */
public abstract class Storage {
    private static final Cleaner CLEANER = Cleaner.create();

    private final Backend backend;
    private final DType dtype;
    private final int length;
    private final AtomicInteger references = new AtomicInteger();
    private volatile boolean released;
    private final Cleaner.Cleanable release;

    /**
     * @param releaseAction frees the underlying buffer and updates the backend's statistics; it must
     *                      not refer to this storage object (or the cleaner could never run).
     */
    protected Storage(Backend backend, DType dtype, int length, Runnable releaseAction) {
        this.backend = backend;
        this.dtype = dtype;
        this.length = length;
        this.release = CLEANER.register(this, releaseAction);
    }

    public final Backend backend() {
        return backend;
    }

    public final DType dtype() {
        return dtype;
    }

    /** Number of elements. */
    public final int length() {
        return length;
    }

    public final long byteSize() {
        return (long) length * dtype.byteSize();
    }

    final void retain() {
        references.incrementAndGet();
    }

    final void release() {
        if (references.decrementAndGet() == 0) {
            released = true;
            release.clean();
        }
    }

    /** True once the last view was closed and the buffer handed back. */
    public final boolean isReleased() {
        return released;
    }
}
