package org.kmerl.tensor.cpu;

import org.kmerl.tensor.DType;
import org.kmerl.tensor.MemoryStats;
import org.kmerl.tensor.Storage;
import org.kmerl.tensor.Tensor;

/** Host memory: a Java float[] or int[]. Kernels reach the array through {@link #floats}/{@link #ints}. */
public final class CpuStorage extends Storage {
    private final float[] floats;
    private final int[] ints;

    private CpuStorage(CpuBackend backend, DType dtype, float[] floats, int[] ints, int length, Runnable onRelease) {
        super(backend, dtype, length, release(backend.memoryStats(), (long) length * dtype.byteSize(), onRelease));
        this.floats = floats;
        this.ints = ints;
    }

    // The release action must not capture the storage itself, or the Cleaner could never run.
    private static Runnable release(MemoryStats stats, long bytes, Runnable onRelease) {
        stats.onAllocate(bytes);
        return () -> {
            stats.onFree(bytes);
            onRelease.run();
        };
    }

    /** Float storage of {@code length} elements over {@code data} (which may be longer: a pooled array). */
    static CpuStorage ofFloats(CpuBackend backend, float[] data, int length, Runnable onRelease) {
        return new CpuStorage(backend, DType.FLOAT32, data, null, length, onRelease);
    }

    static CpuStorage ofInts(CpuBackend backend, int[] data) {
        return new CpuStorage(backend, DType.INT32, null, data, data.length, () -> { });
    }

    /** The float array under a CPU float32 tensor (index with the tensor's offset and strides). */
    public static float[] floats(Tensor t) {
        CpuStorage s = cpu(t);
        if (s.floats == null) {
            throw new IllegalArgumentException("expected a float32 tensor, got " + t.dtype() + " of shape "
                    + java.util.Arrays.toString(t.shape()));
        }
        return s.floats;
    }

    /** The int array under a CPU int32 tensor. */
    public static int[] ints(Tensor t) {
        CpuStorage s = cpu(t);
        if (s.ints == null) {
            throw new IllegalArgumentException("expected an int32 tensor, got " + t.dtype() + " of shape "
                    + java.util.Arrays.toString(t.shape()));
        }
        return s.ints;
    }

    private static CpuStorage cpu(Tensor t) {
        if (!(t.storage() instanceof CpuStorage s)) {
            throw new IllegalArgumentException("expected a CPU tensor, got one on " + t.device());
        }
        return s;
    }
}
