package org.kmerl.tensor.cpu;

import java.util.Arrays;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.backend.AttentionConfig;
import org.kmerl.tensor.backend.AttentionKernels;

/**
 * Reference attention, one query row at a time:
 * <pre>
 *   s_j = scale * q·k_j          (padded keys: -inf)
 *   lse = log sum_j exp(s_j)     (saved)
 *   p_j = exp(s_j - lse)         (probabilities)
 *   p'_j = p_j * keep_j / (1-d)  (dropout; keep_j recomputed from Philox, never stored)
 *   out = sum_j p'_j v_j
 * </pre>
 * Backward recomputes p from the saved lse; with {@code D = dout·out}:
 * {@code dv_j += p'_j dout}, {@code ds_j = p_j (keep_j/(1-d) dout·v_j - D)}, {@code dq += scale ds_j k_j},
 * {@code dk_j += scale ds_j q}. Forward is parallel over query rows, backward over (batch, head)
 * pairs so that dk and dv have a single writer each.
 */
final class CpuAttention implements AttentionKernels {

    @Override
    public void forward(Tensor q, Tensor k, Tensor v, Tensor keyPadding, AttentionConfig config, Tensor out, Tensor lse) {
        AttentionInputs in = new AttentionInputs(q, k, v, keyPadding, config);
        float[] os = CpuStorage.floats(out);
        float[] ls = CpuStorage.floats(lse);
        int rows = q.dim(0) * in.h * in.tq;
        int grain = Math.max(1, StridedLoop.PARALLEL_GRAIN / Math.max(1, in.tk * (in.d + in.dv)));
        CpuThreads.parallelFor(rows, grain, (start, end) -> {
            float[] p = new float[in.tk];
            float[] keep = new float[in.tk];
            for (int row = start; row < end; row++) {
                int o0 = out.offset() + row * in.dv;
                Arrays.fill(os, o0, o0 + in.dv, 0f);
                float max = scores(in, row, p);
                if (max == Float.NEGATIVE_INFINITY) {
                    ls[lse.offset() + row] = Float.NEGATIVE_INFINITY; // every key padded: zero output
                    continue;
                }
                double sum = 0;
                for (int j = 0; j < in.tk; j++) {
                    sum += Math.exp(p[j] - max);
                }
                float rowLse = max + (float) Math.log(sum);
                ls[lse.offset() + row] = rowLse;
                probabilities(in, p, rowLse);
                in.keepFactors(row, 0, in.tk, keep);
                int bh = row / in.tq;
                for (int j = 0; j < in.tk; j++) {
                    float w = p[j] * keep[j];
                    if (w == 0f) {
                        continue;
                    }
                    int v0 = in.vOff + (bh * in.tk + j) * in.dv;
                    for (int c = 0; c < in.dv; c++) {
                        os[o0 + c] += w * in.vs[v0 + c];
                    }
                }
            }
        });
    }

    @Override
    public void backward(Tensor q, Tensor k, Tensor v, Tensor keyPadding, AttentionConfig config, Tensor out,
                         Tensor lse, Tensor gradOut, Tensor gradQ, Tensor gradK, Tensor gradV) {
        AttentionInputs in = new AttentionInputs(q, k, v, keyPadding, config);
        float[] os = CpuStorage.floats(out);
        float[] ls = CpuStorage.floats(lse);
        float[] gos = CpuStorage.floats(gradOut);
        float[] gqs = CpuStorage.floats(gradQ);
        float[] gks = CpuStorage.floats(gradK);
        float[] gvs = CpuStorage.floats(gradV);
        float scale = config.scale();
        CpuThreads.parallelFor(q.dim(0) * in.h, 1, (start, end) -> {
            float[] p = new float[in.tk];
            float[] keep = new float[in.tk];
            for (int bh = start; bh < end; bh++) {
                for (int i = 0; i < in.tq; i++) {
                    int row = bh * in.tq + i;
                    float rowLse = ls[lse.offset() + row];
                    if (rowLse == Float.NEGATIVE_INFINITY) {
                        continue; // every key padded: no output, no gradient
                    }
                    scores(in, row, p);
                    probabilities(in, p, rowLse);
                    in.keepFactors(row, 0, in.tk, keep);
                    int go0 = gradOut.offset() + row * in.dv;
                    int o0 = out.offset() + row * in.dv;
                    double dot = 0;
                    for (int c = 0; c < in.dv; c++) {
                        dot += (double) gos[go0 + c] * os[o0 + c];
                    }
                    int q0 = in.qOff + row * in.d;
                    int gq0 = gradQ.offset() + row * in.d;
                    for (int j = 0; j < in.tk; j++) {
                        if (p[j] == 0f) {
                            continue;
                        }
                        int v0 = in.vOff + (bh * in.tk + j) * in.dv;
                        int gv0 = gradV.offset() + (bh * in.tk + j) * in.dv;
                        double dpv = 0;
                        float w = p[j] * keep[j];
                        for (int c = 0; c < in.dv; c++) {
                            dpv += (double) gos[go0 + c] * in.vs[v0 + c];
                            gvs[gv0 + c] += w * gos[go0 + c];
                        }
                        float ds = (float) (p[j] * (keep[j] * dpv - dot)) * scale;
                        int k0 = in.kOff + (bh * in.tk + j) * in.d;
                        int gk0 = gradK.offset() + (bh * in.tk + j) * in.d;
                        for (int c = 0; c < in.d; c++) {
                            gqs[gq0 + c] += ds * in.ks[k0 + c];
                            gks[gk0 + c] += ds * in.qs[q0 + c];
                        }
                    }
                }
            }
        });
    }

    /** s[j] = scale * q_row · k_j in double, or -inf for padded keys; returns the maximum. */
    private static float scores(AttentionInputs in, int row, float[] s) {
        int bh = row / in.tq;
        int batch = bh / in.h;
        int q0 = in.qOff + row * in.d;
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < in.tk; j++) {
            if (in.isPadded(batch, j)) {
                s[j] = Float.NEGATIVE_INFINITY;
                continue;
            }
            int k0 = in.kOff + (bh * in.tk + j) * in.d;
            double dot = 0;
            for (int c = 0; c < in.d; c++) {
                dot += (double) in.qs[q0 + c] * in.ks[k0 + c];
            }
            s[j] = (float) dot * in.config.scale();
            max = Math.max(max, s[j]);
        }
        return max;
    }

    /** Turns scores into probabilities exp(s - lse) in place (padded keys: 0). */
    private static void probabilities(AttentionInputs in, float[] s, float lse) {
        for (int j = 0; j < in.tk; j++) {
            s[j] = (float) Math.exp(s[j] - lse);
        }
    }
}
