package org.kmerl.kernels.ops;

import org.kmerl.kernels.KernelRegistry;
import org.kmerl.kernels.runtime.CudaContext;
import org.kmerl.kernels.runtime.Kernel;
import org.kmerl.kernels.runtime.PtxLibrary;
import org.kmerl.tensor.DType;
import org.kmerl.tensor.Device;
import org.kmerl.tensor.Tensor;

/** What every kernel family needs: the context, the PTX kernels, the variant registry and scratch tensors. */
public final class DeviceKernels {
    static final int THREADS = 256;

    private final CudaContext context;
    private final PtxLibrary library;
    private final KernelRegistry registry;
    private final Device device;

    public DeviceKernels(CudaContext context, PtxLibrary library, KernelRegistry registry) {
        this.context = context;
        this.library = library;
        this.registry = registry;
        this.device = Device.cuda(context.index());
    }

    Kernel kernel(String module, String name) {
        return library.kernel(module, name);
    }

    KernelRegistry registry() {
        return registry;
    }

    CudaContext context() {
        return context;
    }

    /** A device scratch tensor whose contents the caller overwrites (close it when done). */
    Tensor scratch(DType dtype, int... shape) {
        return Tensor.empty(dtype, device, shape);
    }

    Tensor scratchZeros(DType dtype, int... shape) {
        return Tensor.zeros(dtype, device, shape);
    }

    /** Launch arguments {@code head} followed by {@code tail} (kernels that share leading parameters). */
    static Object[] concat(Object[] head, Object... tail) {
        Object[] all = java.util.Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
    }
}
