package org.kmerl.benchmarks;

import java.util.Map;
import org.kmerl.tensor.Generator;
import org.kmerl.tensor.LossOps;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.TensorScope;
import org.kmerl.tensor.backend.LossReduction;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/** The fused CLIP loss, D=256, temperature 0.07, forward and forward + backward (gradients of a and b). */
public class ClipLossBenchmark extends KernelBenchmark {
    static final int D = 256;

    @Param({"256", "1024"})
    public int n;

    private Tensor a;
    private Tensor b;
    private final Tensor temperature = Tensor.scalar(0.07f);
    private final Tensor one = Tensor.scalar(1f);

    @Setup
    public void setUp() {
        Generator g = new Generator(1);
        a = g.normal(0, 1, n, D);
        b = g.normal(0, 1, n, D);
    }

    @Benchmark
    public float forward() {
        try (TensorScope scope = TensorScope.open()) {
            return LossOps.clip(a, b, temperature, LossReduction.MEAN).loss().item();
        }
    }

    @Benchmark
    public float forwardBackward() {
        try (TensorScope scope = TensorScope.open()) {
            LossOps.Result r = LossOps.clip(a, b, temperature, LossReduction.MEAN);
            return LossOps.clipBackward(a, b, temperature, LossReduction.MEAN, r, one, false).a().get(0, 0);
        }
    }

    /** The products dominate: 2·N²·D forward (similarities), three products (6·N²·D) forward + backward. */
    public static Work work(String benchmark, Map<String, String> params) {
        double n = Double.parseDouble(params.get("n"));
        double product = 2.0 * n * n * D;
        return Work.flops(benchmark.endsWith("forward") ? product : 3 * product);
    }
}
