package org.kmerl.model.ecg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.kmerl.autograd.GradMode;
import org.kmerl.model.data.Lead;
import org.kmerl.model.kmerl.KmerlConfig;
import org.kmerl.tensor.Device;
import org.kmerl.tensor.Generator;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.TensorScope;

class EcgEncoderTest {
    static final EcgEncoderConfig MICRO = KmerlConfig.Preset.MICRO.config().encoder();

    @Test
    void everyLeadSubsetFromOneToTwelveLeadsGivesAnEmbeddingOfTheSameWidth() {
        EcgEncoder encoder = new EcgEncoder(MICRO, new Generator(1));
        encoder.eval();
        int m = MICRO.patchesPerLead();
        List<TokenSelection> subsets = new ArrayList<>();
        for (int mask = 1; mask < 1 << 12; mask++) {
            List<Lead> leads = new ArrayList<>();
            for (Lead l : Lead.values()) {
                if ((mask & 1 << l.ordinal()) != 0) {
                    leads.add(l);
                }
            }
            subsets.add(TokenSelection.all(leads, m));
        }
        try (TensorScope scope = TensorScope.open(); GradMode.Scope off = GradMode.disabled()) {
            Tensor signals = new Generator(2).normal(0, 1, subsets.size(), 12, MICRO.samples());
            TokenLayout layout = TokenLayout.of(subsets, m, Device.CPU);
            float[] pooled = encoder.forward(signals, layout).pooled().data().toFloatArray();
            assertEquals(4095 * MICRO.width(), pooled.length);
            for (float v : pooled) {
                assertTrue(Float.isFinite(v));
            }
            // Padding must not change a sample: each of a few subsets alone (no padding) gives the same vector.
            for (int s : new int[] {0, 1, 6, 700, 2047, 4094}) {
                TokenLayout alone = TokenLayout.of(List.of(subsets.get(s)), m, Device.CPU);
                float[] single = encoder.forward(signals.narrow(0, s, 1), alone).pooled().data().toFloatArray();
                float[] inBatch = Arrays.copyOfRange(pooled, s * MICRO.width(), (s + 1) * MICRO.width());
                for (int i = 0; i < single.length; i++) {
                    assertEquals(single[i], inBatch[i], 1e-5f, "subset " + s + " element " + i);
                }
            }
        }
    }

    @Test
    void removedLeadsAndSegmentsCannotInfluenceTheOutputButKeptOnesDo() {
        EcgEncoder encoder = new EcgEncoder(MICRO, new Generator(3));
        int m = MICRO.patchesPerLead();
        int p = MICRO.patch();
        LeadMasking masking = new LeadMasking(0.0, new int[] {9, 10}, 0.25, false);
        List<TokenSelection> sel = masking.draw(Collections.nCopies(6, List.of(Lead.values())), m,
                new SplittableRandom(4));
        try (TensorScope scope = TensorScope.open(); GradMode.Scope off = GradMode.disabled()) {
            Tensor signals = new Generator(5).normal(0, 1, 6, 12, MICRO.samples());
            TokenLayout layout = TokenLayout.of(sel, m, Device.CPU);
            assertFalse(layout.padding() == null, "per-sample counts 2 or 3 leads give padding");
            float[] before = encoder.forward(signals, layout).pooled().data().toFloatArray();

            float[] x = signals.toFloatArray();
            SplittableRandom noise = new SplittableRandom(6);
            boolean[][][] kept = new boolean[6][12][m];
            for (int s = 0; s < 6; s++) {
                TokenSelection t = sel.get(s);
                for (int l = 0; l < t.leads().length; l++) {
                    for (int j : t.patches()[l]) {
                        kept[s][t.leads()[l].ordinal()][j] = true;
                    }
                }
            }
            int perturbed = 0;
            for (int s = 0; s < 6; s++) {
                for (int l = 0; l < 12; l++) {
                    for (int j = 0; j < m; j++) {
                        if (!kept[s][l][j]) {
                            for (int k = 0; k < p; k++) {
                                x[(s * 12 + l) * MICRO.samples() + j * p + k] = (float) (100 * noise.nextGaussian());
                            }
                            perturbed++;
                        }
                    }
                }
            }
            assertTrue(perturbed > 6 * 9 * m, "most tokens were removed");
            float[] after = encoder.forward(Tensor.of(x, 6, 12, MICRO.samples()), layout).pooled().data().toFloatArray();
            assertArrayEquals(before, after, "removed tokens changed the output");

            // The check can fail: changing one kept patch of sample 2 changes sample 2 only.
            TokenSelection t = sel.get(2);
            int lead = t.leads()[0].ordinal();
            int patch = t.patches()[0][0];
            x[(2 * 12 + lead) * MICRO.samples() + patch * p] += 1f;
            float[] changed = encoder.forward(Tensor.of(x, 6, 12, MICRO.samples()), layout).pooled().data()
                    .toFloatArray();
            int w = MICRO.width();
            assertFalse(Arrays.equals(Arrays.copyOfRange(before, 2 * w, 3 * w), Arrays.copyOfRange(changed, 2 * w, 3 * w)));
            assertArrayEquals(Arrays.copyOfRange(before, 0, 2 * w), Arrays.copyOfRange(changed, 0, 2 * w));
        }
    }

    @Test
    void sharedProjectionIsAnOptionWithItsOwnParameters() {
        EcgEncoder shared = new EcgEncoder(MICRO.withSharedProjection(true), new Generator(1));
        assertArrayEquals(new int[] {1, MICRO.patch(), MICRO.width()},
                shared.namedParameters().get("tokenizer.projection").shape());
        assertTrue(shared.namedParameters().containsKey("tokenizer.bias"));
        EcgEncoder perLead = new EcgEncoder(MICRO, new Generator(1));
        assertArrayEquals(new int[] {12, MICRO.patch(), MICRO.width()},
                perLead.namedParameters().get("tokenizer.projection").shape());
    }

    @Test
    void wrongSignalShapeNamesTheExpectedShape() {
        EcgEncoder encoder = new EcgEncoder(MICRO, new Generator(1));
        TokenLayout layout = TokenLayout.of(List.of(TokenSelection.all(List.of(Lead.I), MICRO.patchesPerLead())),
                MICRO.patchesPerLead(), Device.CPU);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> encoder.forward(Tensor.zeros(1, 12, 150), layout));
        assertTrue(e.getMessage().contains("[B, 12, 200]"), e.getMessage());
    }
}
