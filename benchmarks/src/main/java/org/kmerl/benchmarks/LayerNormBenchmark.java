package org.kmerl.benchmarks;

import java.util.Map;
import org.kmerl.tensor.Generator;
import org.kmerl.tensor.NormOps;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.TensorScope;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/** Layer norm over the last axis, forward and forward + backward (gradients of x, weight, bias). */
public class LayerNormBenchmark extends KernelBenchmark {
    @Param({"4096x256", "16384x768"})
    public String shape;

    private Tensor x;
    private Tensor weight;
    private Tensor bias;
    private Tensor dy;

    @Setup
    public void setUp() {
        String[] p = shape.split("x");
        int rows = Integer.parseInt(p[0]);
        int c = Integer.parseInt(p[1]);
        Generator g = new Generator(1);
        x = g.normal(0, 1, rows, c);
        weight = g.normal(1, 0.1f, c);
        bias = g.normal(0, 0.1f, c);
        dy = g.normal(0, 1, rows, c);
    }

    @Benchmark
    public float forward() {
        try (TensorScope scope = TensorScope.open()) {
            return NormOps.layerNorm(x, weight, bias, 1e-5f).y().get(0, 0);
        }
    }

    @Benchmark
    public float forwardBackward() {
        try (TensorScope scope = TensorScope.open()) {
            NormOps.LayerNormResult r = NormOps.layerNorm(x, weight, bias, 1e-5f);
            return NormOps.layerNormBackward(dy, x, weight, true, r.mean(), r.rstd()).x().get(0, 0);
        }
    }

    /** The peer's convention: x read + y written (forward); x, dy read + dx written (backward). */
    public static Work work(String benchmark, Map<String, String> params) {
        String[] p = params.get("shape").split("x");
        double elements = Double.parseDouble(p[0]) * Double.parseDouble(p[1]);
        return Work.bytes(4 * elements * (benchmark.endsWith("forward") ? 2 : 5));
    }
}
