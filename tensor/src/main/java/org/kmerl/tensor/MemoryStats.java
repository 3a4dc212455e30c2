package org.kmerl.tensor;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Live-allocation accounting for one backend: how many storages and bytes are held now, the peak,
 * and the total number of allocations. A storage counts as live until every tensor over it is
 * closed (or, as a safety net, garbage-collected). Tests use {@link #liveStorages()} as a leak check.
 */
public final class MemoryStats {
    private final AtomicLong liveStorages = new AtomicLong();
    private final AtomicLong liveBytes = new AtomicLong();
    private final AtomicLong peakBytes = new AtomicLong();
    private final AtomicLong allocations = new AtomicLong();
    private final AtomicLong cachedBytes = new AtomicLong();

    public void onAllocate(long bytes) {
        allocations.incrementAndGet();
        liveStorages.incrementAndGet();
        long now = liveBytes.addAndGet(bytes);
        peakBytes.accumulateAndGet(now, Math::max);
    }

    public void onFree(long bytes) {
        liveStorages.decrementAndGet();
        liveBytes.addAndGet(-bytes);
    }

    /** A caching allocator reports the bytes it holds for reuse (not live, not returned to the system). */
    public void onCacheChange(long deltaBytes) {
        cachedBytes.addAndGet(deltaBytes);
    }

    public long cachedBytes() {
        return cachedBytes.get();
    }

    public long liveStorages() {
        return liveStorages.get();
    }

    public long liveBytes() {
        return liveBytes.get();
    }

    public long peakBytes() {
        return peakBytes.get();
    }

    public long allocations() {
        return allocations.get();
    }

    /** Starts a new peak measurement from the bytes live now. */
    public void resetPeak() {
        peakBytes.set(liveBytes.get());
    }

    @Override
    public String toString() {
        return String.format("live %d storages / %d bytes, peak %d bytes, cached %d bytes, %d allocations",
                liveStorages(), liveBytes(), peakBytes(), cachedBytes(), allocations());
    }
}
