package org.kmerl.model.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kmerl.model.data.Lead;
import org.kmerl.model.kmerl.KmerlConfig;
import org.kmerl.model.kmerl.KmerlModel;
import org.kmerl.tensor.Device;
import org.kmerl.tensor.Generator;
import org.kmerl.tensor.Tensor;

/** What each lead view feeds the encoder, checked on a random micro model. */
class FeaturesTest {
    private static final KmerlConfig CONFIG = KmerlConfig.Preset.MICRO.config();

    private static Features run(KmerlModel model, float[][] x, List<List<Lead>> leads, LeadView view, Tensor text) {
        return Features.compute(model, Device.CPU, EcgInputs.of(x, leads, CONFIG.encoder().samples()), view, text,
                new int[] {text.dim(0)}, null);
    }

    @Test
    void aLeadViewDropsTheOtherLeadsAndTheBaselineZeroFillsThem() {
        KmerlModel model = new KmerlModel(CONFIG, new Generator(3));
        model.eval();
        int length = CONFIG.encoder().samples();
        Generator g = new Generator(4);
        float[][] x = new float[3][];
        for (int i = 0; i < 3; i++) {
            x[i] = g.normal(0, 1, 12 * length).toFloatArray();
        }
        Tensor text = g.normal(0, 1, 5, CONFIG.textDim());
        List<Lead> all = List.of(Lead.values());
        List<List<Lead>> twelve = List.of(all, all, all);
        Features full = run(model, x, twelve, LeadView.parse("all", false), text);
        assertEquals(3, full.query().length);
        assertEquals(5, full.query()[0].length);
        assertEquals(CONFIG.encoder().width(), full.pooled()[0].length);
        assertArrayEquals(full.query()[1], run(model, x, twelve, LeadView.parse("all", true), text).query()[1],
                "zero-filling has nothing to fill with all 12 leads");

        // Lead I only: the same as records that have nothing but lead I.
        Features onlyI = run(model, x, twelve, LeadView.parse("I", false), text);
        Features recordsOfI = run(model, x, List.of(List.of(Lead.I), List.of(Lead.I), List.of(Lead.I)),
                LeadView.parse("all", false), text);
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(recordsOfI.query()[i], onlyI.query()[i], 1e-6f);
            assertArrayEquals(recordsOfI.pooled()[i], onlyI.pooled()[i], 1e-6f);
        }
        assertTrue(!Arrays.equals(full.query()[0], onlyI.query()[0]), "fewer leads, other scores");

        // The baseline: 12 leads' tokens, the 11 outside the view all zeros.
        float[][] zeroed = new float[3][];
        for (int i = 0; i < 3; i++) {
            zeroed[i] = new float[12 * length];
            System.arraycopy(x[i], 0, zeroed[i], 0, length);
        }
        Features filled = run(model, x, twelve, LeadView.parse("I", true), text);
        Features ofZeros = run(model, zeroed, twelve, LeadView.parse("all", false), text);
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(ofZeros.similarity()[i], filled.similarity()[i], 1e-6f);
        }
        assertTrue(!Arrays.equals(filled.query()[0], onlyI.query()[0]), "zero-filled tokens are tokens");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> run(model, x,
                List.of(all, List.of(Lead.II), all), LeadView.parse("I", false), text));
        assertTrue(e.getMessage().contains("record 1") && e.getMessage().contains("view I"), e.getMessage());
    }

    /** Each task's classes form their own query set: asking another task alongside changes nothing. */
    @Test
    void tasksAreAskedAsSeparateQuerySets() {
        KmerlModel model = new KmerlModel(CONFIG, new Generator(3));
        model.eval();
        int length = CONFIG.encoder().samples();
        Generator g = new Generator(5);
        float[][] x = {g.normal(0, 1, 12 * length).toFloatArray(), g.normal(0, 1, 12 * length).toFloatArray()};
        List<List<Lead>> leads = List.of(List.of(Lead.values()), List.of(Lead.values()));
        EcgInputs inputs = EcgInputs.of(x, leads, length);
        Tensor taskA = g.normal(0, 1, 3, CONFIG.textDim());
        Tensor both = org.kmerl.tensor.JoinOps.concat(List.of(taskA, g.normal(0, 1, 4, CONFIG.textDim())), 0);
        LeadView all = LeadView.parse("all", false);
        Features alone = Features.compute(model, Device.CPU, inputs, all, taskA, new int[] {3}, null);
        Features separate = Features.compute(model, Device.CPU, inputs, all, both, new int[] {3, 4}, null);
        Features together = Features.compute(model, Device.CPU, inputs, all, both, new int[] {7}, null);
        for (int i = 0; i < 2; i++) {
            assertEquals(7, separate.query()[i].length);
            assertArrayEquals(alone.query()[i], Arrays.copyOf(separate.query()[i], 3), 1e-6f);
            assertArrayEquals(alone.similarity()[i], Arrays.copyOf(together.similarity()[i], 3), 1e-6f,
                    "similarity has no interaction between classes");
        }
        assertTrue(!Arrays.equals(Arrays.copyOf(together.query()[0], 3), Arrays.copyOf(separate.query()[0], 3)),
                "one query set of 7 is not two sets: the queries attend to each other");
    }
}
