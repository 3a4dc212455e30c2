package org.kmerl.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.kmerl.autograd.Variable;
import org.kmerl.tensor.Generator;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.testing.TensorAssert;

class ModuleTest {
    private static TransformerDecoderLayer decoder() {
        return new TransformerDecoderLayer(TransformerConfig.builder(8, 2).mlpDim(12).dropout(0.1f).build(),
                new Generator(1));
    }

    @Test
    void parametersHaveDottedNamesInRegistrationOrder() {
        TransformerDecoderLayer layer = decoder();
        List<String> names = List.copyOf(layer.namedParameters().keySet());
        assertEquals("norm1.weight", names.get(0));
        assertTrue(names.contains("selfAttention.q.weight"));
        assertTrue(names.contains("crossAttention.out.bias"));
        assertEquals("mlp.fc2.bias", names.get(names.size() - 1));
        // 3 layer norms (2*8 each), 2 attentions (4 * (64 + 8)), MLP (8*12 + 12 + 12*8 + 8).
        assertEquals(3 * 16 + 2 * 4 * 72 + (96 + 12 + 96 + 8), layer.parameterCount());
    }

    @Test
    void sameSeedSameInitialisation() {
        Map<String, Tensor> a = decoder().stateDict();
        Map<String, Tensor> b = decoder().stateDict();
        a.forEach((k, t) -> TensorAssert.assertBitwiseEqual(t, b.get(k), k));
    }

    @Test
    void loadStateDictReportsEveryProblemAtOnceAndChangesNothing() {
        TransformerDecoderLayer layer = decoder();
        Map<String, Tensor> state = new LinkedHashMap<>(layer.stateDict());
        float before = layer.stateDict().get("norm2.weight").get(0);
        state.remove("norm1.bias");
        state.put("extra.weight", Tensor.ones(2));
        state.put("norm2.weight", Tensor.ones(9));
        state.put("mlp.fc1.weight", Tensor.zeros(12, 8).add(5f));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> layer.loadStateDict(state, true));
        String m = e.getMessage();
        assertTrue(m.contains("missing keys: [norm1.bias]"), m);
        assertTrue(m.contains("unexpected keys: [extra.weight]"), m);
        assertTrue(m.contains("norm2.weight: expected [8] float32, got [9] float32"), m);
        assertEquals(0f, layer.stateDict().get("mlp.fc1.weight").sub(5f).abs().min(0, 1).item() == 0 ? 1f : 0f);
        assertEquals(before, layer.stateDict().get("norm2.weight").get(0));
    }

    @Test
    void nonStrictLoadSkipsMissingKeysButStillChecksShapes() {
        TransformerDecoderLayer layer = decoder();
        Map<String, Tensor> partial = Map.of("norm1.weight", Tensor.full(3f, 8));
        layer.loadStateDict(partial, false);
        assertArrayEquals(Tensor.full(3f, 8).toFloatArray(), layer.stateDict().get("norm1.weight").toFloatArray());
        assertThrows(IllegalArgumentException.class, () -> layer.loadStateDict(Map.of("norm1.weight", Tensor.ones(2)),
                false));
    }

    @Test
    void dropoutIsActiveOnlyInTraining() {
        TransformerEncoderLayer layer = new TransformerEncoderLayer(
                TransformerConfig.builder(8, 2).dropout(0.5f).attentionDropout(0.5f).build(), new Generator(2));
        Variable x = Variable.constant(new Generator(3).normal(0, 1, 2, 4, 8));
        Tensor train1 = layer.forward(x, null).data();
        Tensor train2 = layer.forward(x, null).data();
        assertNotEquals(train1.sub(train2).abs().max().item(), 0f, "fresh masks each call");
        layer.eval();
        assertFalse(layer.isTraining());
        TensorAssert.assertBitwiseEqual(layer.forward(x, null).data(), layer.forward(x, null).data(), "eval is deterministic");
    }

    @Test
    void encoderHandlesPaddingLikeTruncation() {
        // The unpadded positions of a padded batch equal a forward over the truncated sequence.
        TransformerEncoder encoder = new TransformerEncoder(TransformerConfig.builder(8, 2).build(), 2, new Generator(4));
        Tensor x = new Generator(5).normal(0, 1, 1, 6, 8);
        Tensor padding = Tensor.of(new float[] {0, 0, 0, 0, 1, 1}, 1, 6);
        Tensor padded = encoder.forward(Variable.constant(x), padding).data().narrow(1, 0, 4);
        Tensor truncated = encoder.forward(Variable.constant(x.narrow(1, 0, 4)), null).data();
        TensorAssert.assertClose(truncated, padded, 1e-5, 1e-6, "padded vs truncated");
    }

    @Test
    void linearRejectsWrongFeatureCounts() {
        Linear linear = new Linear(4, 3, true, new Generator(6));
        org.kmerl.tensor.ShapeException e = assertThrows(org.kmerl.tensor.ShapeException.class,
                () -> linear.forward(Variable.constant(Tensor.zeros(2, 5))));
        assertTrue(e.getMessage().contains("linear") && e.getMessage().contains("[2, 5]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TransformerConfig.builder(10, 3).build());
    }

    /** A module with a buffer: non-trainable state that is saved, loaded and moved with the parameters. */
    private static final class Counter extends Module {
        Counter() {
            registerParameter("scale", persistent(() -> Tensor.ones(2)));
            registerBuffer("seen", persistent(() -> Tensor.zeros(1)));
        }

        Tensor seen() {
            return buffer("seen");
        }
    }

    @Test
    void buffersAreStateButNotParameters() {
        Counter c = new Counter();
        assertEquals(List.of("scale"), List.copyOf(c.namedParameters().keySet()));
        assertEquals(List.of("scale", "seen"), List.copyOf(c.stateDict().keySet()));
        c.loadStateDict(Map.of("scale", Tensor.ones(2), "seen", Tensor.full(5f, 1)), true);
        assertEquals(5f, c.seen().item());
        assertThrows(IllegalArgumentException.class, () -> c.registerBuffer("seen", Tensor.zeros(1)));
    }
}
