package org.kmerl.benchmarks;

import java.util.Map;
import org.kmerl.model.ecg.EcgEncoderConfig;
import org.kmerl.model.kmerl.KmerlConfig;
import org.kmerl.model.kmerl.SyntheticStep;
import org.kmerl.tensor.Device;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One K-MERL pretraining step of the small preset: forward (lead-specific tokens, 6-layer encoder,
 * both projections, CLIP loss, 2-layer cardiac query network over 40 entity queries, BCE), backward
 * and AdamW, batch 32. {@code leads} = 3 is the common masked batch (3 leads x 30 of 40 patches = 90
 * tokens); 12 is a full-lead batch with segment masking (360 tokens). The PyTorch twin is
 * benchmarks/kmerl_step_peer.py (same sizes, same arithmetic), run by benchmarks/compare-kmerl.sh.
 */
@Warmup(iterations = 4, time = 3)
@Measurement(iterations = 5, time = 3)
public class KmerlStepBenchmark extends KernelBenchmark {
    public static final int BATCH = 32;
    public static final int ENTITIES = 40;
    public static final int TEXT_DIM = 384;
    public static final KmerlConfig CONFIG = KmerlConfig.Preset.SMALL.config();

    @Param({"3", "12"})
    public int leads;

    private SyntheticStep step;

    @Setup
    public void setUp() {
        step = step(Device.CPU, leads);
    }

    @Benchmark
    public float trainingStep() {
        return step.run();
    }

    /** The small preset's step on a device: batch 32, 40 entity queries, 384-dimensional text, {@code leads} leads. */
    public static SyntheticStep step(Device device, int leads) {
        return new SyntheticStep(CONFIG, device, leads, BATCH, ENTITIES);
    }

    /** Matrix-product FLOPs of the forward pass (the peer counts the same), times three for training. */
    public static Work work(String benchmark, Map<String, String> params) {
        return Work.flops(3 * forwardFlops(Integer.parseInt(params.get("leads"))));
    }

    public static double forwardFlops(int leads) {
        EcgEncoderConfig e = CONFIG.encoder();
        int d = e.width();
        int t = leads * 30;
        double table = 2.0 * 12 * BATCH * e.patchesPerLead() * e.patch() * d;
        double encoder = BATCH * e.forwardFlops(t) - 2.0 * BATCH * t * e.patch() * d;
        double q = ENTITIES;
        double perQueryLayer = 2 * q * d * 4.0 * d + 4 * q * q * d      // self-attention
                + 2 * q * d * 2.0 * d + 2 * (double) t * d * 2.0 * d + 4 * q * t * d   // cross-attention
                + 2 * q * d * 2.0 * e.mlpDim();                              // MLP
        double queries = 2.0 * ENTITIES * TEXT_DIM * d + BATCH * (CONFIG.queryDepth() * perQueryLayer + 2 * q * d);
        int p = CONFIG.projectionDim();
        double projections = BATCH * 2.0 * (d * p + p * p + TEXT_DIM * p + p * p) + 2.0 * BATCH * BATCH * p;
        return table + encoder + queries + projections;
    }
}
