package org.kmerl.benchmarks.gpu;

import java.util.Locale;
import org.kmerl.kernels.CudaBackend;
import org.kmerl.kernels.runtime.CudaStorage;
import org.kmerl.kernels.runtime.Grid;
import org.kmerl.kernels.runtime.Kernel;
import org.kmerl.tensor.Backends;
import org.kmerl.tensor.DType;
import org.kmerl.tensor.Device;
import org.kmerl.tensor.ElementwiseOps;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.TensorScope;
import org.kmerl.tensor.backend.UnaryOp;

/**
 * Where the ~21 µs of a small op called from Java go: a bare kernel launch with one JCuda pointer per
 * argument, the same launch with the arguments packed into one buffer, a device allocation, and the
 * whole op. Host time per call (System.nanoTime over many calls, then a synchronize).
 */
public final class LaunchOverheadBench {
    private static final int CALLS = 20_000;

    public static void main(String[] args) {
        Locale.setDefault(Locale.ROOT);
        Device device = Device.cuda(0);
        CudaBackend backend = (CudaBackend) Backends.get(device);
        Tensor x = Tensor.of(new float[] {1.5f, -2f, 3f, 4f}, 4).to(device);
        Tensor out = Tensor.zeros(DType.FLOAT32, device, 4);
        Tensor w = Tensor.of(new float[] {1, 1, 1, 1}, 4).to(device);
        Tensor mean = Tensor.zeros(DType.FLOAT32, device, 1);
        Tensor rstd = Tensor.zeros(DType.FLOAT32, device, 1);
        Kernel neg = backend.kernel("elementwise", "kmerl_unary_contiguous");
        Kernel ln = backend.kernel("normalization", "kmerl_layernorm_v3_register_rows_1");
        Grid one = Grid.linear(4, 32);
        Grid warp = Grid.warpsPerRow(1, 1);

        neg.launchPacked(one, 0, 4, CudaStorage.at(out), CudaStorage.at(x));
        float[] got = out.toFloatArray();
        boolean ok = got[0] == -1.5f && got[1] == 2f && got[2] == -3f && got[3] == -4f;
        System.out.println("packed launch result " + (ok ? "ok" : "WRONG: " + java.util.Arrays.toString(got)));
        ln.launchPacked(warp, 1, 4, CudaStorage.at(x), CudaStorage.at(w),
                null, 1e-5f, CudaStorage.at(out),
                CudaStorage.at(mean), CudaStorage.at(rstd));
        float[] y = out.toFloatArray();
        System.out.printf("packed 9-argument launch (layer norm of %s): %s%n", java.util.Arrays.toString(x.toFloatArray()),
                java.util.Arrays.toString(y));

        report("launch, 4 args, one pointer each", backend,
                () -> neg.launchWithPointers(one, 0, 4, CudaStorage.at(out), CudaStorage.at(x)));
        report("launch, 4 args, packed", backend, () -> neg.launchPacked(one, 0, 4,
                CudaStorage.at(out), CudaStorage.at(x)));
        report("launch, 9 args, one pointer each", backend, () -> ln.launchWithPointers(warp, 1, 4, CudaStorage.at(x), CudaStorage.at(w),
                null, 1e-5f, CudaStorage.at(out), CudaStorage.at(mean), CudaStorage.at(rstd)));
        report("launch, 9 args, packed", backend, () -> ln.launchPacked(warp, 1, 4,
                CudaStorage.at(x), CudaStorage.at(w), null,
                1e-5f, CudaStorage.at(out), CudaStorage.at(mean),
                CudaStorage.at(rstd)));
        report("device tensor alloc + close (cached)", backend, () -> Tensor.empty(DType.FLOAT32, device, 4).close());
        report("whole op: neg(x) in a scope", backend, () -> {
            try (TensorScope scope = TensorScope.open()) {
                ElementwiseOps.unary(UnaryOp.NEG, x);
            }
        });
    }

    private static void report(String what, CudaBackend backend, Runnable call) {
        for (int i = 0; i < 2000; i++) {
            call.run();
        }
        backend.context().synchronize();
        long start = System.nanoTime();
        for (int i = 0; i < CALLS; i++) {
            call.run();
        }
        backend.context().synchronize();
        double us = (System.nanoTime() - start) / 1e3 / CALLS;
        System.out.printf("%-40s %7.2f us per call%n", what, us);
    }
}
