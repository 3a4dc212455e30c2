package org.kmerl.kernels.ops;

import static jcuda.driver.JCudaDriver.cuMemcpyDtoD;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoH;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoD;
import static jcuda.driver.JCudaDriver.cuMemsetD32;

import jcuda.Pointer;
import org.kmerl.kernels.runtime.CachingAllocator;
import org.kmerl.kernels.runtime.CudaStorage;
import org.kmerl.kernels.runtime.Grid;
import org.kmerl.kernels.runtime.PinnedStaging;
import org.kmerl.tensor.DType;
import org.kmerl.tensor.Storage;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.backend.Backend;
import org.kmerl.tensor.backend.MemoryKernels;

/**
 * Device buffers, host transfers, strided copies (with float/int conversion) and fills. With
 * {@code -Dkmerl.cuda.pinned=true}, transfers of at least {@link #PINNED_THRESHOLD} elements go through a
 * pinned staging buffer. It is off by default: on the H200 machine we measured, copying the Java array
 * into the pinned buffer cost more than the faster DMA saved (benchmarks/RESULTS.md has both rates).
 */
public final class CudaMemory implements MemoryKernels {
    public static final int PINNED_THRESHOLD = 1 << 18;

    private final Backend backend;
    private final CachingAllocator allocator;
    private final DeviceKernels kernels;
    private final java.util.concurrent.atomic.AtomicLong downloads = new java.util.concurrent.atomic.AtomicLong();

    private final PinnedStaging staging;
    private volatile boolean pinned = Boolean.getBoolean("kmerl.cuda.pinned");

    public CudaMemory(Backend backend, CachingAllocator allocator, DeviceKernels kernels) {
        this.backend = backend;
        this.allocator = allocator;
        this.kernels = kernels;
        this.staging = new PinnedStaging(kernels.context());
    }

    /** Whether large transfers go through the pinned staging buffer (for measuring both ways). */
    public void setPinnedTransfers(boolean on) {
        pinned = on;
    }

    private boolean staged(int length) {
        return pinned && length >= PINNED_THRESHOLD;
    }

    @Override
    public Storage allocate(DType dtype, int length) {
        CudaStorage s = allocateUninitialized(dtype, length);
        if (length > 0) {
            cuMemsetD32(s.pointer(), 0, length);
        }
        return s;
    }

    @Override
    public CudaStorage allocateUninitialized(DType dtype, int length) {
        kernels.context().bind();
        return new CudaStorage(backend, allocator, dtype, length);
    }

    @Override
    public Storage upload(float[] data) {
        CudaStorage s = allocateUninitialized(DType.FLOAT32, data.length);
        if (staged(data.length)) {
            staging.upload(data, s.pointer());
        } else if (data.length > 0) {
            cuMemcpyHtoD(s.pointer(), Pointer.to(data), 4L * data.length);
        }
        return s;
    }

    @Override
    public Storage upload(int[] data) {
        CudaStorage s = allocateUninitialized(DType.INT32, data.length);
        if (staged(data.length)) {
            staging.upload(data, s.pointer());
        } else if (data.length > 0) {
            cuMemcpyHtoD(s.pointer(), Pointer.to(data), 4L * data.length);
        }
        return s;
    }

    /** Device-to-host copies so far: a training step should make none (each one waits for the GPU). */
    public long downloads() {
        return downloads.get();
    }

    @Override
    public void download(Tensor src, float[] dst) {
        downloads.incrementAndGet();
        if (staged(dst.length)) {
            staging.download(CudaStorage.at(src), dst);
        } else if (dst.length > 0) {
            kernels.context().bind();
            cuMemcpyDtoH(Pointer.to(dst), CudaStorage.at(src), 4L * dst.length);
        }
    }

    @Override
    public void download(Tensor src, int[] dst) {
        downloads.incrementAndGet();
        if (staged(dst.length)) {
            staging.download(CudaStorage.at(src), dst);
        } else if (dst.length > 0) {
            kernels.context().bind();
            cuMemcpyDtoH(Pointer.to(dst), CudaStorage.at(src), 4L * dst.length);
        }
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        Layout l = Layout.of(dst.shape(), dst, src);
        if (l.numel() == 0) {
            return;
        }
        kernels.context().bind();
        if (l.dense() && src.dtype() == dst.dtype()) {
            cuMemcpyDtoD(CudaStorage.at(dst), CudaStorage.at(src), 4L * l.numel());
            return;
        }
        kernels.kernel("memory", "kmerl_copy_strided").launch(Grid.linear(l.numel(), DeviceKernels.THREADS),
                l.numel(), l.dims(), CudaStorage.base(dst), l.strides(0), dst.dtype() == DType.INT32,
                CudaStorage.base(src), l.strides(1), src.dtype() == DType.INT32);
    }

    @Override
    public void fill(Tensor dst, float value) {
        Layout l = Layout.of(dst.shape(), dst);
        if (l.numel() == 0) {
            return;
        }
        kernels.context().bind();
        boolean isInt = dst.dtype() == DType.INT32;
        if (l.dense()) {
            int bits = isInt ? (int) value : Float.floatToRawIntBits(value);
            cuMemsetD32(CudaStorage.at(dst), bits, l.numel());
            return;
        }
        kernels.kernel("memory", "kmerl_fill_strided").launch(Grid.linear(l.numel(), DeviceKernels.THREADS),
                l.numel(), l.dims(), CudaStorage.base(dst), l.strides(0), isInt, value);
    }
}
