package org.kmerl.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.kmerl.model.data.Lead;
import org.kmerl.model.ecg.EcgEncoderConfig;
import org.kmerl.model.ecg.TokenLayout;
import org.kmerl.model.ecg.TokenSelection;
import org.kmerl.model.kmerl.KmerlConfig;
import org.kmerl.model.kmerl.KmerlModel;
import org.kmerl.optim.AdamW;
import org.kmerl.optim.ParamGroup;
import org.kmerl.tensor.Device;
import org.kmerl.tensor.Generator;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.TensorScope;
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

    private Step step;

    @Setup
    public void setUp() {
        step = Step.on(Device.CPU, leads);
    }

    @Benchmark
    public float trainingStep() {
        return step.run();
    }

    /** The model, its optimizer and one fixed batch on a device; {@link #run} is one training step. */
    public static final class Step {
        private final KmerlModel model;
        private final AdamW optimizer;
        private final Tensor signals;
        private final Tensor reports;
        private final Tensor entityText;
        private final Tensor labels;
        private final TokenLayout layout;

        private Step(Device device, int leads) {
            model = new KmerlModel(CONFIG, new Generator(1));
            model.to(device);
            optimizer = new AdamW(ParamGroup.decayMatricesOnly(model.namedParameters(), 1e-4, 0.05), 0.9f, 0.999f, 1e-8f);
            EcgEncoderConfig e = CONFIG.encoder();
            Generator g = new Generator(2);
            signals = g.normal(0, 1, BATCH, 12, e.samples()).moveTo(device);
            reports = g.normal(0, 1, BATCH, TEXT_DIM).moveTo(device);
            entityText = g.normal(0, 1, ENTITIES, TEXT_DIM).moveTo(device);
            labels = g.uniform(0, 1, BATCH, ENTITIES).lt(Tensor.scalar(0.1f)).toFloat().moveTo(device);
            layout = TokenLayout.of(selections(leads, e.patchesPerLead()), e.patchesPerLead(), device);
        }

        public static Step on(Device device, int leads) {
            return new Step(device, leads);
        }

        /** Zero grad, forward, dual loss, backward, AdamW; returns the loss (read back, so the device has finished). */
        public float run() {
            try (TensorScope scope = TensorScope.open()) {
                optimizer.zeroGrad();
                var loss = model.losses(signals, layout, reports, entityText, labels).total();
                loss.backward();
                optimizer.step();
                return loss.item();
            }
        }
    }

    /** The first {@code leads} leads, every fourth patch removed (30 of 40 kept), the same for each sample. */
    public static List<TokenSelection> selections(int leads, int patchesPerLead) {
        int[] kept = java.util.stream.IntStream.range(0, patchesPerLead).filter(j -> j % 4 != 3).toArray();
        Lead[] chosen = Arrays.copyOf(Lead.values(), leads);
        int[][] patches = new int[leads][];
        Arrays.fill(patches, kept);
        List<TokenSelection> out = new ArrayList<>();
        for (int i = 0; i < BATCH; i++) {
            out.add(new TokenSelection(chosen, patches));
        }
        return out;
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
