package org.kmerl.kernels.ops;

import org.kmerl.kernels.runtime.CudaStorage;
import org.kmerl.kernels.runtime.Grid;
import org.kmerl.tensor.MathFunctions;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.backend.RandomKernels;

/** Philox fills (random.cu), element for element the numbers the CPU backend draws. */
public final class CudaRandom implements RandomKernels {
    private static final String MODULE = "random";
    private final DeviceKernels kernels;

    public CudaRandom(DeviceKernels kernels) {
        this.kernels = kernels;
    }

    @Override
    public void uniform(Tensor out, long seed, long offset, float low, float high) {
        int n = out.numel();
        kernels.kernel(MODULE, "kmerl_random_uniform").launch(Grid.linear(n, DeviceKernels.THREADS), n,
                CudaStorage.at(out), seed, offset, low, high - low);
    }

    @Override
    public void normal(Tensor out, long seed, long offset, float mean, float std) {
        int n = out.numel();
        kernels.kernel(MODULE, "kmerl_random_normal").launch(Grid.linear(n, DeviceKernels.THREADS), n,
                CudaStorage.at(out), seed, offset, (double) mean, (double) std);
    }

    @Override
    public void truncatedNormal(Tensor out, long seed, long offset, float mean, float std, float low, float high) {
        int n = out.numel();
        double cdfLow = MathFunctions.normalCdf((low - mean) / std);
        double cdfHigh = MathFunctions.normalCdf((high - mean) / std);
        kernels.kernel(MODULE, "kmerl_random_truncated_normal").launch(Grid.linear(n, DeviceKernels.THREADS), n,
                CudaStorage.at(out), seed, offset, (double) mean, (double) std, cdfLow, cdfHigh, low, high);
    }
}
