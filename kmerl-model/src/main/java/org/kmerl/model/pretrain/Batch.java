package org.kmerl.model.pretrain;

import java.util.List;
import org.kmerl.model.ecg.TokenSelection;

/**
 * One training batch as plain arrays (built on a loader thread; tensors are made on the training
 * thread): the data rows, signals [B, 12, L], each sample's kept tokens, report embeddings
 * [B, textDim] and entity labels [B, E].
 */
public record Batch(long step, int[] rows, float[] signals, List<TokenSelection> tokens, float[] reports,
                    float[] entityLabels) {
}
