package org.kmerl.tensor.cpu;

import org.kmerl.tensor.DType;
import org.kmerl.tensor.Storage;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.backend.MemoryKernels;

/** Host arrays: float buffers come from a {@link BufferPool}; copies walk both operands' strides. */
final class CpuMemory implements MemoryKernels {
    private final CpuBackend backend;
    private final BufferPool pool;

    CpuMemory(CpuBackend backend) {
        this.backend = backend;
        this.pool = new BufferPool(backend.memoryStats());
    }

    @Override
    public Storage allocate(DType dtype, int length) {
        return allocate(dtype, length, true);
    }

    @Override
    public Storage allocateUninitialized(DType dtype, int length) {
        return allocate(dtype, length, false);
    }

    private Storage allocate(DType dtype, int length, boolean zeroed) {
        if (dtype == DType.INT32) {
            return CpuStorage.ofInts(backend, new int[length]);
        }
        float[] array = pool.take(length, zeroed);
        return CpuStorage.ofFloats(backend, array, length, () -> pool.giveBack(array));
    }

    @Override
    public Storage upload(float[] data) {
        return CpuStorage.ofFloats(backend, data, data.length, () -> { });
    }

    @Override
    public Storage upload(int[] data) {
        return CpuStorage.ofInts(backend, data);
    }

    @Override
    public void download(Tensor src, float[] dst) {
        System.arraycopy(CpuStorage.floats(src), src.offset(), dst, 0, src.numel());
    }

    @Override
    public void download(Tensor src, int[] dst) {
        System.arraycopy(CpuStorage.ints(src), src.offset(), dst, 0, src.numel());
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        StridedLoop loop = StridedLoop.over(dst.shape(), src, dst);
        int ss = loop.innerStride(0);
        int ds = loop.innerStride(1);
        if (src.dtype() == DType.FLOAT32 && dst.dtype() == DType.FLOAT32) {
            float[] s = CpuStorage.floats(src);
            float[] d = CpuStorage.floats(dst);
            loop.run((off, n) -> {
                if (ss == 1 && ds == 1) {
                    System.arraycopy(s, off[0], d, off[1], n);
                    return;
                }
                for (int i = 0, a = off[0], b = off[1]; i < n; i++, a += ss, b += ds) {
                    d[b] = s[a];
                }
            });
        } else if (src.dtype() == DType.INT32 && dst.dtype() == DType.INT32) {
            int[] s = CpuStorage.ints(src);
            int[] d = CpuStorage.ints(dst);
            loop.run((off, n) -> {
                for (int i = 0, a = off[0], b = off[1]; i < n; i++, a += ss, b += ds) {
                    d[b] = s[a];
                }
            });
        } else if (src.dtype() == DType.FLOAT32) {
            float[] s = CpuStorage.floats(src);
            int[] d = CpuStorage.ints(dst);
            loop.run((off, n) -> {
                for (int i = 0, a = off[0], b = off[1]; i < n; i++, a += ss, b += ds) {
                    d[b] = (int) s[a];
                }
            });
        } else {
            int[] s = CpuStorage.ints(src);
            float[] d = CpuStorage.floats(dst);
            loop.run((off, n) -> {
                for (int i = 0, a = off[0], b = off[1]; i < n; i++, a += ss, b += ds) {
                    d[b] = s[a];
                }
            });
        }
    }

    @Override
    public void fill(Tensor dst, float value) {
        StridedLoop loop = StridedLoop.over(dst.shape(), dst);
        int ds = loop.innerStride(0);
        if (dst.dtype() == DType.FLOAT32) {
            float[] d = CpuStorage.floats(dst);
            loop.run((off, n) -> {
                for (int i = 0, b = off[0]; i < n; i++, b += ds) {
                    d[b] = value;
                }
            });
        } else {
            int[] d = CpuStorage.ints(dst);
            int v = (int) value;
            loop.run((off, n) -> {
                for (int i = 0, b = off[0]; i < n; i++, b += ds) {
                    d[b] = v;
                }
            });
        }
    }
}
