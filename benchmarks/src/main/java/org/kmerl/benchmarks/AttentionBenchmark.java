package org.kmerl.benchmarks;

import java.util.Map;
import org.kmerl.tensor.AttentionOps;
import org.kmerl.tensor.Generator;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.TensorScope;
import org.kmerl.tensor.backend.AttentionConfig;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/** Fused attention, B=8, H=4, D=64 (the peer's case), forward and forward + backward. */
public class AttentionBenchmark extends KernelBenchmark {
    static final int B = 8;
    static final int H = 4;
    static final int D = 64;

    @Param({"120", "250"})
    public int t;

    private Tensor q;
    private Tensor k;
    private Tensor v;
    private Tensor dOut;
    private final AttentionConfig config = AttentionConfig.noDropout((float) (1 / Math.sqrt(D)));

    @Setup
    public void setUp() {
        Generator g = new Generator(1);
        q = g.normal(0, 1, B, H, t, D);
        k = g.normal(0, 1, B, H, t, D);
        v = g.normal(0, 1, B, H, t, D);
        dOut = g.normal(0, 1, B, H, t, D);
    }

    @Benchmark
    public float forward() {
        try (TensorScope scope = TensorScope.open()) {
            return AttentionOps.forward(q, k, v, null, config).out().get(0, 0, 0, 0);
        }
    }

    @Benchmark
    public float forwardBackward() {
        try (TensorScope scope = TensorScope.open()) {
            AttentionOps.Result r = AttentionOps.forward(q, k, v, null, config);
            return AttentionOps.backward(q, k, v, null, config, r.out(), r.lse(), dOut).q().get(0, 0, 0, 0);
        }
    }

    /** The peer's convention: 4·B·H·T²·D per forward, three times that for forward + backward. */
    public static Work work(String benchmark, Map<String, String> params) {
        double t = Double.parseDouble(params.get("t"));
        double forward = 4.0 * B * H * t * t * D;
        return Work.flops(benchmark.endsWith("forward") ? forward : 3 * forward);
    }
}
