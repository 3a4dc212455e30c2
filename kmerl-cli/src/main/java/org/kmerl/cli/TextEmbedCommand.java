package org.kmerl.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.kmerl.model.text.Pooling;
import org.kmerl.model.text.TextEncoder;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.io.SafeTensors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kmerl text embed}: vectors, cosine similarities, or a safetensors file of embeddings. */
@Command(name = "embed", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Embed texts and print the vectors (or their cosine similarities).")
final class TextEmbedCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    TextCommand.Input input;

    @Option(names = "--pooling", paramLabel = "MODE",
            description = "mean, cls or pooler (default: the model's own: mean for minilm and sentence-transformers "
                    + "folders, else cls).")
    String pooling;

    @Option(names = "--normalize", negatable = true, description = "L2-normalise the vectors (default: the model's own: "
            + "yes for minilm).")
    Boolean normalize;

    @Option(names = "--max-length", paramLabel = "N", description = "Truncate texts at N tokens, specials included.")
    Integer maxLength;

    @Option(names = "--cosine", description = "Print the matrix of cosine similarities instead of the vectors.")
    boolean cosine;

    @Option(names = "--dims", paramLabel = "N", defaultValue = "8",
            description = "How many leading dimensions to print per vector; 0 prints all. Default: ${DEFAULT-VALUE}.")
    int dims;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE",
            description = "Also write the embeddings [N, D] to FILE (safetensors; texts and model id in the metadata).")
    Path out;

    @Override
    public Integer call() throws Exception {
        List<String> texts = input.texts();
        TextEncoder encoder = TextEncoder.load(input.model);
        if (pooling != null) {
            encoder = encoder.withPooling(parsePooling(pooling));
        }
        if (normalize != null) {
            encoder = encoder.withNormalize(normalize);
        }
        if (maxLength != null) {
            encoder = encoder.withMaxLength(maxLength);
        }
        PrintWriter w = spec.commandLine().getOut();
        try (Tensor vectors = encoder.embed(texts)) {
            float[] v = vectors.toFloatArray();
            int d = encoder.dimension();
            if (cosine) {
                printCosines(w, texts, v, d);
            } else {
                printVectors(w, texts, v, d);
            }
            if (out != null) {
                String json = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(texts);
                SafeTensors.write(out, Map.of("embeddings", vectors), Map.of("model", encoder.modelId(), "texts", json));
                spec.commandLine().getErr().printf("wrote %d x %d embeddings to %s%n", texts.size(), d, out);
            }
        }
        w.flush();
        return 0;
    }

    private static Pooling parsePooling(String name) {
        try {
            return Pooling.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--pooling must be mean, cls or pooler, not '" + name + "'");
        }
    }

    private void printVectors(PrintWriter w, List<String> texts, float[] v, int d) {
        int shown = dims <= 0 ? d : Math.min(dims, d);
        for (int i = 0; i < texts.size(); i++) {
            StringBuilder sb = new StringBuilder(String.format("[%d]", i));
            for (int j = 0; j < shown; j++) {
                sb.append(String.format(Locale.ROOT, " %.6f", v[i * d + j]));
            }
            if (shown < d) {
                sb.append(" ... (").append(d).append(" dims)");
            }
            w.println(sb.append("  \"").append(texts.get(i)).append('"'));
        }
    }

    private static void printCosines(PrintWriter w, List<String> texts, float[] v, int d) {
        int n = texts.size();
        double[] norms = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                norms[i] += (double) v[i * d + j] * v[i * d + j];
            }
            norms[i] = Math.sqrt(norms[i]);
        }
        StringBuilder header = new StringBuilder("     ");
        for (int i = 0; i < n; i++) {
            header.append(String.format("%8s", "[" + i + "]"));
        }
        w.println(header);
        for (int i = 0; i < n; i++) {
            StringBuilder row = new StringBuilder(String.format("%-5s", "[" + i + "]"));
            for (int k = 0; k < n; k++) {
                double dot = 0;
                for (int j = 0; j < d; j++) {
                    dot += (double) v[i * d + j] * v[k * d + j];
                }
                row.append(String.format(Locale.ROOT, "%8.4f", dot / Math.max(norms[i] * norms[k], 1e-12)));
            }
            w.println(row.append("  \"").append(texts.get(i)).append('"'));
        }
    }
}
