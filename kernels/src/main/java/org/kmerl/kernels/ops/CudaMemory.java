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
 * Device buffers, host transfers, strided copies (with float/int conversion) and fills. Copies between
 * dense buffers are a driver memcpy; other copies take the first of v2 (rows), v3 (transposed tiles) and
 * v1 (any layout) that fits their layout (a forced variant is used where it fits, else v1). With
 * {@code -Dkmerl.cuda.pinned=true}, transfers of at least {@link #PINNED_THRESHOLD} elements go through a
 * pinned staging buffer. It is off by default: on the H200 machine we measured, copying the Java array
 * into the pinned buffer cost more than the faster DMA saved (benchmarks/RESULTS.md has both rates).
 */
public final class CudaMemory implements MemoryKernels {
    public static final int PINNED_THRESHOLD = 1 << 18;
    /** Shortest row copy v2 takes by default, and shortest side of a transpose copy v3 takes. */
    private static final int MIN_ROW = 16;
    private static final int MIN_TILE_SIDE = 8;

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
        boolean sameWidthBits = src.dtype() == dst.dtype();
        String variant = kernels.registry().forced("copy").orElse("auto");
        if (sameWidthBits && !variant.equals("v1") && copyRows(l, src, dst, variant.equals("v2"))) {
            return;
        }
        if (sameWidthBits && !variant.equals("v1") && copyTiles(l, src, dst, variant.equals("v3"))) {
            return;
        }
        kernels.kernel("memory", "kmerl_copy_strided").launch(Grid.linear(l.numel(), DeviceKernels.THREADS),
                l.numel(), l.dims(), CudaStorage.base(dst), l.strides(0), dst.dtype() == DType.INT32,
                CudaStorage.base(src), l.strides(1), src.dtype() == DType.INT32);
    }

    /**
     * v2 when the last merged axis has unit stride on both sides; by default only for rows of at least
     * {@link #MIN_ROW} elements (shorter rows leave most of a warp idle, v1 serves them better). Rows
     * whose length, offsets and strides are multiples of 4 move as int4; a row gets the smallest power of
     * two of lanes (up to 32) that covers it, so two rows of 16 int4 share a warp.
     */
    private boolean copyRows(Layout l, Tensor src, Tensor dst, boolean forced) {
        int last = l.rank() - 1;
        int length = l.sizes()[last];
        if (l.operandStrides(0)[last] != 1 || l.operandStrides(1)[last] != 1 || (!forced && length < MIN_ROW)) {
            return false;
        }
        Layout outer = l.without(last);
        boolean vec4 = length % 4 == 0 && outer.divisibleBy(4);
        if (vec4) {
            outer = outer.dividedBy(4);
        }
        int units = vec4 ? length / 4 : length;
        int lanes = Math.min(32, Integer.highestOneBit(Math.max(1, units - 1)) << 1);
        int groups = DeviceKernels.THREADS / lanes;
        int blocks = (int) Math.min(65_535, Math.max(1, ((long) outer.numel() + groups - 1) / groups));
        kernels.kernel("memory", vec4 ? "kmerl_copy_v2_rows_vec4" : "kmerl_copy_v2_rows").launch(
                new Grid(blocks, 1, 1, DeviceKernels.THREADS, 1, 1, 0), outer.numel(), units, lanes, outer.dims(),
                CudaStorage.base(dst), outer.strides(0), CudaStorage.base(src), outer.strides(1));
        return true;
    }

    /** v3 when the destination's last axis and another axis of the source have unit stride (a transpose). */
    private boolean copyTiles(Layout l, Tensor src, Tensor dst, boolean forced) {
        int last = l.rank() - 1;
        int[] sizes = l.sizes();
        int[] ds = l.operandStrides(0);
        int[] ss = l.operandStrides(1);
        if (ds[last] != 1 || ss[last] == 1) {
            return false;
        }
        int a = -1;   // the source's unit-stride axis
        for (int axis = 0; axis < last; axis++) {
            a = ss[axis] == 1 ? axis : a;
        }
        int tilesA = a < 0 ? 0 : (sizes[a] + 31) / 32;
        if (a < 0 || tilesA > 65_535 || (!forced && (sizes[a] < MIN_TILE_SIDE || sizes[last] < MIN_TILE_SIDE))) {
            return false;
        }
        Layout batch = l.without(a, last);
        int batches = batch.numel();
        kernels.kernel("memory", "kmerl_copy_v3_tiles").launch(
                new Grid((sizes[last] + 31) / 32, tilesA, Math.min(batches, 65_535), 32, 8, 1, 0),
                sizes[a], sizes[last], batches, batch.dims(), CudaStorage.base(dst), batch.strides(0), ds[a],
                CudaStorage.base(src), batch.strides(1), ss[last]);
        return true;
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
