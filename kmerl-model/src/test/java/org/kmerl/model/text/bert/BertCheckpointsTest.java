package org.kmerl.model.text.bert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kmerl.model.ModelFormatException;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.io.SafeTensors;

class BertCheckpointsTest {
    private static final Pattern LINEAR = Pattern.compile("encoder\\.layer\\.(\\d+)\\.(.+)\\.weight");

    private static Path tinyBert() throws Exception {
        return Path.of(BertCheckpointsTest.class.getResource("/text/tiny-bert").toURI());
    }

    /** tiny-bert as torch.onnx would export it: anonymous [in, out] MatMul weights found through node names. */
    private static byte[] tinyBertAsOnnx(Predicate<String> keep, boolean externalData) throws Exception {
        ProtoWriter graph = new ProtoWriter();
        int anonymous = 100;
        try (SafeTensors.Content c = SafeTensors.read(tinyBert().resolve("model.safetensors"))) {
            for (Map.Entry<String, Tensor> e : c.tensors().entrySet()) {
                String name = e.getKey();
                Tensor t = e.getValue();
                if (name.startsWith("pooler.") || !keep.test(name)) {
                    continue;   // MiniLM's export has no pooler
                }
                Matcher m = LINEAR.matcher(name);
                if (m.matches() && t.rank() == 2) {
                    String init = "onnx::MatMul_" + anonymous++;
                    try (Tensor inOut = t.transpose(0, 1).contiguous()) {
                        graph.message(5, tensor(init, inOut, false, externalData));
                    }
                    graph.message(1, new ProtoWriter().string(1, "/hidden").string(1, init).string(2, "/out")
                            .string(3, "/encoder/layer." + m.group(1) + "/" + m.group(2).replace('.', '/') + "/MatMul")
                            .string(4, "MatMul"));
                } else {
                    // Biases as packed float_data, the rest as raw_data: both encodings occur in ONNX files.
                    graph.message(5, tensor(name, t, name.endsWith(".bias"), false));
                }
            }
        }
        // An int64 buffer, as in the real export, that carries no weights.
        graph.message(5, new ProtoWriter().varint(1, 1).varint(1, 3).varint(2, 7).string(8, "embeddings.position_ids")
                .bytes(9, new byte[24]));
        graph.message(1, new ProtoWriter().string(1, "/a").string(1, "/b").string(2, "/c")
                .string(3, "/encoder/layer.0/attention/self/Add").string(4, "Add"));
        return new ProtoWriter().varint(1, 6).string(2, "pytorch").message(7, graph).toByteArray();
    }

    private static ProtoWriter tensor(String name, Tensor t, boolean asFloatData, boolean external) {
        ProtoWriter w = new ProtoWriter();
        for (int d : t.shape()) {
            w.varint(1, d);
        }
        w.varint(2, OnnxFile.FLOAT).string(8, name);
        if (external) {
            return w.message(13, new ProtoWriter().string(1, "location").string(2, "weights.bin"));
        }
        if (asFloatData) {
            return w.floats(4, t.toFloatArray());
        }
        ByteBuffer b = ByteBuffer.allocate(t.numel() * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(t.toFloatArray());
        return w.bytes(9, b.array());
    }

    private static BertConfig tinyConfig() throws Exception {
        return BertConfig.read(tinyBert().resolve("config.json"));
    }

    @Test
    void onnxExportLoadsTheSameWeightsAsTheSafetensors() throws Exception {
        BertModel fromOnnx = BertCheckpoints.fromOnnx(ByteBuffer.wrap(tinyBertAsOnnx(n -> true, false)), "tiny.onnx",
                tinyConfig());
        BertModel fromHf = BertCheckpoints.fromHuggingFace(tinyBert());
        assertFalse(fromOnnx.hasPooler());
        Map<String, Tensor> expected = fromHf.stateDict();
        Map<String, Tensor> actual = fromOnnx.stateDict();
        assertEquals(expected.size() - 2, actual.size());
        for (Map.Entry<String, Tensor> e : actual.entrySet()) {
            assertArrayEquals(expected.get(e.getKey()).toFloatArray(), e.getValue().toFloatArray(), e.getKey());
        }
    }

    @Test
    void onnxProblemsAreReportedWithTheSource() throws Exception {
        byte[] good = tinyBertAsOnnx(n -> true, false);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> BertCheckpoints.fromOnnx(
                ByteBuffer.wrap(Arrays.copyOf(good, good.length - 1000)), "cut.onnx", tinyConfig()));
        assertTrue(e.getMessage().startsWith("cut.onnx: corrupt protobuf"), e.getMessage());

        e = assertThrows(ModelFormatException.class, () -> BertCheckpoints.fromOnnx(ByteBuffer.wrap(
                tinyBertAsOnnx(n -> !n.equals("encoder.layer.1.output.dense.weight"), false)), "partial.onnx", tinyConfig()));
        assertTrue(e.getMessage().contains("missing keys: [encoder.layer.1.output.dense.weight]"), e.getMessage());

        e = assertThrows(ModelFormatException.class, () -> BertCheckpoints.fromOnnx(
                ByteBuffer.wrap(tinyBertAsOnnx(n -> true, true)), "external.onnx", tinyConfig()));
        assertTrue(e.getMessage().contains("external file"), e.getMessage());

        e = assertThrows(ModelFormatException.class, () -> BertCheckpoints.fromOnnx(
                ByteBuffer.wrap(new ProtoWriter().varint(1, 6).toByteArray()), "empty.onnx", tinyConfig()));
        assertTrue(e.getMessage().contains("no graph"), e.getMessage());

        BertConfig wider = new BertConfig(tinyConfig().vocabSize(), 48, 2, 3, 40, 24, 2, 1e-12f, 0f, 0f);
        e = assertThrows(ModelFormatException.class, () -> BertCheckpoints.fromOnnx(ByteBuffer.wrap(good), "tiny.onnx", wider));
        assertTrue(e.getMessage().contains("mis-shaped keys") && e.getMessage().contains("hidden 48"), e.getMessage());
    }

    /** Copies tiny-bert into {@code dir}, with the weights renamed/filtered by {@code rename} (null drops). */
    private static Path copyTinyBert(Path dir, java.util.function.UnaryOperator<String> rename) throws Exception {
        Files.copy(tinyBert().resolve("config.json"), dir.resolve("config.json"));
        Files.copy(tinyBert().resolve("vocab.txt"), dir.resolve("vocab.txt"));
        try (SafeTensors.Content c = SafeTensors.read(tinyBert().resolve("model.safetensors"))) {
            Map<String, Tensor> renamed = new LinkedHashMap<>();
            c.tensors().forEach((k, v) -> {
                String n = rename.apply(k);
                if (n != null) {
                    renamed.put(n, v);
                }
            });
            SafeTensors.write(dir.resolve("model.safetensors"), renamed, Map.of());
        }
        return dir;
    }

    @Test
    void acceptsPretrainingCheckpointNames(@TempDir Path dir) throws Exception {
        copyTinyBert(dir, k -> "bert." + k.replace("LayerNorm.weight", "LayerNorm.gamma").replace("LayerNorm.bias", "LayerNorm.beta"));
        try (SafeTensors.Content c = SafeTensors.read(dir.resolve("model.safetensors"))) {
            Map<String, Tensor> withHead = new LinkedHashMap<>(c.tensors());
            withHead.put("cls.predictions.bias", Tensor.zeros(3));
            SafeTensors.write(dir.resolve("model.safetensors"), withHead, Map.of());
        }
        BertModel model = BertCheckpoints.fromHuggingFace(dir);
        BertModel reference = BertCheckpoints.fromHuggingFace(tinyBert());
        assertArrayEquals(reference.stateDict().get("encoder.layer.0.output.LayerNorm.weight").toFloatArray(),
                model.stateDict().get("encoder.layer.0.output.LayerNorm.weight").toFloatArray());
    }

    @Test
    void folderProblemsNameTheFileAndWhatIsWrong(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("missing");
        assertMessage(() -> BertCheckpoints.fromHuggingFace(missing), "not a directory");

        Path partial = copyTinyBert(Files.createDirectory(dir.resolve("a")),
                k -> k.equals("encoder.layer.1.intermediate.dense.bias") ? null : k);
        assertMessage(() -> BertCheckpoints.fromHuggingFace(partial),
                "model.safetensors: weights do not fit", "missing keys: [encoder.layer.1.intermediate.dense.bias]");

        Path roberta = copyTinyBert(Files.createDirectory(dir.resolve("b")), k -> k);
        Files.writeString(roberta.resolve("config.json"),
                Files.readString(roberta.resolve("config.json")).replace("\"bert\"", "\"roberta\""));
        assertMessage(() -> BertCheckpoints.fromHuggingFace(roberta), "config.json: model_type 'roberta' is not supported");

        Path relu = copyTinyBert(Files.createDirectory(dir.resolve("c")), k -> k);
        Files.writeString(relu.resolve("config.json"),
                Files.readString(relu.resolve("config.json")).replace("\"gelu\"", "\"relu\""));
        assertMessage(() -> BertCheckpoints.fromHuggingFace(relu), "hidden_act 'relu' is not supported");

        Path bin = Files.createDirectory(dir.resolve("d"));
        Files.copy(tinyBert().resolve("config.json"), bin.resolve("config.json"));
        Files.writeString(bin.resolve("pytorch_model.bin"), "pickle");
        assertMessage(() -> BertCheckpoints.fromHuggingFace(bin), "model.safetensors: no such file",
                "only pytorch_model.bin");

        Path wrongShape = copyTinyBert(Files.createDirectory(dir.resolve("e")), k -> k);
        Files.writeString(wrongShape.resolve("config.json"),
                Files.readString(wrongShape.resolve("config.json")).replace("\"intermediate_size\": 40", "\"intermediate_size\": 41"));
        assertMessage(() -> BertCheckpoints.fromHuggingFace(wrongShape), "mis-shaped keys",
                "encoder.layer.0.intermediate.dense.weight: expected [41, 24]");
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable run, String... parts) {
        ModelFormatException e = assertThrows(ModelFormatException.class, run);
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "'" + p + "' not in: " + e.getMessage());
        }
    }

    @Test
    void configRoundTripsThroughJson(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("config.json");
        Files.writeString(file, BertConfig.MINILM_L6.toJson());
        assertEquals(BertConfig.MINILM_L6, BertConfig.read(file));
        assertTrue(BertConfig.MINILM_L6.toJson().contains("\"layer_norm_eps\" : 1.0E-12"), BertConfig.MINILM_L6.toJson());
    }
}
