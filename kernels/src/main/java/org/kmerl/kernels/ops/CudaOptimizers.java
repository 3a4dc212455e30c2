package org.kmerl.kernels.ops;

import org.kmerl.kernels.runtime.CudaStorage;
import org.kmerl.kernels.runtime.Grid;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.backend.AdamWStep;
import org.kmerl.tensor.backend.OptimizerKernels;

/** Fused AdamW (optimizer.cu): one pass over p, g, m and v. */
public final class CudaOptimizers implements OptimizerKernels {
    private final DeviceKernels kernels;

    public CudaOptimizers(DeviceKernels kernels) {
        this.kernels = kernels;
    }

    @Override
    public void adamw(Tensor param, Tensor grad, Tensor m, Tensor v, AdamWStep step) {
        int n = param.numel();
        kernels.kernel("optimizer", "kmerl_adamw").launch(Grid.linear(n, DeviceKernels.THREADS), n, CudaStorage.at(param),
                CudaStorage.at(grad), CudaStorage.at(m), CudaStorage.at(v), step.beta1(), step.beta2(), step.decayFactor(),
                step.stepSize(), step.secondMomentCorrection(), step.eps());
    }
}
