package org.kmerl.model.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kmerl.tensor.testing.TensorAssert.assertClose;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kmerl.autograd.GradMode;
import org.kmerl.autograd.Variable;
import org.kmerl.model.text.tokenizer.TokenBatch;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.io.SafeTensors;

/**
 * A tiny random BERT written in Hugging Face layout by make_tiny_bert.py, against PyTorch's forward
 * of the same weights (float64, transformers' semantics) and the Rust tokenizers' ids.
 */
class HuggingFaceBertTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static Path tinyBert() throws URISyntaxException {
        return Path.of(HuggingFaceBertTest.class.getResource("/text/tiny-bert").toURI());
    }

    private static SafeTensors.Content expected() throws Exception {
        return SafeTensors.read(Path.of(HuggingFaceBertTest.class.getResource("/text/tiny-bert-expected.safetensors").toURI()));
    }

    private static List<String> texts(SafeTensors.Content expected) throws IOException {
        return JSON.readValue(expected.metadata().get("texts"), new TypeReference<List<String>>() { });
    }

    @Test
    void tokenizesLikeHuggingFaceTokenizers() throws Exception {
        TextEncoder encoder = TextEncoder.fromHuggingFace(tinyBert());
        try (SafeTensors.Content expected = expected(); TokenBatch batch = encoder.tokenize(texts(expected))) {
            assertArrayEquals(expected.tensors().get("input_ids").toIntArray(), batch.ids().toIntArray());
            int[] mask = expected.tensors().get("attention_mask").toIntArray();
            int[] padding = batch.padding().toIntArray();
            for (int i = 0; i < mask.length; i++) {
                assertEquals(1 - mask[i], padding[i], "padding at " + i);
            }
        }
    }

    @Test
    void forwardMatchesPyTorch() throws Exception {
        TextEncoder encoder = TextEncoder.fromHuggingFace(tinyBert());
        assertTrue(encoder.model().hasPooler());
        try (SafeTensors.Content expected = expected(); TokenBatch batch = encoder.tokenize(texts(expected));
             GradMode.Scope off = GradMode.disabled()) {
            Variable hidden = encoder.model().forward(batch.ids(), batch.padding());
            assertClose(expected.tensors().get("last_hidden_state"), hidden.data(), 1e-5, 1e-5, "last_hidden_state");
            assertClose(expected.tensors().get("pooler_output"), encoder.model().pool(hidden).data(), 1e-5, 1e-5,
                    "pooler_output");
        }
    }

    @Test
    void pooledEmbeddingsMatchPyTorchWhateverTheBatching() throws Exception {
        TextEncoder encoder = TextEncoder.fromHuggingFace(tinyBert());
        try (SafeTensors.Content expected = expected()) {
            List<String> texts = texts(expected);
            // Batches of 4 sorted by length: rows are padded differently than in the fixture's single batch.
            for (int batchSize : new int[] {1, 4, 32}) {
                TextEncoder e = encoder.withBatchSize(batchSize);
                try (Tensor mean = e.withPooling(Pooling.MEAN).embed(texts);
                     Tensor pooler = e.withPooling(Pooling.POOLER).embed(texts);
                     Tensor cls = e.embed(texts)) {
                    assertClose(expected.tensors().get("mean_pooled"), mean, 1e-5, 1e-5, "mean, batch " + batchSize);
                    assertClose(expected.tensors().get("pooler_output"), pooler, 1e-5, 1e-5, "pooler, batch " + batchSize);
                    try (Tensor first = expected.tensors().get("last_hidden_state").select(1, 0).contiguous()) {
                        assertClose(first, cls, 1e-5, 1e-5, "cls, batch " + batchSize);
                    }
                }
            }
        }
    }

    @Test
    void normalisedEmbeddingsHaveUnitNorm() throws Exception {
        TextEncoder encoder = TextEncoder.fromHuggingFace(tinyBert()).withNormalize(true);
        try (Tensor v = encoder.embed(List.of("sinus rhythm", "no change, normal ecg"))) {
            float[] a = v.toFloatArray();
            for (int r = 0; r < 2; r++) {
                double n = 0;
                for (int j = 0; j < encoder.dimension(); j++) {
                    n += a[r * encoder.dimension() + j] * a[r * encoder.dimension() + j];
                }
                assertEquals(1.0, Math.sqrt(n), 1e-5);
            }
        }
    }

    @Test
    void exportRoundTripsExactly(@TempDir Path dir) throws Exception {
        TextEncoder encoder = TextEncoder.fromHuggingFace(tinyBert()).withPooling(Pooling.POOLER);
        encoder.exportHuggingFace(dir);
        TextEncoder reloaded = TextEncoder.fromHuggingFace(dir).withPooling(Pooling.POOLER);
        List<String> texts = List.of("left bundle branch block", "rapid atrial fibrillation");
        try (Tensor a = encoder.embed(texts); Tensor b = reloaded.embed(texts)) {
            assertArrayEquals(a.toFloatArray(), b.toFloatArray());
        }
        assertEquals(encoder.model().config(), reloaded.model().config());
        assertEquals(encoder.tokenizer().wordPiece().tokensById(), reloaded.tokenizer().wordPiece().tokensById());
        // The weights file is a plain safetensors file with the Hugging Face names.
        try (SafeTensors.Content c = SafeTensors.read(dir.resolve("model.safetensors"))) {
            assertTrue(c.tensors().containsKey("encoder.layer.1.attention.self.query.weight"));
            assertEquals("pt", c.metadata().get("format"));
        }
    }

    @Test
    void gradientsReachEveryParameterAndMatchFiniteDifferences() throws Exception {
        TextEncoder encoder = TextEncoder.fromHuggingFace(tinyBert()).withPooling(Pooling.MEAN);
        encoder.model().train(false);   // no dropout: the loss must be a deterministic function
        List<String> texts = List.of("sinus rhythm. normal ecg.", "left bundle branch block with st elevation");
        Map<String, Variable> params = encoder.model().namedParameters();
        try (TokenBatch batch = encoder.tokenize(texts); Tensor w = new org.kmerl.tensor.Generator(7).normal(0f, 1f, 2, 24)) {
            Variable loss = encoder.forward(batch).mul(Variable.constant(w)).sum();
            loss.backward();
            for (Map.Entry<String, Variable> e : params.entrySet()) {
                if (e.getKey().equals("pooler.dense.weight") || e.getKey().equals("pooler.dense.bias")) {
                    assertNull(e.getValue().grad(), "mean pooling does not use the pooler");
                    continue;
                }
                assertNotNull(e.getValue().grad(), e.getKey() + " got no gradient");
            }
            // Central differences on a few elements of different kinds of parameters.
            for (String name : List.of("embeddings.word_embeddings.weight", "embeddings.position_embeddings.weight",
                    "encoder.layer.0.attention.self.query.weight", "encoder.layer.0.attention.self.key.bias",
                    "encoder.layer.1.intermediate.dense.weight", "encoder.layer.1.output.LayerNorm.weight")) {
                Variable p = params.get(name);
                float[] grad = p.grad().toFloatArray();
                int[] elements = name.startsWith("embeddings.word") ? new int[] {13 * 24 + 5, 14 * 24} : new int[] {0, 7};
                for (int flat : elements) {
                    double numeric = centralDifference(encoder, batch, w, p, flat, 1e-2);
                    assertEquals(numeric, grad[flat], 2e-3 + 1e-2 * Math.abs(numeric), name + "[" + flat + "]");
                }
            }
        }
    }

    private static double centralDifference(TextEncoder encoder, TokenBatch batch, Tensor w, Variable p, int flat,
                                            double h) {
        float[] values = p.data().toFloatArray();
        float original = values[flat];
        double[] losses = new double[2];
        for (int s = 0; s < 2; s++) {
            values[flat] = (float) (original + (s == 0 ? h : -h));
            try (Tensor perturbed = Tensor.of(values, p.data().shape())) {
                p.data().copyFrom(perturbed);
            }
            try (GradMode.Scope off = GradMode.disabled()) {
                float[] y = encoder.forward(batch).data().toFloatArray();
                float[] wv = w.toFloatArray();
                for (int i = 0; i < y.length; i++) {
                    losses[s] += (double) y[i] * wv[i];
                }
            }
        }
        values[flat] = original;
        try (Tensor restored = Tensor.of(values, p.data().shape())) {
            p.data().copyFrom(restored);
        }
        return (losses[0] - losses[1]) / (2 * h);
    }

    @Test
    void freezingKeepsGradientsOutOfTheFrozenPart() throws Exception {
        TextEncoder encoder = TextEncoder.fromHuggingFace(tinyBert()).withPooling(Pooling.POOLER);
        encoder.model().freeze(1, true);
        assertEquals(Arrays.asList(false, true), Arrays.asList(
                encoder.model().layers().get(0).parameters().get(0).requiresGrad(),
                encoder.model().layers().get(1).parameters().get(0).requiresGrad()));
        long trainable = encoder.model().trainableParameters().stream().mapToLong(v -> v.data().numel()).sum();
        long expected = encoder.model().layers().get(1).parameterCount() + 24 * 24 + 24;
        assertEquals(expected, trainable);
        try (TokenBatch batch = encoder.tokenize(List.of("sinus rhythm", "normal ecg"))) {
            encoder.forward(batch).sum().backward();
        }
        encoder.model().embeddings().parameters().forEach(v -> assertNull(v.grad()));
        encoder.model().layers().get(0).parameters().forEach(v -> assertNull(v.grad()));
        encoder.model().layers().get(1).parameters().forEach(v -> assertNotNull(v.grad()));

        // MERL's setting: layers frozen, embeddings trained (gradients pass through the frozen layer).
        encoder.model().freeze(1, false);
        try (TokenBatch batch = encoder.tokenize(List.of("sinus rhythm"))) {
            encoder.forward(batch).sum().backward();
        }
        assertNotNull(encoder.model().embeddings().parameters().get(0).grad());
        encoder.model().layers().get(0).parameters().forEach(v -> assertNull(v.grad()));
    }
}
