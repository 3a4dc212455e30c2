package org.kmerl.kernels.runtime;

import jcuda.driver.CUdeviceptr;

/**
 * A device address that Java can read, so that kernel arguments can be packed into one buffer
 * ({@link Kernel}); an allocation from {@link CachingAllocator} or an element offset into one.
 */
public final class DevicePointer extends CUdeviceptr {
    public DevicePointer() {
    }

    private DevicePointer(DevicePointer base, long bytes) {
        super(base, bytes);
    }

    /** The address {@code bytes} further on. */
    public DevicePointer plus(long bytes) {
        return bytes == 0 ? this : new DevicePointer(this, bytes);
    }

    /** The device address this pointer holds. */
    public long address() {
        return getNativePointer() + getByteOffset();
    }
}
