package org.kmerl.model.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.kmerl.model.text.tokenizer.Encoding;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.testing.SharedData;

/**
 * kmerl's all-MiniLM-L6-v2 against an independent implementation of the same model: langchain4j's
 * {@link AllMiniLmL6V2EmbeddingModel} (ONNX Runtime on the same ONNX file, the Rust tokenizers
 * through DJL). Token ids must be identical; embeddings within 1e-4 and cosine >= 0.99999.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MiniLmReferenceTest {
    private TextEncoder kmerl;
    private AllMiniLmL6V2EmbeddingModel reference;
    private HuggingFaceTokenizer referenceTokenizer;

    @BeforeAll
    void load() throws IOException {
        kmerl = TextEncoder.minilm();
        reference = new AllMiniLmL6V2EmbeddingModel();
        try (InputStream json = getClass().getClassLoader().getResourceAsStream(TextEncoder.MINILM_TOKENIZER)) {
            referenceTokenizer = HuggingFaceTokenizer.newInstance(json, Map.of("padding", "false"));
        }
    }

    @Test
    void writtenSentencesMatchOnnxRuntime() {
        assertTrue(ReferenceSentences.WRITTEN.size() >= 50);
        compare(ReferenceSentences.WRITTEN);
    }

    @Test
    void ptbxlReportsMatchOnnxRuntime() throws IOException {
        Path database = SharedData.require("ptbxl/ptbxl_database.csv");
        compare(ReferenceSentences.ptbxlReports(database, 120));
    }

    @Test
    void exportedFolderReloadsToTheSameEmbeddings(@TempDir Path dir) throws IOException {
        kmerl.exportHuggingFace(dir);
        TextEncoder reloaded = TextEncoder.fromHuggingFace(dir).withPooling(Pooling.MEAN).withNormalize(true);
        assertEquals(kmerl.tokenizer().maxLength(), reloaded.tokenizer().maxLength());
        List<String> texts = ReferenceSentences.WRITTEN.subList(0, 8);
        try (Tensor a = kmerl.embed(texts); Tensor b = reloaded.embed(texts)) {
            assertArrayEquals(a.toFloatArray(), b.toFloatArray());
        }
    }

    private void compare(List<String> texts) {
        List<String> failures = new ArrayList<>();
        for (String text : texts) {
            long[] expectedIds = referenceTokenizer.encode(text).getIds();
            Encoding ours = kmerl.tokenizer().encode(text);
            int[] ids = ours.ids();
            if (!Arrays.equals(Arrays.stream(ids).asLongStream().toArray(), expectedIds)) {
                failures.add("token ids differ for \"" + text + "\":\n  ours " + ours.tokens() + "\n  ref  "
                        + Arrays.toString(referenceTokenizer.encode(text).getTokens()));
            }
        }
        assertEquals(List.of(), failures);

        float[][] expected = texts.stream().map(t -> reference.embed(t).content().vector()).toArray(float[][]::new);
        try (Tensor batch = kmerl.embed(texts)) {
            float[] all = batch.toFloatArray();
            int d = kmerl.dimension();
            double worstDiff = 0;
            double worstCos = 1;
            for (int i = 0; i < texts.size(); i++) {
                float[] ours = Arrays.copyOfRange(all, i * d, (i + 1) * d);
                float[] ref = expected[i];
                assertEquals(ref.length, ours.length);
                double diff = 0;
                double dot = 0;
                double na = 0;
                double nb = 0;
                for (int j = 0; j < d; j++) {
                    diff = Math.max(diff, Math.abs(ours[j] - ref[j]));
                    dot += (double) ours[j] * ref[j];
                    na += (double) ours[j] * ours[j];
                    nb += (double) ref[j] * ref[j];
                }
                double cos = dot / Math.sqrt(na * nb);
                worstDiff = Math.max(worstDiff, diff);
                worstCos = Math.min(worstCos, cos);
                if (diff > 1e-4 || cos < 0.99999) {
                    failures.add(String.format("\"%s\": max |diff| %.3g, cosine %.8f", text(texts, i), diff, cos));
                }
            }
            System.out.printf("MiniLM vs ONNX Runtime on %d texts: worst max|diff| %.3g, worst cosine %.8f%n",
                    texts.size(), worstDiff, worstCos);
        }
        assertEquals(List.of(), failures);
    }

    private static String text(List<String> texts, int i) {
        String t = texts.get(i);
        return t.length() > 60 ? t.substring(0, 60) + "..." : t;
    }
}
