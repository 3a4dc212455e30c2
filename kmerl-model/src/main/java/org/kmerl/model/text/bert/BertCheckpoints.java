package org.kmerl.model.text.bert;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.kmerl.model.ModelFormatException;
import org.kmerl.tensor.Generator;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.io.AtomicFiles;
import org.kmerl.tensor.io.SafeTensors;

/**
 * BERT weights in and out: from an ONNX export ({@link #fromOnnx}), from a Hugging Face folder
 * ({@link #fromHuggingFace}), and back to a Hugging Face folder ({@link #writeHuggingFace}) that
 * both kmerl and transformers' {@code BertModel.from_pretrained} read.
 */
public final class BertCheckpoints {
    public static final String CONFIG = "config.json";
    public static final String WEIGHTS = "model.safetensors";

    private BertCheckpoints() {
    }

    /** Builds a {@code config}-sized BERT (without pooler) from the bytes of an .onnx file. */
    public static BertModel fromOnnx(ByteBuffer onnx, String source, BertConfig config) throws ModelFormatException {
        Map<String, Tensor> weights = OnnxBertWeights.stateDict(OnnxFile.parse(onnx, source));
        try {
            return build(config, false, weights, source);
        } finally {
            weights.values().forEach(Tensor::close);
        }
    }

    /**
     * Reads {@code config.json} and {@code model.safetensors} of a BERT checkpoint. Also accepted:
     * a {@code bert.} prefix and pre-training heads ({@code cls.*}, ignored), TF-era LayerNorm names
     * ({@code gamma}/{@code beta}), and no pooler (then none is built).
     */
    public static BertModel fromHuggingFace(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new ModelFormatException(dir.toString(), "not a directory (expected a Hugging Face model folder "
                    + "with " + CONFIG + " and " + WEIGHTS + ")");
        }
        BertConfig config = BertConfig.read(dir.resolve(CONFIG));
        Path weightsFile = dir.resolve(WEIGHTS);
        if (!Files.exists(weightsFile)) {
            String hint = Files.exists(dir.resolve("pytorch_model.bin"))
                    ? " (only pytorch_model.bin is there: convert it with safetensors' torch.save_file, or "
                    + "transformers' model.save_pretrained(dir, safe_serialization=True))"
                    : Files.exists(dir.resolve("model.safetensors.index.json")) ? " (sharded checkpoints are not supported)" : "";
            throw new ModelFormatException(weightsFile.toString(), "no such file" + hint);
        }
        try (SafeTensors.Content content = SafeTensors.read(weightsFile)) {
            Map<String, Tensor> weights = new LinkedHashMap<>();
            for (Map.Entry<String, Tensor> e : content.tensors().entrySet()) {
                String name = huggingFaceName(e.getKey());
                if (name != null) {
                    weights.put(name, e.getValue());
                }
            }
            return build(config, weights.containsKey("pooler.dense.weight"), weights, weightsFile.toString());
        }
    }

    /** BertModel's name for a checkpoint tensor, or null for tensors BertModel does not have. */
    static String huggingFaceName(String key) {
        String name = key.startsWith("bert.") ? key.substring(5) : key;
        if (name.startsWith("cls.") || name.equals("embeddings.position_ids")) {
            return null;
        }
        if (name.endsWith(".gamma")) {
            return name.substring(0, name.length() - 6) + ".weight";
        }
        if (name.endsWith(".beta")) {
            return name.substring(0, name.length() - 5) + ".bias";
        }
        return name;
    }

    /** A model in eval mode holding {@code weights}, which must match its state dict exactly. */
    private static BertModel build(BertConfig config, boolean pooler, Map<String, Tensor> weights, String source)
            throws ModelFormatException {
        BertModel model = new BertModel(config, pooler, new Generator(0));
        try {
            model.loadStateDict(weights, true);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(source, "weights do not fit a BERT of " + describe(config) + ": "
                    + e.getMessage(), e);
        }
        model.eval();
        return model;
    }

    private static String describe(BertConfig c) {
        return c.numLayers() + " layers, hidden " + c.hiddenSize() + ", vocabulary " + c.vocabSize();
    }

    /** Writes config.json and model.safetensors (each atomically) into {@code dir}. */
    public static void writeHuggingFace(BertModel model, Path dir) throws IOException {
        Files.createDirectories(dir);
        byte[] config = model.config().toJson().getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(dir.resolve(CONFIG), out -> out.write(config));
        SafeTensors.write(dir.resolve(WEIGHTS), model.stateDict(), Map.of("format", "pt"));
    }
}
