package org.kmerl.kernels.ops;

import java.util.ArrayList;
import java.util.List;
import org.kmerl.kernels.runtime.CudaStorage;
import org.kmerl.kernels.runtime.DevicePointer;
import org.kmerl.kernels.runtime.Grid;
import org.kmerl.tensor.DType;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.backend.AdamWStep;
import org.kmerl.tensor.backend.OptimizerKernels;

/**
 * Fused AdamW and gradient clipping (optimizer.cu). v1 of each works on one tensor per launch (AdamW's
 * fused kernel, clipping composed of the elementwise and reduction kernels); v2 on up to 32 per launch
 * ({@link MultiTensor}).
 */
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

    @Override
    public void adamw(List<AdamWOperands> parameters, AdamWStep step) {
        List<Tensor[]> entries = chosen("adamw")
                ? parameters.stream().map(o -> new Tensor[] {o.param(), o.grad(), o.m(), o.v()}).toList() : List.of();
        if (entries.isEmpty() || !MultiTensor.fits(entries)) {
            OptimizerKernels.super.adamw(parameters, step);
            return;
        }
        for (List<Tensor[]> launch : MultiTensor.launches(entries)) {
            kernels.kernel("optimizer", "kmerl_adamw_multi").launch(MultiTensor.grid(launch), MultiTensor.lists(launch, 4),
                    step.beta1(), step.beta2(), step.decayFactor(), step.stepSize(), step.secondMomentCorrection(),
                    step.eps());
        }
    }

    @Override
    public Tensor sumOfSquares(List<Tensor> tensors) {
        List<Tensor[]> entries = chosen("clip") ? single(tensors) : List.of();
        if (entries.isEmpty() || !MultiTensor.fits(entries)) {
            return OptimizerKernels.super.sumOfSquares(tensors);
        }
        List<List<Tensor[]>> launches = MultiTensor.launches(entries);
        List<Grid> grids = new ArrayList<>();
        int partialCount = 0;
        for (List<Tensor[]> launch : launches) {
            Grid grid = MultiTensor.grid(launch);
            grids.add(grid);
            partialCount += grid.gridX() * grid.gridY();
        }
        // One partial sum per block, then the reduction kernels over all of them: a fixed order throughout.
        try (Tensor partials = kernels.scratch(DType.FLOAT32, partialCount)) {
            DevicePointer at = CudaStorage.at(partials);
            long offset = 0;
            for (int i = 0; i < launches.size(); i++) {
                Grid grid = grids.get(i);
                kernels.kernel("optimizer", "kmerl_sum_squares_multi").launch(grid, MultiTensor.lists(launches.get(i), 1),
                        at.plus(4 * offset));
                offset += (long) grid.gridX() * grid.gridY();
            }
            return partials.sum();
        }
    }

    @Override
    public void scaleInPlace(List<Tensor> tensors, Tensor factor) {
        List<Tensor[]> entries = chosen("clip") ? single(tensors) : List.of();
        if (entries.isEmpty() || !MultiTensor.fits(entries)) {
            OptimizerKernels.super.scaleInPlace(tensors, factor);
            return;
        }
        for (List<Tensor[]> launch : MultiTensor.launches(entries)) {
            kernels.kernel("optimizer", "kmerl_scale_multi").launch(MultiTensor.grid(launch), MultiTensor.lists(launch, 1),
                    CudaStorage.at(factor));
        }
    }

    private static List<Tensor[]> single(List<Tensor> tensors) {
        return tensors.stream().map(t -> new Tensor[] {t}).toList();
    }

    /**
     * Whether v2 (multi-tensor, the default) is chosen for {@code op}; it then runs when every tensor is dense.
     * On an H100, 144 parameters: AdamW 0.34 ms against v1's 1.01, clipping 0.30 ms against 4.50 (bound by the
     * host's launches: twice those times in another run, the ratios alike).
     */
    private boolean chosen(String op) {
        return kernels.registry().forced(op).map("v2"::equals).orElse(true);
    }
}
