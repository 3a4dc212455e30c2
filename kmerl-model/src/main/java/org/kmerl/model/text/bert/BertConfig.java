package org.kmerl.model.text.bert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.kmerl.model.ModelFormatException;

/**
 * The sizes of a BERT encoder, named as in Hugging Face's {@code config.json}. Post-LN BERT with
 * absolute position embeddings and exact (erf) GELU is what {@link BertModel} implements; configs
 * asking for anything else are rejected when read.
 */
public record BertConfig(int vocabSize, int hiddenSize, int numLayers, int numHeads, int intermediateSize,
                         int maxPositions, int typeVocabSize, float layerNormEps, float hiddenDropout,
                         float attentionDropout) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** sentence-transformers/all-MiniLM-L6-v2: 6 layers of width 384, 12 heads of 32. */
    public static final BertConfig MINILM_L6 = new BertConfig(30522, 384, 6, 12, 1536, 512, 2, 1e-12f, 0.1f, 0.1f);

    public BertConfig {
        if (vocabSize <= 0 || hiddenSize <= 0 || numLayers <= 0 || numHeads <= 0 || intermediateSize <= 0
                || maxPositions <= 0 || typeVocabSize <= 0) {
            throw new IllegalArgumentException("BERT sizes must be positive: " + this);
        }
        if (hiddenSize % numHeads != 0) {
            throw new IllegalArgumentException("hidden_size " + hiddenSize + " is not divisible by "
                    + numHeads + " attention heads");
        }
    }

    public int headSize() {
        return hiddenSize / numHeads;
    }

    /** Reads a Hugging Face config.json of a BERT model. */
    public static BertConfig read(Path configJson) throws IOException {
        String source = configJson.toString();
        JsonNode root;
        try {
            root = JSON.readTree(configJson.toFile());
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            throw new ModelFormatException(source, "no such file", e);
        } catch (IOException e) {
            throw new ModelFormatException(source, "not valid JSON: " + e.getMessage(), e);
        }
        String modelType = root.path("model_type").asText("");
        if (!modelType.equals("bert")) {
            throw new ModelFormatException(source, "model_type '" + modelType + "' is not supported: kmerl loads "
                    + "BERT encoders (model_type 'bert'; e.g. MedCPT, BioBERT, PubMedBERT, all-MiniLM)");
        }
        expect(root, source, "hidden_act", List.of("gelu"), "gelu");
        expect(root, source, "position_embedding_type", List.of("absolute"), "absolute");
        if (root.path("is_decoder").asBoolean(false) || root.path("add_cross_attention").asBoolean(false)) {
            throw new ModelFormatException(source, "decoder BERTs (is_decoder / add_cross_attention) are not supported");
        }
        try {
            return new BertConfig(required(root, source, "vocab_size"), required(root, source, "hidden_size"),
                    required(root, source, "num_hidden_layers"), required(root, source, "num_attention_heads"),
                    required(root, source, "intermediate_size"), root.path("max_position_embeddings").asInt(512),
                    root.path("type_vocab_size").asInt(2), (float) root.path("layer_norm_eps").asDouble(1e-12),
                    (float) root.path("hidden_dropout_prob").asDouble(0.1),
                    (float) root.path("attention_probs_dropout_prob").asDouble(0.1));
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(source, e.getMessage(), e);
        }
    }

    private static void expect(JsonNode root, String source, String field, List<String> allowed, String fallback)
            throws ModelFormatException {
        String value = root.path(field).asText(fallback);
        if (!allowed.contains(value)) {
            throw new ModelFormatException(source, field + " '" + value + "' is not supported (only " + allowed + ")");
        }
    }

    private static int required(JsonNode root, String source, String field) throws ModelFormatException {
        JsonNode n = root.get(field);
        if (n == null || !n.canConvertToInt()) {
            throw new ModelFormatException(source, "missing or non-integer field '" + field + "'");
        }
        return n.asInt();
    }

    /** The shortest decimal of a float (1e-12f is written 1.0E-12, not 9.999999960041972E-13). */
    private static double decimal(float f) {
        return Double.parseDouble(Float.toString(f));
    }

    /** This configuration as a Hugging Face config.json that transformers' BertModel accepts. */
    public String toJson() {
        ObjectNode n = JSON.createObjectNode();
        n.putArray("architectures").add("BertModel");
        n.put("model_type", "bert");
        n.put("vocab_size", vocabSize);
        n.put("hidden_size", hiddenSize);
        n.put("num_hidden_layers", numLayers);
        n.put("num_attention_heads", numHeads);
        n.put("intermediate_size", intermediateSize);
        n.put("max_position_embeddings", maxPositions);
        n.put("type_vocab_size", typeVocabSize);
        n.put("layer_norm_eps", decimal(layerNormEps));
        n.put("hidden_dropout_prob", decimal(hiddenDropout));
        n.put("attention_probs_dropout_prob", decimal(attentionDropout));
        n.put("hidden_act", "gelu");
        n.put("position_embedding_type", "absolute");
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
