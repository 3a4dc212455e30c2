package org.kmerl.model.kmerl;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.kmerl.autograd.GradCheck;
import org.kmerl.model.data.Lead;
import org.kmerl.model.ecg.LeadMasking;
import org.kmerl.model.ecg.TokenLayout;
import org.kmerl.tensor.Device;
import org.kmerl.tensor.Generator;
import org.kmerl.tensor.Tensor;

class KmerlModelTest {
    @Test
    void gradientsOfTheWholeModelMatchFiniteDifferences() {
        KmerlConfig config = KmerlConfig.Preset.MICRO.config().withTextDim(8);
        KmerlModel model = new KmerlModel(config, new Generator(7));
        int b = 4;
        int e = 5;
        Generator g = new Generator(8);
        Tensor signals = g.normal(0, 1, b, 12, config.encoder().samples());
        // Per-sample counts, so the check also covers padding in attention, pooling and cross-attention.
        TokenLayout layout = TokenLayout.of(new LeadMasking(0.3, new int[] {9, 10}, 0.25, false)
                        .draw(Collections.nCopies(b, List.of(Lead.values())), config.encoder().patchesPerLead(),
                                new SplittableRandom(9)), config.encoder().patchesPerLead(), Device.CPU);
        Tensor reports = g.normal(0, 1, b, 8);
        Tensor entities = g.normal(0, 1, e, 8);
        float[] y = new float[b * e];
        SplittableRandom r = new SplittableRandom(10);
        for (int i = 0; i < y.length; i++) {
            y[i] = r.nextInt(3) == 0 ? 1f : 0f;
        }
        Tensor labels = Tensor.of(y, b, e);
        int checked = new GradCheck(2e-3, 1e-3, 2e-2).checkParameters("K-MERL micro",
                () -> model.losses(signals, layout, reports, entities, labels).total(), model.namedParameters(), 3, 11);
        assertTrue(checked > 60, "checked " + checked + " parameter elements");
    }
}
