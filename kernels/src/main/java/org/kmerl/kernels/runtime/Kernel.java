package org.kmerl.kernels.runtime;

import static jcuda.driver.JCudaDriver.cuCtxSynchronize;
import static jcuda.driver.JCudaDriver.cuLaunchKernel;

import jcuda.CudaException;
import jcuda.NativePointerObject;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;

/**
 * One {@code extern "C"} kernel of a PTX module. Arguments are boxed Java values converted to kernel
 * parameters by type: Integer (int), Long (uint64_t), Float, Double, a device pointer, a packed struct
 * ({@link Struct}), or null for a null pointer. With {@code KMERL_CUDA_SYNC=1} every launch waits for the
 * kernel, so an asynchronous fault is reported at the kernel that caused it.
 */
public final class Kernel {
    private static final boolean SYNC = "1".equals(System.getenv("KMERL_CUDA_SYNC"));

    private final String name;
    private final CUfunction function;
    private final CudaContext context;

    Kernel(String name, CUfunction function, CudaContext context) {
        this.name = name;
        this.function = function;
        this.context = context;
    }

    public String name() {
        return name;
    }

    public void launch(Grid grid, Object... args) {
        if (grid.gridX() == 0 || grid.gridY() == 0 || grid.gridZ() == 0) {
            return;
        }
        NativePointerObject[] params = new NativePointerObject[args.length];
        for (int i = 0; i < args.length; i++) {
            params[i] = parameter(args[i], i);
        }
        context.bind();
        try {
            cuLaunchKernel(function, grid.gridX(), grid.gridY(), grid.gridZ(), grid.blockX(), grid.blockY(),
                    grid.blockZ(), grid.sharedBytes(), null, Pointer.to(params), null);
            if (SYNC) {
                cuCtxSynchronize();
            }
        } catch (CudaException e) {
            throw new KernelLaunchException("CUDA kernel " + name + " failed with " + grid + ": " + e.getMessage(), e);
        }
    }

    private Pointer parameter(Object arg, int position) {
        if (arg == null) {
            return Pointer.to(new CUdeviceptr());
        }
        if (arg instanceof Integer v) {
            return Pointer.to(new int[] {v});
        }
        if (arg instanceof Long v) {
            return Pointer.to(new long[] {v});
        }
        if (arg instanceof Float v) {
            return Pointer.to(new float[] {v});
        }
        if (arg instanceof Double v) {
            return Pointer.to(new double[] {v});
        }
        if (arg instanceof Boolean v) {
            return Pointer.to(new int[] {v ? 1 : 0});
        }
        if (arg instanceof Struct s) {
            return Pointer.to(s.bytes());
        }
        if (arg instanceof Pointer p) {
            return Pointer.to(p);
        }
        throw new IllegalArgumentException("kernel " + name + ": argument " + position + " has unsupported type "
                + arg.getClass().getName());
    }
}
