package org.kmerl.model.kmerl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.kmerl.model.data.Lead;
import org.kmerl.model.ecg.TokenLayout;
import org.kmerl.model.ecg.TokenSelection;
import org.kmerl.tensor.Device;
import org.kmerl.tensor.Generator;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.io.SafeTensors;

/**
 * The whole K-MERL micro model against the same network written out in PyTorch
 * (src/test/python/make_kmerl_golden.py, evaluated in float64): the token layout, both loss terms,
 * the entity logits and the gradient of every parameter.
 */
class KmerlGoldenTest {
    /** The kept leads and patches of make_kmerl_golden.py's SAMPLES. */
    static List<TokenSelection> samples() {
        int[] all = {0, 1, 2, 3, 4, 5, 6, 7};
        int[][] full = new int[12][];
        java.util.Arrays.fill(full, all);
        List<TokenSelection> s = new ArrayList<>();
        s.add(new TokenSelection(Lead.values(), full));
        s.add(new TokenSelection(new Lead[] {Lead.II, Lead.V2}, new int[][] {{0, 2, 3, 5, 7}, {1, 2, 4, 5, 6}}));
        s.add(new TokenSelection(new Lead[] {Lead.AVL}, new int[][] {{0, 1, 2, 3, 4}}));
        return s;
    }

    @Test
    void lossesLogitsAndEveryParameterGradientMatchPyTorch() throws IOException {
        Path file = Path.of("src/test/resources/golden/kmerl-micro.safetensors");
        try (SafeTensors.Content golden = SafeTensors.read(file)) {
            Map<String, Tensor> t = golden.tensors();
            KmerlModel model = new KmerlModel(KmerlConfig.Preset.MICRO.config().withTextDim(8), new Generator(0));
            Map<String, Tensor> weights = new LinkedHashMap<>();
            t.forEach((k, v) -> {
                if (k.startsWith("param.")) {
                    weights.put(k.substring(6), v);
                }
            });
            model.loadStateDict(weights, true);
            assertEquals(weights.keySet(), model.stateDict().keySet(), "kmerl's parameter names are the fixture's");

            TokenLayout layout = TokenLayout.of(samples(), 8, Device.CPU);
            assertArrayEquals(t.get("index").toIntArray(), layout.index().toIntArray(), "token rows");
            assertArrayEquals(t.get("padding").toFloatArray(), layout.padding().toFloatArray(), "padding");

            KmerlModel.Losses losses = model.losses(t.get("signals"), layout, t.get("reports"), t.get("entity_text"),
                    t.get("labels"));
            close(t.get("loss.contrastive"), losses.contrastive().data(), "contrastive loss");
            close(t.get("loss.entity"), losses.entity().data(), "entity loss");
            close(t.get("loss.total"), losses.total().data(), "total loss");
            close(t.get("logits"), losses.entityLogits().data(), "entity logits");
            losses.total().backward();
            int checked = 0;
            for (var p : model.namedParameters().entrySet()) {
                close(t.get("grad." + p.getKey()), p.getValue().grad(), "gradient of " + p.getKey());
                checked++;
            }
            assertEquals(61, checked);
        }
    }

    /** |a - e| <= 2e-5 + 1e-4 |e| element by element (float32 against a float64 reference). */
    static void close(Tensor expected, Tensor actual, String what) {
        float[] e = expected.toFloatArray();
        float[] a = actual.toFloatArray();
        assertEquals(e.length, a.length, what + ": size");
        for (int i = 0; i < e.length; i++) {
            double tol = 2e-5 + 1e-4 * Math.abs(e[i]);
            assertTrue(Math.abs(a[i] - e[i]) <= tol, what + "[" + i + "]: kmerl " + a[i] + ", PyTorch " + e[i]);
        }
    }
}
