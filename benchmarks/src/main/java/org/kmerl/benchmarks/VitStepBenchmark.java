package org.kmerl.benchmarks;

import java.util.Map;
import org.kmerl.optim.AdamW;
import org.kmerl.tensor.Generator;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.TensorScope;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One full AdamW training step of the peer's ViT (see {@link PeerVit}): zero grad, forward, cross
 * entropy, backward, update; batch 32. Every temporary is released at the end of the step, as in a
 * real training loop, so the step reuses its buffers.
 */
@Warmup(iterations = 10, time = 2)
@Measurement(iterations = 5, time = 3)
public class VitStepBenchmark extends KernelBenchmark {
    static final int BATCH = 32;

    private PeerVit model;
    private AdamW optimizer;
    private Tensor signal;
    private Tensor labels;

    @Setup
    public void setUp() {
        model = new PeerVit(new Generator(1));
        optimizer = AdamW.of(model.namedParameters(), 1e-4, 0.01);
        Generator g = new Generator(2);
        signal = g.normal(0, 1, BATCH, PeerVit.LEADS, PeerVit.PATCHES_PER_LEAD * PeerVit.PATCH);
        int[] y = new int[BATCH];
        for (int i = 0; i < BATCH; i++) {
            y[i] = i % PeerVit.CLASSES;
        }
        labels = Tensor.ofInts(y);
    }

    @Benchmark
    public float trainingStep() {
        try (TensorScope scope = TensorScope.open()) {
            optimizer.zeroGrad();
            var loss = model.loss(signal, labels);
            loss.backward();
            optimizer.step();
            return loss.item();
        }
    }

    /** The peer's count: matrix-product FLOPs of the forward pass, times three for training. */
    public static Work work(String benchmark, Map<String, String> params) {
        return Work.flops(3 * PeerVit.forwardFlops(BATCH));
    }
}
