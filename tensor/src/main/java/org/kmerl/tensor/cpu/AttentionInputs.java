package org.kmerl.tensor.cpu;

import java.util.Arrays;
import org.kmerl.tensor.Philox;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.backend.AttentionConfig;

/**
 * The operands of one attention call in [B, H, T, D] layout (contiguous), as the CPU kernels read
 * them, with the two rules both the reference and the tiled kernel apply: which keys are padded,
 * and which attention weights dropout keeps.
 */
final class AttentionInputs {
    final int h;
    final int tq;
    final int tk;
    final int d;
    final int dv;
    final float[] qs;
    final float[] ks;
    final float[] vs;
    final int qOff;
    final int kOff;
    final int vOff;
    final AttentionConfig config;
    private final boolean[] padded;

    AttentionInputs(Tensor q, Tensor k, Tensor v, Tensor keyPadding, AttentionConfig config) {
        h = q.dim(1);
        tq = q.dim(2);
        d = q.dim(3);
        tk = k.dim(2);
        dv = v.dim(3);
        qs = CpuStorage.floats(q);
        ks = CpuStorage.floats(k);
        vs = CpuStorage.floats(v);
        qOff = q.offset();
        kOff = k.offset();
        vOff = v.offset();
        this.config = config;
        if (keyPadding == null) {
            padded = null;
        } else {
            float[] m = CpuStorage.floats(keyPadding);
            padded = new boolean[keyPadding.numel()];
            for (int i = 0; i < padded.length; i++) {
                padded[i] = m[keyPadding.offset() + i] != 0f;
            }
        }
    }

    boolean hasPadding() {
        return padded != null;
    }

    /** Whether key {@code key} of batch element {@code batch} is padding (no query may attend to it). */
    boolean isPadded(int batch, int key) {
        return padded != null && padded[batch * tk + key];
    }

    /**
     * keep[j] = 1/(1-p) if the weight of query row {@code row} (index over B·H·Tq) on key c0 + j
     * survives dropout, else 0; all 1 without dropout. The decision is Philox word
     * {@code offset + row·Tk + key} compared with p, so both passes recompute the same mask.
     */
    void keepFactors(int row, int c0, int n, float[] keep) {
        float p = config.dropout();
        if (p == 0f) {
            Arrays.fill(keep, 0, n, 1f);
            return;
        }
        Philox.uniforms(config.seed(), config.offset() + (long) row * tk + c0, keep, 0, n);
        float scale = 1f / (1f - p);
        for (int j = 0; j < n; j++) {
            keep[j] = keep[j] >= p ? scale : 0f;
        }
    }
}
