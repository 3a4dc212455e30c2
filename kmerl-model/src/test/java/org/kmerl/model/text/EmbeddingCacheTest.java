package org.kmerl.model.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kmerl.model.ModelFormatException;
import org.kmerl.tensor.Tensor;

class EmbeddingCacheTest {
    @Test
    void computesOnceAndReusesAcrossRuns(@TempDir Path dir) throws Exception {
        TextEncoder encoder = TextEncoder.fromHuggingFace(HuggingFaceBertTest.tinyBert());
        Path file = dir.resolve("embeddings.safetensors");
        List<String> texts = List.of("sinus rhythm", "normal ecg", "sinus rhythm", "left bundle branch block");
        float[] direct;
        try (Tensor t = encoder.embed(texts)) {
            direct = t.toFloatArray();
        }

        EmbeddingCache cache = EmbeddingCache.open(file, encoder);
        try (Tensor t = cache.embed(texts)) {
            assertArrayEquals(direct, t.toFloatArray());
        }
        assertEquals(3, cache.size(), "the repeated text is stored once");
        assertEquals(3, cache.misses());
        assertEquals(1, cache.hits());
        assertFalse(Files.exists(file), "nothing is written before save()");
        cache.save();

        EmbeddingCache reopened = EmbeddingCache.open(file, encoder);
        assertEquals(3, reopened.size());
        try (Tensor t = reopened.embed(List.of("left bundle branch block", "sinus rhythm"))) {
            float[] v = t.toFloatArray();
            int d = encoder.dimension();
            assertArrayEquals(java.util.Arrays.copyOfRange(direct, 3 * d, 4 * d), java.util.Arrays.copyOfRange(v, 0, d));
        }
        assertEquals(0, reopened.misses());
        assertEquals(2, reopened.hits());
    }

    @Test
    void refusesACacheOfAnotherModel(@TempDir Path dir) throws Exception {
        TextEncoder encoder = TextEncoder.fromHuggingFace(HuggingFaceBertTest.tinyBert());
        Path file = dir.resolve("embeddings.safetensors");
        EmbeddingCache cache = EmbeddingCache.open(file, encoder);
        cache.embed(List.of("sinus rhythm")).close();
        cache.save();
        TextEncoder other = encoder.withPooling(Pooling.MEAN);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> EmbeddingCache.open(file, other));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("|cls|")
                && e.getMessage().contains("|mean|"), e.getMessage());
    }
}
