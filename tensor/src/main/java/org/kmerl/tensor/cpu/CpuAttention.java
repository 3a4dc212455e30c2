package org.kmerl.tensor.cpu;

import org.kmerl.tensor.DType;
import org.kmerl.tensor.Philox;
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

    /** Shapes and arrays of one call, in [B, H, T, D] layout, all contiguous. */
    private static final class Dims {
        final int b;
        final int h;
        final int tq;
        final int tk;
        final int d;
        final int dv;

        Dims(Tensor q, Tensor k, Tensor v) {
            b = q.dim(0);
            h = q.dim(1);
            tq = q.dim(2);
            d = q.dim(3);
            tk = k.dim(2);
            dv = v.dim(3);
        }
    }

    @Override
    public void forward(Tensor q, Tensor k, Tensor v, Tensor keyPadding, AttentionConfig config, Tensor out, Tensor lse) {
        Dims dims = new Dims(q, k, v);
        float[] qs = CpuStorage.floats(q);
        float[] ks = CpuStorage.floats(k);
        float[] vs = CpuStorage.floats(v);
        float[] os = CpuStorage.floats(out);
        float[] ls = CpuStorage.floats(lse);
        boolean[] padded = paddingMask(keyPadding, dims);
        int rows = dims.b * dims.h * dims.tq;
        int grain = Math.max(1, StridedLoop.PARALLEL_GRAIN / Math.max(1, dims.tk * (dims.d + dims.dv)));
        CpuThreads.parallelFor(rows, grain, (start, end) -> {
            float[] p = new float[dims.tk];
            float[] keep = new float[dims.tk];
            for (int row = start; row < end; row++) {
                int bh = row / dims.tq;
                int i = row % dims.tq;
                int batch = bh / dims.h;
                float rowLse = probabilities(qs, ks, q.offset(), k.offset(), padded, dims, config.scale(), bh, batch, i, p);
                ls[lse.offset() + row] = rowLse;
                dropoutScale(config, dims, row, keep);
                int o0 = out.offset() + row * dims.dv;
                for (int c = 0; c < dims.dv; c++) {
                    os[o0 + c] = 0f;
                }
                for (int j = 0; j < dims.tk; j++) {
                    float w = p[j] * keep[j];
                    if (w == 0f) {
                        continue;
                    }
                    int v0 = v.offset() + (bh * dims.tk + j) * dims.dv;
                    for (int c = 0; c < dims.dv; c++) {
                        os[o0 + c] += w * vs[v0 + c];
                    }
                }
            }
        });
    }

    @Override
    public void backward(Tensor q, Tensor k, Tensor v, Tensor keyPadding, AttentionConfig config, Tensor out,
                         Tensor lse, Tensor gradOut, Tensor gradQ, Tensor gradK, Tensor gradV) {
        Dims dims = new Dims(q, k, v);
        float[] qs = CpuStorage.floats(q);
        float[] ks = CpuStorage.floats(k);
        float[] vs = CpuStorage.floats(v);
        float[] os = CpuStorage.floats(out);
        float[] ls = CpuStorage.floats(lse);
        float[] gos = CpuStorage.floats(gradOut);
        float[] gqs = CpuStorage.floats(gradQ);
        float[] gks = CpuStorage.floats(gradK);
        float[] gvs = CpuStorage.floats(gradV);
        boolean[] padded = paddingMask(keyPadding, dims);
        float scale = config.scale();
        CpuThreads.parallelFor(dims.b * dims.h, 1, (start, end) -> {
            float[] p = new float[dims.tk];
            float[] keep = new float[dims.tk];
            for (int bh = start; bh < end; bh++) {
                int batch = bh / dims.h;
                for (int i = 0; i < dims.tq; i++) {
                    int row = bh * dims.tq + i;
                    float rowLse = ls[lse.offset() + row];
                    if (rowLse == Float.NEGATIVE_INFINITY) {
                        continue; // every key padded: no output, no gradient
                    }
                    recomputeProbabilities(qs, ks, q.offset(), k.offset(), padded, dims, scale, bh, batch, i, rowLse, p);
                    dropoutScale(config, dims, row, keep);
                    int go0 = gradOut.offset() + row * dims.dv;
                    int o0 = out.offset() + row * dims.dv;
                    double dot = 0;
                    for (int c = 0; c < dims.dv; c++) {
                        dot += (double) gos[go0 + c] * os[o0 + c];
                    }
                    int q0 = q.offset() + row * dims.d;
                    int gq0 = gradQ.offset() + row * dims.d;
                    for (int j = 0; j < dims.tk; j++) {
                        if (p[j] == 0f) {
                            continue;
                        }
                        int v0 = v.offset() + (bh * dims.tk + j) * dims.dv;
                        int gv0 = gradV.offset() + (bh * dims.tk + j) * dims.dv;
                        double dpv = 0;
                        float w = p[j] * keep[j];
                        for (int c = 0; c < dims.dv; c++) {
                            dpv += (double) gos[go0 + c] * vs[v0 + c];
                            gvs[gv0 + c] += w * gos[go0 + c];
                        }
                        float ds = (float) (p[j] * (keep[j] * dpv - dot)) * scale;
                        int k0 = k.offset() + (bh * dims.tk + j) * dims.d;
                        int gk0 = gradK.offset() + (bh * dims.tk + j) * dims.d;
                        for (int c = 0; c < dims.d; c++) {
                            gqs[gq0 + c] += ds * ks[k0 + c];
                            gks[gk0 + c] += ds * qs[q0 + c];
                        }
                    }
                }
            }
        });
    }

    /** Fills p with the probabilities of query row i and returns its log-sum-exp (-inf if all keys are padded). */
    private static float probabilities(float[] qs, float[] ks, int qOff, int kOff, boolean[] padded, Dims dims,
                                       float scale, int bh, int batch, int i, float[] p) {
        int q0 = qOff + (bh * dims.tq + i) * dims.d;
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < dims.tk; j++) {
            if (padded != null && padded[batch * dims.tk + j]) {
                p[j] = Float.NEGATIVE_INFINITY;
                continue;
            }
            int k0 = kOff + (bh * dims.tk + j) * dims.d;
            double s = 0;
            for (int c = 0; c < dims.d; c++) {
                s += (double) qs[q0 + c] * ks[k0 + c];
            }
            p[j] = (float) s * scale;
            max = Math.max(max, p[j]);
        }
        if (max == Float.NEGATIVE_INFINITY) {
            java.util.Arrays.fill(p, 0f);
            return Float.NEGATIVE_INFINITY;
        }
        double sum = 0;
        for (int j = 0; j < dims.tk; j++) {
            sum += Math.exp(p[j] - max);
        }
        float lse = max + (float) Math.log(sum);
        for (int j = 0; j < dims.tk; j++) {
            p[j] = (float) Math.exp(p[j] - lse);
        }
        return lse;
    }

    private static void recomputeProbabilities(float[] qs, float[] ks, int qOff, int kOff, boolean[] padded, Dims dims,
                                               float scale, int bh, int batch, int i, float lse, float[] p) {
        int q0 = qOff + (bh * dims.tq + i) * dims.d;
        for (int j = 0; j < dims.tk; j++) {
            if (padded != null && padded[batch * dims.tk + j]) {
                p[j] = 0f;
                continue;
            }
            int k0 = kOff + (bh * dims.tk + j) * dims.d;
            double s = 0;
            for (int c = 0; c < dims.d; c++) {
                s += (double) qs[q0 + c] * ks[k0 + c];
            }
            p[j] = (float) Math.exp((float) s * scale - lse);
        }
    }

    /**
     * keep[j] = 1/(1-d) if key j of this query row survives dropout, else 0 (all 1 without dropout).
     * The decision for element (row, j) is Philox word {@code offset + row*Tk + j} compared with d.
     */
    private static void dropoutScale(AttentionConfig config, Dims dims, int row, float[] keep) {
        float d = config.dropout();
        if (d == 0f) {
            java.util.Arrays.fill(keep, 1f);
            return;
        }
        Philox.uniforms(config.seed(), config.offset() + (long) row * dims.tk, keep, 0, dims.tk);
        float scale = 1f / (1f - d);
        for (int j = 0; j < dims.tk; j++) {
            keep[j] = keep[j] >= d ? scale : 0f;
        }
    }

    private static boolean[] paddingMask(Tensor keyPadding, Dims dims) {
        if (keyPadding == null) {
            return null;
        }
        boolean[] padded = new boolean[dims.b * dims.tk];
        if (keyPadding.dtype() == DType.INT32) {
            int[] m = CpuStorage.ints(keyPadding);
            for (int i = 0; i < padded.length; i++) {
                padded[i] = m[keyPadding.offset() + i] != 0;
            }
        } else {
            float[] m = CpuStorage.floats(keyPadding);
            for (int i = 0; i < padded.length; i++) {
                padded[i] = m[keyPadding.offset() + i] != 0f;
            }
        }
        return padded;
    }
}
