package org.kmerl.benchmarks;

import java.util.Map;
import org.kmerl.tensor.ElementwiseOps;
import org.kmerl.tensor.Generator;
import org.kmerl.tensor.NormOps;
import org.kmerl.tensor.OptimizerOps;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.TensorScope;
import org.kmerl.tensor.backend.AdamWStep;
import org.kmerl.tensor.backend.UnaryOp;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;

/**
 * Memory-bound kernels at the ViT's sizes: GELU forward and backward on the MLP activation
 * [3840, 1024], softmax over attention scores [8·4·120, 120], and one AdamW update of 3.2 M
 * parameters (the ViT's).
 */
public class ElementwiseBenchmark extends KernelBenchmark {
    static final int ROWS = 3840;
    static final int HIDDEN = 1024;
    static final int SCORES = 8 * 4 * 120;
    static final int KEYS = 120;
    static final int PARAMS = 3_200_000;

    private Tensor activation;
    private Tensor gradient;
    private Tensor scores;
    private Tensor param;
    private Tensor grad;
    private Tensor m;
    private Tensor v;
    private long step;

    @Setup
    public void setUp() {
        Generator g = new Generator(1);
        activation = g.normal(0, 1, ROWS, HIDDEN);
        gradient = g.normal(0, 1, ROWS, HIDDEN);
        scores = g.normal(0, 1, SCORES, KEYS);
        param = g.normal(0, 1, PARAMS);
        grad = g.normal(0, 1, PARAMS);
        m = Tensor.zeros(PARAMS);
        v = Tensor.zeros(PARAMS);
    }

    @Benchmark
    public float geluForward() {
        try (TensorScope scope = TensorScope.open()) {
            return ElementwiseOps.unary(UnaryOp.GELU, activation).get(0, 0);
        }
    }

    @Benchmark
    public float geluBackward() {
        try (TensorScope scope = TensorScope.open()) {
            return ElementwiseOps.unaryBackward(UnaryOp.GELU, activation, activation, gradient).get(0, 0);
        }
    }

    @Benchmark
    public float softmax() {
        try (TensorScope scope = TensorScope.open()) {
            return NormOps.softmax(scores, -1).get(0, 0);
        }
    }

    @Benchmark
    public float adamw() {
        OptimizerOps.adamw(param, grad, m, v, new AdamWStep(1e-4f, 0.9f, 0.999f, 1e-8f, 0.01f, ++step));
        return param.get(0);
    }

    /** Bytes each op must move: inputs read and outputs written once. */
    public static Work work(String benchmark, Map<String, String> params) {
        double act = (double) ROWS * HIDDEN;
        return Work.bytes(4 * switch (benchmark) {
            case "geluForward" -> 2 * act;
            case "geluBackward" -> 3 * act;
            case "softmax" -> 2.0 * SCORES * KEYS;
            default -> 7.0 * PARAMS; // read p, g, m, v; write p, m, v
        });
    }
}
