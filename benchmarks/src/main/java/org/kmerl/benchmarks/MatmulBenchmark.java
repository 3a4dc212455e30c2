package org.kmerl.benchmarks;

import java.util.Map;
import org.kmerl.tensor.Generator;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.TensorScope;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/** C = A·B at the peer's sizes: squares and the model-shaped linear [3840, 256] @ [256, 1024]. */
public class MatmulBenchmark extends KernelBenchmark {
    @Param({"256x256x256", "512x512x512", "1024x1024x1024", "3840x256x1024"})
    public String mkn;

    private Tensor a;
    private Tensor b;

    @Setup
    public void setUp() {
        int[] d = dims(mkn);
        Generator g = new Generator(1);
        a = g.uniform(-1, 1, d[0], d[1]);
        b = g.uniform(-1, 1, d[1], d[2]);
    }

    @Benchmark
    public float matmul() {
        try (TensorScope scope = TensorScope.open()) {
            return a.matmul(b).get(0, 0);
        }
    }

    static int[] dims(String mkn) {
        String[] p = mkn.split("x");
        return new int[] {Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2])};
    }

    public static Work work(String benchmark, Map<String, String> params) {
        int[] d = dims(params.get("mkn"));
        return Work.flops(2.0 * d[0] * d[1] * d[2]);
    }
}
