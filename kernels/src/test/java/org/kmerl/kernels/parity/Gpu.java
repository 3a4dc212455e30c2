package org.kmerl.kernels.parity;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.kmerl.kernels.CudaBackend;
import org.kmerl.kernels.CudaBackendProvider;
import org.kmerl.tensor.Backends;
import org.kmerl.tensor.DType;
import org.kmerl.tensor.Device;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.backend.Probe;
import org.kmerl.tensor.testing.TensorAssert;

/**
 * The device under test for the parity suites: every test computes the same op on the CPU backend (the
 * reference) and on cuda:0 and compares. Without a usable CUDA device the tests are skipped with the
 * probe's reason.
 */
final class Gpu {
    static final Device DEVICE = Device.cuda(0);
    private static final Probe PROBE = new CudaBackendProvider().probe();

    private Gpu() {
    }

    static CudaBackend backend() {
        Assumptions.assumeTrue(PROBE.usable(), () -> "no usable CUDA device: " + PROBE.summary() + " " + PROBE.details());
        return (CudaBackend) Backends.get(DEVICE);
    }

    /** {@code cpu} on the GPU; like {@link #backend}, skips the calling test when there is no usable device. */
    static Tensor on(Tensor cpu) {
        return cpu.to(backend().device());
    }

    /** The same values with a stride of 2 along the last axis, on the tensor's device. */
    static Tensor strided(Tensor t) {
        if (t.rank() == 0 || t.numel() == 0) {
            return t;
        }
        int[] wide = t.shape();
        wide[wide.length - 1] *= 2;
        Tensor base = Tensor.zeros(t.dtype(), t.device(), wide);
        Tensor view = base.slice(-1, 0, wide[wide.length - 1], 2);
        view.copyFrom(t);
        return view;
    }

    /** The same values stored in reversed axis order and seen through a permutation. */
    static Tensor permuted(Tensor t) {
        int r = t.rank();
        if (r < 2) {
            return strided(t);
        }
        int[] reverse = new int[r];
        for (int i = 0; i < r; i++) {
            reverse[i] = r - 1 - i;
        }
        return t.permute(reverse).contiguous().permute(reverse);
    }

    /** A GPU copy of a CPU tensor in each of three layouts: dense, strided, permuted. */
    static List<Tensor> layouts(Tensor cpu) {
        Tensor g = on(cpu);
        List<Tensor> all = new ArrayList<>();
        all.add(g);
        all.add(strided(g));
        all.add(permuted(g));
        return all;
    }

    static void assertClose(Tensor expectedCpu, Tensor actualGpu, double rtol, double atol, String what) {
        if (actualGpu.dtype() == DType.INT32) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(expectedCpu.toIntArray(), actualGpu.toIntArray(), what);
            return;
        }
        TensorAssert.assertClose(expectedCpu.toFloatArray(), actualGpu.toFloatArray(), rtol, atol, what);
    }

    /** Runs {@code body} once per variant of {@code op}, each forced in turn. */
    static void forEachVariant(String op, java.util.function.Consumer<String> body) {
        CudaBackend b = backend();
        for (var v : b.registry().variants(op)) {
            if (v.name().equals("v0") && b.cublasReason() != null) {
                continue;   // cuBLAS not loadable here
            }
            try (AutoCloseable forced = b.registry().force(op, v.name())) {
                body.accept(op + "=" + v.name());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
