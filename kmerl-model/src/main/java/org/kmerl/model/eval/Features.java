package org.kmerl.model.eval;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import org.kmerl.autograd.GradMode;
import org.kmerl.model.ecg.TokenLayout;
import org.kmerl.model.ecg.TokenSelection;
import org.kmerl.model.kmerl.KmerlModel;
import org.kmerl.model.pretrain.CheckpointStore;
import org.kmerl.model.pretrain.PretrainedModel;
import org.kmerl.tensor.Device;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.TensorScope;
import org.kmerl.tensor.io.SafeTensors;

/**
 * What a frozen model makes of every record under one {@link LeadView}, computed once and cached:
 * the pooled encoder output (the linear probe's features), the projected ECG embedding (the joint
 * ECG-text space, {@code kmerl embed}), and both zero-shot scores of every class text of every task
 * (query-network logits and ECG-text cosine similarities), each [records][...].
 */
public record Features(float[][] pooled, float[][] embedding, float[][] query, float[][] similarity) {
    private static final int BATCH = 32;

    /**
     * The features of {@code inputs} under {@code view}, read from {@code cacheFile} when it was written
     * for the same checkpoint, records, class texts ({@code classText} embeds the dataset's
     * {@link EvalDataset#allClassTexts}) and view, else computed in batches on {@code device} and written there.
     */
    public static Features of(PretrainedModel pretrained, Device device, EvalDataset dataset, EcgInputs inputs,
                              LeadView view, Tensor classText, Path cacheFile, IntConsumer progress) throws IOException {
        String key = cacheKey(pretrained, dataset, view);
        if (Files.exists(cacheFile)) {
            try (SafeTensors.Content c = SafeTensors.read(cacheFile)) {
                if (key.equals(c.metadata().get("key"))) {
                    return new Features(rows(c.tensors().get("pooled")), rows(c.tensors().get("embedding")),
                            rows(c.tensors().get("query")), rows(c.tensors().get("similarity")));
                }
            }
        }
        int[] querySets = dataset.tasks().stream().mapToInt(EvalTask::classes).toArray();
        Features f = compute(pretrained.model(), device, inputs, view, classText, querySets, progress);
        Files.createDirectories(cacheFile.toAbsolutePath().getParent());
        try (Tensor p = matrix(f.pooled); Tensor e = matrix(f.embedding); Tensor q = matrix(f.query);
             Tensor s = matrix(f.similarity)) {
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            tensors.put("pooled", p);
            tensors.put("embedding", e);
            tensors.put("query", q);
            tensors.put("similarity", s);
            SafeTensors.write(cacheFile, tensors, Map.of("key", key, "view", view.label()));
        }
        return f;
    }

    /** {@code querySets}: how many rows of {@code classText} each task has; each task's classes are asked together. */
    static Features compute(KmerlModel model, Device device, EcgInputs inputs, LeadView view, Tensor classText,
                            int[] querySets, IntConsumer progress) {
        int n = inputs.size();
        int ppl = model.config().encoder().patchesPerLead();
        int length = inputs.samples();
        float[][] pooled = new float[n][];
        float[][] embedding = new float[n][];
        float[][] query = new float[n][];
        float[][] similarity = new float[n][];
        try (GradMode.Scope off = GradMode.disabled(); TensorScope outer = TensorScope.open()) {
            Tensor texts = classText.to(device);   // a copy (or a view): the caller keeps its tensor
            List<Tensor> sets = new ArrayList<>();
            for (int k = 0, row = 0; k < querySets.length; row += querySets[k++]) {
                sets.add(texts.narrow(0, row, querySets[k]));
            }
            for (int start = 0; start < n; start += BATCH) {
                int b = Math.min(BATCH, n - start);
                try (TensorScope step = TensorScope.open()) {
                    float[] x = new float[b * 12 * length];
                    List<TokenSelection> tokens = new ArrayList<>(b);
                    for (int k = 0; k < b; k++) {
                        int i = start + k;
                        List<org.kmerl.model.data.Lead> kept = inputs.leads(i).stream().filter(view.leads()::contains).toList();
                        if (kept.isEmpty()) {
                            throw new IllegalArgumentException("record " + i + " has none of the leads of view " + view.name());
                        }
                        for (org.kmerl.model.data.Lead l : kept) {
                            System.arraycopy(inputs.signal(i), l.ordinal() * length, x, (k * 12 + l.ordinal()) * length, length);
                        }
                        // Zero-filled: every lead the record has becomes tokens, the ones outside the view all zeros.
                        tokens.add(TokenSelection.all(view.zeroFill() ? inputs.leads(i) : kept, ppl));
                    }
                    KmerlModel.Inference out = model.infer(Tensor.of(x, b, 12, length).moveTo(device),
                            TokenLayout.of(tokens, ppl, device), sets);
                    copyRows(out.pooled().data(), pooled, start);
                    copyRows(out.embedding().data(), embedding, start);
                    copyRows(out.queryScores().data(), query, start);
                    copyRows(out.similarityScores().data(), similarity, start);
                }
                if (progress != null) {
                    progress.accept(start + b);
                }
            }
        }
        return new Features(pooled, embedding, query, similarity);
    }

    private static void copyRows(Tensor t, float[][] into, int start) {
        float[] v = t.toFloatArray();
        int cols = t.dim(1);
        for (int k = 0; k < t.dim(0); k++) {
            into[start + k] = java.util.Arrays.copyOfRange(v, k * cols, (k + 1) * cols);
        }
    }

    private static Tensor matrix(float[][] rows) {
        int cols = rows.length == 0 ? 0 : rows[0].length;
        float[] flat = new float[rows.length * cols];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, flat, i * cols, cols);
        }
        return Tensor.of(flat, rows.length, cols);
    }

    private static float[][] rows(Tensor t) {
        float[][] out = new float[t.dim(0)][];
        copyRows(t, out, 0);
        return out;
    }

    /** SHA-256 over the checkpoint's weights file (size and time), the record ids, the class texts and the view. */
    private static String cacheKey(PretrainedModel m, EvalDataset dataset, LeadView view) throws IOException {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update("kmerl features 3 (pooled, embedding, query and similarity per task)|".getBytes(StandardCharsets.UTF_8));
            Path weights = m.dir().resolve(CheckpointStore.WEIGHTS);
            d.update((weights.toAbsolutePath() + "|" + Files.size(weights) + "|" + Files.getLastModifiedTime(weights))
                    .getBytes(StandardCharsets.UTF_8));
            dataset.records().forEach(r -> d.update((r.id() + "|" + r.path() + "\n").getBytes(StandardCharsets.UTF_8)));
            dataset.allClassTexts().forEach(t -> d.update((t + "\n").getBytes(StandardCharsets.UTF_8)));
            d.update((view.label() + "|" + view.leads()).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
