package org.kmerl.benchmarks;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.kmerl.model.text.TextEncoder;
import org.kmerl.model.text.bert.BertConfig;
import org.kmerl.model.text.tokenizer.Encoding;
import org.kmerl.model.text.tokenizer.WordPieceTokenizer;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.cpu.CpuThreads;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Embedding 1,000 ECG reports (at most 64 tokens each) with all-MiniLM-L6-v2, three ways, in the
 * same JVM on the same texts:
 * <ul>
 *   <li>{@code kmerl}: {@link TextEncoder#embed}, batches of 32 texts sorted by length;</li>
 *   <li>{@code onnxRuntime}: ONNX Runtime 1.20 on the same ONNX file, the same batches (padded and
 *       masked), {@code kmerl.threads} intra-op threads, mean pooling and normalisation in Java;</li>
 *   <li>{@code langchain4j}: {@code AllMiniLmL6V2EmbeddingModel.embedAll}, ONNX Runtime one text at a
 *       time, as langchain4j users get it.</li>
 * </ul>
 * The rate is the useful work: matrix-product FLOPs of the real (unpadded) tokens.
 */
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
public class TextEmbeddingBenchmark extends KernelBenchmark {
    static final int TEXTS = 1000;
    static final int MAX_TOKENS = 64;
    static final int BATCH = 32;

    private List<String> texts;
    private TextEncoder kmerl;
    private OrtEnvironment environment;
    private OrtSession session;
    private List<long[][]> ortBatches;
    private AllMiniLmL6V2EmbeddingModel langchain4j;
    private List<TextSegment> segments;

    @Setup
    public void setUp() throws Exception {
        kmerl = TextEncoder.minilm().withBatchSize(BATCH);
        ReportTexts.Texts loaded = ReportTexts.load(TEXTS, MAX_TOKENS, kmerl.tokenizer());
        texts = loaded.texts();
        System.out.println("\ntexts: " + texts.size() + " " + loaded.source());

        environment = OrtEnvironment.getEnvironment();
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(CpuThreads.threads());
        options.setInterOpNumThreads(1);
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        try (InputStream in = TextEncoder.class.getClassLoader().getResourceAsStream("all-minilm-l6-v2.onnx")) {
            session = environment.createSession(in.readAllBytes(), options);
        }
        ortBatches = sortedBatches(kmerl.tokenizer(), texts);

        langchain4j = new AllMiniLmL6V2EmbeddingModel();
        segments = texts.stream().map(TextSegment::from).toList();
    }

    /** The same length-sorted batches kmerl forms: ids of each batch padded with 0, one long[][] per batch. */
    private static List<long[][]> sortedBatches(WordPieceTokenizer tokenizer, List<String> texts) {
        List<Encoding> encodings = new ArrayList<>(texts.stream().map(tokenizer::encode).toList());
        encodings.sort(Comparator.comparingInt((Encoding e) -> -e.length()));
        List<long[][]> batches = new ArrayList<>();
        for (int start = 0; start < encodings.size(); start += BATCH) {
            List<Encoding> rows = encodings.subList(start, Math.min(encodings.size(), start + BATCH));
            long[][] ids = new long[rows.size()][rows.get(0).length()];
            for (int r = 0; r < rows.size(); r++) {
                int[] e = rows.get(r).ids();
                for (int t = 0; t < e.length; t++) {
                    ids[r][t] = e[t];
                }
            }
            batches.add(ids);
        }
        return batches;
    }

    @Benchmark
    public float kmerl() {
        try (Tensor t = kmerl.embed(texts)) {
            return t.get(0, 0);
        }
    }

    @Benchmark
    public float onnxRuntime() throws OrtException {
        float sink = 0;
        for (long[][] ids : ortBatches) {
            long[][] mask = new long[ids.length][ids[0].length];
            long[][] types = new long[ids.length][ids[0].length];
            for (int r = 0; r < ids.length; r++) {
                for (int t = 0; t < ids[r].length; t++) {
                    mask[r][t] = ids[r][t] == 0 ? 0 : 1;
                }
            }
            try (OnnxTensor i = OnnxTensor.createTensor(environment, ids);
                 OnnxTensor m = OnnxTensor.createTensor(environment, mask);
                 OnnxTensor y = OnnxTensor.createTensor(environment, types);
                 OrtSession.Result result = session.run(Map.of("input_ids", i, "attention_mask", m, "token_type_ids", y))) {
                float[][][] hidden = (float[][][]) result.get(0).getValue();
                sink += meanPoolNormalized(hidden, mask)[0][0];
            }
        }
        return sink;
    }

    private static float[][] meanPoolNormalized(float[][][] hidden, long[][] mask) {
        float[][] out = new float[hidden.length][hidden[0][0].length];
        for (int r = 0; r < hidden.length; r++) {
            int n = 0;
            for (int t = 0; t < hidden[r].length; t++) {
                if (mask[r][t] != 0) {
                    n++;
                    for (int j = 0; j < out[r].length; j++) {
                        out[r][j] += hidden[r][t][j];
                    }
                }
            }
            double norm = 0;
            for (int j = 0; j < out[r].length; j++) {
                out[r][j] /= n;
                norm += out[r][j] * out[r][j];
            }
            float inv = (float) (1 / Math.max(Math.sqrt(norm), 1e-12));
            for (int j = 0; j < out[r].length; j++) {
                out[r][j] *= inv;
            }
        }
        return out;
    }

    @Benchmark
    public float langchain4j() {
        return langchain4j.embedAll(segments).content().get(0).vector()[0];
    }

    @TearDown
    public void tearDown() throws OrtException {
        session.close();
    }

    /** Matrix-product FLOPs of the encoder over the real tokens of the 1,000 texts. */
    public static Work work(String benchmark, Map<String, String> params) throws IOException {
        WordPieceTokenizer tokenizer = TextEncoder.minilmTokenizer();
        BertConfig c = BertConfig.MINILM_L6;
        double flops = 0;
        for (String text : ReportTexts.load(TEXTS, MAX_TOKENS, tokenizer).texts()) {
            double l = tokenizer.encode(text).length();
            double perLayer = 2 * l * (4.0 * c.hiddenSize() * c.hiddenSize() + 2.0 * c.hiddenSize() * c.intermediateSize())
                    + 4 * l * l * c.hiddenSize();
            flops += c.numLayers() * perLayer;
        }
        return Work.flops(flops);
    }
}
