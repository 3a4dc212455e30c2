package org.kmerl.kernels.runtime;

import static jcuda.driver.JCudaDriver.cuCtxSetCurrent;
import static jcuda.driver.JCudaDriver.cuCtxSynchronize;
import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuDeviceGetAttribute;
import static jcuda.driver.JCudaDriver.cuDeviceGetName;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRetain;
import static jcuda.driver.JCudaDriver.cuInit;

import java.nio.charset.StandardCharsets;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.JCudaDriver;

/**
 * One CUDA device and its primary context. The driver API binds a context per thread, so every entry
 * point of the backend calls {@link #bind()} first: cheap after the first call on a thread.
 */
public final class CudaContext {
    private final int index;
    private final CUdevice device = new CUdevice();
    private final CUcontext context = new CUcontext();
    /**
     * The context each thread last made current. One flag per context and thread would say "bound" for a
     * context another device's bind() has since replaced, and that context's next call would run in the
     * other device's context.
     */
    private static final ThreadLocal<CudaContext> CURRENT = new ThreadLocal<>();
    private final String name;
    private final int multiprocessors;
    private final int computeMajor;
    private final int computeMinor;

    public CudaContext(int index) {
        JCudaDriver.setExceptionsEnabled(true);
        cuInit(0);
        this.index = index;
        cuDeviceGet(device, index);
        cuDevicePrimaryCtxRetain(context, device);
        bind();
        byte[] raw = new byte[256];
        cuDeviceGetName(raw, raw.length, device);
        int n = 0;
        while (n < raw.length && raw[n] != 0) {
            n++;
        }
        this.name = new String(raw, 0, n, StandardCharsets.US_ASCII);
        this.multiprocessors = attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT);
        this.computeMajor = attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR);
        this.computeMinor = attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR);
    }

    /** Makes this context current on the calling thread. */
    public void bind() {
        if (CURRENT.get() != this) {
            cuCtxSetCurrent(context);
            CURRENT.set(this);
        }
    }

    /** Waits for every launched kernel and copy (timing, tests, error checks). */
    public void synchronize() {
        bind();
        cuCtxSynchronize();
    }

    public int attribute(int attribute) {
        int[] value = new int[1];
        cuDeviceGetAttribute(value, attribute, device);
        return value[0];
    }

    public int index() {
        return index;
    }

    public String name() {
        return name;
    }

    public int multiprocessors() {
        return multiprocessors;
    }

    public String computeCapability() {
        return computeMajor + "." + computeMinor;
    }
}
