package org.kmerl.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kmerl.nn.TransformerConfig;
import org.kmerl.optim.AdamW;
import org.kmerl.optim.Sgd;
import org.kmerl.tensor.Generator;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.TensorScope;
import org.kmerl.tensor.io.SafeTensors;
import org.kmerl.tensor.io.SafeTensorsException;
import org.kmerl.tensor.testing.TensorAssert;
import org.kmerl.testing.FirstEqualsLastTask;
import org.kmerl.testing.TinyClassifier;

class CheckpointTest {
    @TempDir
    Path dir;

    /** A model, its optimizer and its data stream: everything a run needs. */
    private static final class Run {
        final TinyClassifier model;
        final AdamW optimizer;
        final Generator data = new Generator(7);

        Run(long seed) {
            TransformerConfig config = TransformerConfig.builder(16, 2).mlpDim(32).dropout(0.1f)
                    .attentionDropout(0.1f).build();
            model = new TinyClassifier(FirstEqualsLastTask.VOCAB, FirstEqualsLastTask.LENGTH, 2, config, 2,
                    new Generator(seed));
            optimizer = AdamW.of(model.namedParameters(), 1e-2, 0.01);
        }

        Map<String, Generator> generators() {
            Map<String, Generator> g = new LinkedHashMap<>();
            g.put("data", data);
            model.namedGenerators().forEach((k, v) -> g.put("model." + k, v));
            return g;
        }

        List<Float> train(int steps) {
            List<Float> losses = new ArrayList<>();
            for (int i = 0; i < steps; i++) {
                try (TensorScope scope = TensorScope.open()) {
                    FirstEqualsLastTask.Batch b = FirstEqualsLastTask.batch(data, 16);
                    optimizer.zeroGrad();
                    var loss = model.loss(b.ids(), b.labels());
                    losses.add(loss.item());
                    loss.backward();
                    optimizer.step();
                }
            }
            return losses;
        }
    }

    @Test
    void resumedRunEqualsAnUninterruptedOneBitForBit() throws IOException {
        List<Float> uninterrupted = new Run(1).train(8);

        Run first = new Run(1);
        List<Float> resumed = new ArrayList<>(first.train(4));
        Checkpoints.saveWeights(dir.resolve("model.safetensors"), first.model, Map.of("step", "4"));
        Checkpoints.saveTrainingState(dir.resolve("state.safetensors"), first.optimizer, first.generators(),
                Map.of("epoch", "0"));

        Run second = new Run(12345); // different initialisation and generators: everything must come from the files
        Checkpoints.loadWeights(dir.resolve("model.safetensors"), second.model, true);
        Checkpoints.TrainingState state = Checkpoints.loadTrainingState(dir.resolve("state.safetensors"),
                second.optimizer, second.generators());
        assertEquals(4, state.steps());
        assertEquals(Map.of("epoch", "0"), state.extra());
        resumed.addAll(second.train(4));
        assertEquals(uninterrupted, resumed, "losses after resume equal the uninterrupted run's");
    }

    @Test
    void weightsFileIsPlainSafetensorsWithDottedNames() throws IOException {
        Run run = new Run(3);
        Path file = dir.resolve("w.safetensors");
        Checkpoints.saveWeights(file, run.model, Map.of("note", "test"));
        try (SafeTensors.Content c = SafeTensors.read(file)) {
            assertEquals(run.model.stateDict().keySet(), c.tensors().keySet().stream()
                    .collect(java.util.stream.Collectors.toSet()));
            assertTrue(c.tensors().containsKey("encoder.layers.1.attention.q.weight"));
            assertEquals("test", c.metadata().get("note"));
            assertEquals("kmerl", c.metadata().get("producer"));
            TensorAssert.assertBitwiseEqual(run.model.stateDict().get("head.weight"), c.tensors().get("head.weight"), "head");
        }
    }

    @Test
    void mismatchedFilesFailWithTheFileNameAndTheDifferences() throws IOException {
        Run run = new Run(3);
        Path weights = dir.resolve("w.safetensors");
        SafeTensors.write(weights, Map.of("head.weight", Tensor.zeros(3, 3)), Map.of());
        SafeTensorsException e = assertThrows(SafeTensorsException.class,
                () -> Checkpoints.loadWeights(weights, run.model, true));
        assertTrue(e.getMessage().startsWith(weights.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("missing keys") && e.getMessage().contains("head.weight: expected [2, 16]"),
                e.getMessage());

        Path state = dir.resolve("state.safetensors");
        Checkpoints.saveTrainingState(state, run.optimizer, run.generators(), Map.of());
        SafeTensorsException notState = assertThrows(SafeTensorsException.class,
                () -> Checkpoints.loadTrainingState(weights, run.optimizer, run.generators()));
        assertTrue(notState.getMessage().contains("not a kmerl training-state file"), notState.getMessage());
        Sgd sgd = Sgd.of(run.model.namedParameters(), 0.1, 0.9f);
        SafeTensorsException wrongOptimizer = assertThrows(SafeTensorsException.class,
                () -> Checkpoints.loadTrainingState(state, sgd, run.generators()));
        assertTrue(wrongOptimizer.getMessage().contains("saved by optimizer AdamW"), wrongOptimizer.getMessage());
        SafeTensorsException wrongGenerators = assertThrows(SafeTensorsException.class,
                () -> Checkpoints.loadTrainingState(state, run.optimizer, Map.of("data", run.data)));
        assertTrue(wrongGenerators.getMessage().contains("do not match"), wrongGenerators.getMessage());

        byte[] bytes = Files.readAllBytes(state);
        Files.write(state, java.util.Arrays.copyOf(bytes, bytes.length - 10));
        SafeTensorsException truncated = assertThrows(SafeTensorsException.class,
                () -> Checkpoints.loadTrainingState(state, run.optimizer, run.generators()));
        assertTrue(truncated.getMessage().contains("truncated"), truncated.getMessage());
    }
}
