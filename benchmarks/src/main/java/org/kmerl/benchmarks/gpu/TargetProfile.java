package org.kmerl.benchmarks.gpu;

import java.util.Locale;
import org.kmerl.kernels.CudaBackend;
import org.kmerl.kernels.runtime.KernelProfile;
import org.kmerl.tensor.AttentionOps;
import org.kmerl.tensor.Backends;
import org.kmerl.tensor.Device;
import org.kmerl.tensor.Generator;
import org.kmerl.tensor.LossOps;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.TensorScope;
import org.kmerl.tensor.backend.AttentionConfig;
import org.kmerl.tensor.backend.LossReduction;

/**
 * Where the device time of the two fused GPU targets goes, kernel by kernel (written while they were still
 * missed; both met on an H100 since, benchmarks/RESULTS.md), to compare variants by their kernels (run with
 * KMERL_CUDA_PROFILE=1, {@link KernelProfile}): attention fwd+bwd at B=8, H=6, T=1200, D=64 with each
 * attention variant that runs on the GEMMs, and the CLIP loss fwd+bwd at N=4096, D=256 with each of its
 * variants. Each case is warmed up, then {@value #CALLS} calls are tallied and printed per call.
 *
 * <pre>KMERL_CUDA_PROFILE=1 java ... org.kmerl.benchmarks.gpu.TargetProfile</pre>
 */
public final class TargetProfile {
    private static final int CALLS = 5;

    private TargetProfile() {
    }

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        if (!KernelProfile.ENABLED) {
            System.err.println("set KMERL_CUDA_PROFILE=1: without it there is nothing to print");
            System.exit(2);
        }
        CudaBackend backend = (CudaBackend) Backends.get(Device.cuda(0));
        Generator random = new Generator(7);
        int[] s = {8, 6, 1200, 64};
        Tensor q = random.normal(0f, 1f, Device.cuda(0), s);
        Tensor k = random.normal(0f, 1f, Device.cuda(0), s);
        Tensor v = random.normal(0f, 1f, Device.cuda(0), s);
        Tensor go = random.normal(0f, 1f, Device.cuda(0), s);
        AttentionConfig cfg = AttentionConfig.noDropout(0.125f);
        // the profile waits for every kernel, so the backward's time is counted too
        tallyEach(backend, "attention", new String[] {"v3", "v4", "v5"}, "attention fwd+bwd 8x6x1200x64", () -> {
            AttentionOps.Result r = AttentionOps.forward(q, k, v, null, cfg, true);
            AttentionOps.backward(q, k, v, null, cfg, r, go);
        });
        Tensor a = random.normal(0f, 1f, Device.cuda(0), 4096, 256);
        Tensor b = random.normal(0f, 1f, Device.cuda(0), 4096, 256);
        Tensor tau = Tensor.full(0.07f, Device.cuda(0));
        Tensor one = Tensor.full(1f, Device.cuda(0));
        tallyEach(backend, "clip_loss", new String[] {"v1", "v2"}, "CLIP loss fwd+bwd 4096x256", () -> {
            LossOps.Result r = LossOps.clip(a, b, tau, LossReduction.MEAN);
            LossOps.clipBackward(a, b, tau, LossReduction.MEAN, r, one, true);
        });
    }

    /** {@link #tally} of {@code body} (in a tensor scope) once with each of {@code variants} of {@code op} forced. */
    private static void tallyEach(CudaBackend backend, String op, String[] variants, String title, Runnable body)
            throws Exception {
        for (String variant : variants) {
            try (AutoCloseable forced = backend.registry().force(op, variant)) {
                tally(title + ", " + op + "=" + variant, () -> {
                    try (TensorScope scope = TensorScope.open()) {
                        body.run();
                    }
                });
            }
        }
    }

    private static void tally(String title, Runnable call) {
        for (int i = 0; i < 3; i++) {
            call.run();
        }
        KernelProfile.print(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()), "warm-up", 1);
        for (int i = 0; i < CALLS; i++) {
            call.run();
        }
        KernelProfile.print(System.out, title, CALLS);
        System.out.println();
    }
}
