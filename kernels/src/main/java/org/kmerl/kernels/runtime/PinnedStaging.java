package org.kmerl.kernels.runtime;

import static jcuda.driver.JCudaDriver.cuMemAllocHost;
import static jcuda.driver.JCudaDriver.cuMemFreeHost;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoH;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoD;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.Consumer;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;

/**
 * A page-locked host buffer through which large transfers go: the DMA engine reads and writes pinned
 * memory directly, while a copy from a Java array (pageable memory) is staged by the driver in chunks.
 * The buffer grows to the largest transfer seen and is reused; one transfer at a time.
 */
public final class PinnedStaging {
    private final CudaContext context;
    private Pointer host;
    private ByteBuffer buffer;
    private long capacity;

    public PinnedStaging(CudaContext context) {
        this.context = context;
    }

    private void ensure(long bytes) {
        if (bytes <= capacity) {
            return;
        }
        if (host != null) {
            cuMemFreeHost(host);
        }
        long size = Math.max(bytes, 2 * capacity);
        host = new Pointer();
        cuMemAllocHost(host, size);
        buffer = host.getByteBuffer(0, size).order(ByteOrder.nativeOrder());
        capacity = size;
    }

    public void upload(float[] src, CUdeviceptr dst) {
        upload(4L * src.length, b -> b.asFloatBuffer().put(src), dst);
    }

    public void upload(int[] src, CUdeviceptr dst) {
        upload(4L * src.length, b -> b.asIntBuffer().put(src), dst);
    }

    public void download(CUdeviceptr src, float[] dst) {
        download(src, 4L * dst.length, b -> b.asFloatBuffer().get(dst));
    }

    public void download(CUdeviceptr src, int[] dst) {
        download(src, 4L * dst.length, b -> b.asIntBuffer().get(dst));
    }

    private synchronized void upload(long bytes, Consumer<ByteBuffer> fill, CUdeviceptr dst) {
        context.bind();
        ensure(bytes);
        buffer.clear();
        fill.accept(buffer);
        cuMemcpyHtoD(dst, host, bytes);
    }

    private synchronized void download(CUdeviceptr src, long bytes, Consumer<ByteBuffer> drain) {
        context.bind();
        ensure(bytes);
        cuMemcpyDtoH(host, src, bytes);
        buffer.clear();
        drain.accept(buffer);
    }
}
