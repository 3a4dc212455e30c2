package org.kmerl.model.pretrain;

import java.util.List;
import org.kmerl.model.ecg.TokenLayout;
import org.kmerl.model.ecg.TokenSelection;
import org.kmerl.tensor.Device;
import org.kmerl.tensor.Tensor;

/**
 * One batch as plain arrays (built on a loader thread; tensors are made on the training thread): the
 * data rows, signals [B, 12, L], each sample's kept tokens, report embeddings [B, textDim] and entity
 * labels [B, E].
 */
public record Batch(long step, int[] rows, float[] signals, List<TokenSelection> tokens, float[] reports,
                    float[] entityLabels) {
    /**
     * The batch of {@code rows} of {@code data} with the given token selections, its report embeddings
     * ([N, textDim] for all of the data's rows) and entity rows copied in.
     */
    static Batch assemble(long step, PretrainData data, int[] rows, List<TokenSelection> tokens,
                          float[] reportEmbeddings, int textDim, List<float[]> entityRows) {
        int b = rows.length;
        int length = data.length();
        int entities = entityRows.isEmpty() ? 0 : entityRows.get(0).length;
        float[] signals = new float[b * 12 * length];
        float[] reports = new float[b * textDim];
        float[] labels = new float[b * entities];
        for (int k = 0; k < b; k++) {
            data.read(rows[k], signals, k * 12 * length);
            System.arraycopy(reportEmbeddings, rows[k] * textDim, reports, k * textDim, textDim);
            if (entities > 0) {
                System.arraycopy(entityRows.get(rows[k]), 0, labels, k * entities, entities);
            }
        }
        return new Batch(step, rows, signals, tokens, reports, labels);
    }

    public int size() {
        return rows.length;
    }

    /** [B, 12, L] on {@code device}. */
    public Tensor signalTensor(Device device) {
        return Tensor.of(signals, size(), 12, signals.length / (12 * size())).moveTo(device);
    }

    /** [B, textDim] on {@code device}. */
    public Tensor reportTensor(Device device) {
        return Tensor.of(reports, size(), reports.length / size()).moveTo(device);
    }

    /** [B, E] on {@code device}. */
    public Tensor labelTensor(Device device) {
        return Tensor.of(entityLabels, size(), entityLabels.length / size()).moveTo(device);
    }

    public TokenLayout layout(int patchesPerLead, Device device) {
        return TokenLayout.of(tokens, patchesPerLead, device);
    }
}
