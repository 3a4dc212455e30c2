package org.kmerl.model.kmerl;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.kmerl.model.data.Lead;
import org.kmerl.model.ecg.EcgEncoderConfig;
import org.kmerl.model.ecg.TokenLayout;
import org.kmerl.model.ecg.TokenSelection;
import org.kmerl.optim.AdamW;
import org.kmerl.optim.ParamGroup;
import org.kmerl.tensor.Device;
import org.kmerl.tensor.Generator;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.TensorScope;

/**
 * One K-MERL pretraining step on a fixed random batch, for benchmarks and profiling: the model and
 * AdamW on a device, random signals, report and entity embeddings and multi-hot labels, and a token
 * layout keeping the first {@code leads} leads with every fourth patch removed (the shape of a masked
 * batch). {@link #run} is zero grad, forward, dual loss, backward, optimizer step.
 */
public final class SyntheticStep {
    private final KmerlModel model;
    private final AdamW optimizer;
    private final Tensor signals;
    private final Tensor reports;
    private final Tensor entityText;
    private final Tensor labels;
    private final TokenLayout layout;

    public SyntheticStep(KmerlConfig config, Device device, int leads, int batch, int entities) {
        model = new KmerlModel(config, new Generator(1));
        model.to(device);
        optimizer = new AdamW(ParamGroup.decayMatricesOnly(model.namedParameters(), 1e-4, 0.05), 0.9f, 0.999f, 1e-8f);
        EcgEncoderConfig e = config.encoder();
        Generator g = new Generator(2);
        signals = g.normal(0, 1, batch, 12, e.samples()).moveTo(device);
        reports = g.normal(0, 1, batch, config.textDim()).moveTo(device);
        entityText = g.normal(0, 1, entities, config.textDim()).moveTo(device);
        labels = g.uniform(0, 1, batch, entities).lt(Tensor.scalar(0.1f)).toFloat().moveTo(device);
        layout = TokenLayout.of(selections(leads, e.patchesPerLead(), batch), e.patchesPerLead(), device);
    }

    /** One training step; returns the loss (read back, so the device has finished). */
    public float run() {
        try (TensorScope scope = TensorScope.open()) {
            optimizer.zeroGrad();
            var loss = model.losses(signals, layout, reports, entityText, labels).total();
            loss.backward();
            optimizer.step();
            return loss.item();
        }
    }

    /** The first {@code leads} leads, every fourth patch removed (30 of 40 kept), the same for each sample. */
    public static List<TokenSelection> selections(int leads, int patchesPerLead, int batch) {
        int[] kept = IntStream.range(0, patchesPerLead).filter(j -> j % 4 != 3).toArray();
        Lead[] chosen = Arrays.copyOf(Lead.values(), leads);
        int[][] patches = new int[leads][];
        Arrays.fill(patches, kept);
        List<TokenSelection> out = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
            out.add(new TokenSelection(chosen, patches));
        }
        return out;
    }
}
