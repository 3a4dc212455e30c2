package org.kmerl.model.pretrain;

import java.util.ArrayList;
import java.util.List;
import org.kmerl.autograd.GradMode;
import org.kmerl.model.data.Lead;
import org.kmerl.model.ecg.TokenSelection;
import org.kmerl.model.eval.Auroc;
import org.kmerl.model.kmerl.KmerlModel;
import org.kmerl.tensor.Device;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.TensorScope;

/**
 * Validation: every record with all its leads (or only those of a lead subset) and nothing masked, in
 * batches of the training size; mean loss terms, and zero-shot macro AUROC over the validation classes
 * through the cardiac query network (the selection metric) and through ECG-text cosine similarity.
 */
final class Validator {
    record Result(double loss, double contrastive, double entity, double aurocQuery, double aurocSimilarity,
                  double[] perClassQuery) {
    }

    private final PretrainData data;
    private final Supervision text;
    private final int batchSize;
    private final int patchesPerLead;
    private final Device device;

    private List<Lead> present(int i, List<Lead> subset) {
        if (subset == null) {
            return data.leads(i);
        }
        List<Lead> kept = data.leads(i).stream().filter(subset::contains).toList();
        if (kept.isEmpty()) {
            throw new IllegalArgumentException("validation record " + data.id(i) + " has none of the leads " + subset);
        }
        return kept;
    }

    Validator(PretrainData data, Supervision text, int batchSize, int patchesPerLead, Device device) {
        this.data = data;
        this.text = text;
        this.batchSize = batchSize;
        this.patchesPerLead = patchesPerLead;
        this.device = device;
    }

    /** All of each record's leads. */
    Result run(KmerlModel model) {
        return run(model, null);
    }

    /**
     * Only the leads of {@code subset} (null: all); records that have none of them are an error, since
     * a subset evaluation must score every record.
     */
    Result run(KmerlModel model, List<Lead> subset) {
        int n = data.size();
        int c = text.classCodes().size();
        float[][] query = new float[n][];
        float[][] similarity = new float[n][];
        double loss = 0;
        double contrastive = 0;
        double entity = 0;
        int lossBatches = 0;
        boolean wasTraining = model.isTraining();
        model.eval();
        try (GradMode.Scope off = GradMode.disabled();
             TensorScope outer = TensorScope.open()) {
            Tensor entityText = text.entityText().moveTo(device);
            Tensor classText = (c == 0 ? text.entityText().narrow(0, 0, 1) : text.classText()).moveTo(device);
            for (int start = 0; start < n; start += batchSize) {
                int b = Math.min(batchSize, n - start);
                try (TensorScope step = TensorScope.open()) {
                    int[] rows = new int[b];
                    List<TokenSelection> tokens = new ArrayList<>(b);
                    for (int k = 0; k < b; k++) {
                        rows[k] = start + k;
                        tokens.add(TokenSelection.all(present(start + k, subset), patchesPerLead));
                    }
                    Batch batch = Batch.assemble(0, data, rows, tokens, text.validationReports(), text.textDim(),
                            text.validationEntityRows());
                    KmerlModel.Evaluation ev = model.evaluate(batch.signalTensor(device), batch.layout(patchesPerLead,
                            device), batch.reportTensor(device), entityText, batch.labelTensor(device), classText);
                    if (b >= 2) {
                        loss += ev.losses().total().item();
                        contrastive += ev.losses().contrastive().item();
                        entity += ev.losses().entity().item();
                        lossBatches++;
                    }
                    float[] q = ev.queryScores().data().toFloatArray();
                    float[] s = ev.similarityScores().data().toFloatArray();
                    int cols = ev.queryScores().dim(1);
                    for (int k = 0; k < b; k++) {
                        query[start + k] = java.util.Arrays.copyOfRange(q, k * cols, (k + 1) * cols);
                        similarity[start + k] = java.util.Arrays.copyOfRange(s, k * cols, (k + 1) * cols);
                    }
                }
            }
        } finally {
            model.train(wasTraining);
        }
        double[] perClassQuery = new double[c];
        double[] perClassSimilarity = new double[c];
        if (c > 0) {
            boolean[][] truth = new boolean[n][c];
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < c; k++) {
                    truth[i][k] = data.labels(i).contains(text.classCodes().get(k));
                }
            }
            perClassQuery = Auroc.perClass(query, truth);
            perClassSimilarity = Auroc.perClass(similarity, truth);
        }
        int m = Math.max(1, lossBatches);
        return new Result(loss / m, contrastive / m, entity / m, Auroc.macro(perClassQuery),
                Auroc.macro(perClassSimilarity), perClassQuery);
    }
}
