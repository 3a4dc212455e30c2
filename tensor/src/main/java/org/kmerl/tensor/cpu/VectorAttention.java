package org.kmerl.tensor.cpu;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.backend.AttentionConfig;
import org.kmerl.tensor.backend.AttentionKernels;

/**
 * Fused attention in tiles, as in FlashAttention-2, on the CPU. Queries are taken BR rows at a time
 * and keys BC at a time; a BR x BC tile of scores lives in a per-thread scratch array, never the
 * whole T x T matrix. Up to {@link #WHOLE_KEYS} keys are one key tile, and short sequences one tile.
 * <p>Forward keeps, per query row, the running maximum m and the running sum l of exp(s - m) (the
 * "online softmax"): each new key tile rescales the partial output by exp(m_old - m_new) before
 * adding P·V. The output is O / l and the saved statistic is lse = m + log l.
 * <p>Backward walks key tiles in the outer loop: P = exp(s - lse) is recomputed from the saved lse,
 * {@code dV += P'ᵀ dO}, {@code dP' = dO Vᵀ}, {@code dS = P ⊙ (dP'·keep - D)} with D = rowsum(dO ⊙ O),
 * {@code dQ += dS K}, {@code dK += dSᵀ Q}. The tile products run on {@link VectorGemm}. Parallel over
 * (batch, head) pairs, so every gradient element has one writer.
 */
final class VectorAttention implements AttentionKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    static final int BR = 64;
    static final int BC = 256;
    /**
     * Up to this many keys form one tile. A strip of 64 queries by 512 keys is 128 KB, a few of which
     * fit in a core's L2: nothing to rescale, and fewer, larger products. Measured on 1 thread, D = 64,
     * medians after warm-up: T = 360 forward + backward 62 -> 53 ms (B=8, H=4) against 64-key tiles;
     * T = 1000 105-110 -> 97-103 ms (B=2) with 256-key tiles beyond this size.
     */
    static final int WHOLE_KEYS = 512;
    /** Floats in one tile of scores at most when all queries go in one tile (128 KB). */
    static final int WHOLE_TILE = 32_768;

    private final Gemm gemm = new VectorGemm();

    /** Key tile width: every key at once up to WHOLE_KEYS, else BC. */
    static int keyTile(int tk) {
        return tk <= WHOLE_KEYS ? Math.max(tk, 1) : BC;
    }

    /** Query tile height: every query at once when that tile of scores stays within WHOLE_TILE, else BR. */
    static int queryTile(int tq, int keyTile) {
        return (long) tq * keyTile <= WHOLE_TILE ? Math.max(tq, 1) : BR;
    }

    /**
     * Per-thread tiles: scores/probabilities, P·keep, dP, partial output or D, row max, row sum or
     * keep tile, keep row, Kᵀ and Vᵀ of the current head.
     */
    private static final Scratch SCRATCH = new Scratch(9);

    private static float[] scratch(int slot, int size) {
        return SCRATCH.get(slot, size);
    }

    /**
     * Scores of query rows [r0, r0+br) against keys [c0, c0+bc) of head bh into s (row stride ld),
     * scaled, with padded keys at -inf. {@code kt} is the head's Kᵀ [d, tk] (see {@link #transpose}),
     * so the product reads a row-major B instead of gathering columns.
     */
    private void scores(AttentionInputs in, float[] kt, int bh, int r0, int br, int c0, int bc, float[] s, int ld) {
        gemm.multiply(br, bc, in.d, in.qs, in.qOff + (bh * in.tq + r0) * in.d, in.d, 1, kt, c0, in.tk, 1, s, 0, ld,
                false);
        int batch = bh / in.h;
        for (int r = 0; r < br; r++) {
            VectorRows.scale(s, r * ld, bc, in.config.scale());
            if (in.hasPadding()) {
                for (int j = 0; j < bc; j++) {
                    if (in.isPadded(batch, c0 + j)) {
                        s[r * ld + j] = Float.NEGATIVE_INFINITY;
                    }
                }
            }
        }
    }

    /** dst[c, r] = x[r, c] for the [rows, cols] matrix at {@code off} in x. */
    private static void transpose(float[] x, int off, int rows, int cols, float[] dst) {
        for (int r = 0; r < rows; r++) {
            int src = off + r * cols;
            for (int c = 0; c < cols; c++) {
                dst[c * rows + r] = x[src + c];
            }
        }
    }

    @Override
    public void forward(Tensor q, Tensor k, Tensor v, Tensor keyPadding, AttentionConfig config, Tensor out, Tensor lse) {
        AttentionInputs c = new AttentionInputs(q, k, v, keyPadding, config);
        float[] os = CpuStorage.floats(out);
        float[] ls = CpuStorage.floats(lse);
        int heads = q.dim(0) * c.h;
        int bcMax = keyTile(c.tk);
        int brMax = queryTile(c.tq, bcMax);
        CpuThreads.parallelFor(heads, 1, (start, end) -> {
            float[] s = scratch(0, brMax * bcMax);
            float[] acc = scratch(3, brMax * c.dv);
            float[] m = scratch(4, brMax);
            float[] l = scratch(5, brMax);
            float[] keep = scratch(6, bcMax);
            float[] kt = scratch(7, c.d * c.tk);
            for (int bh = start; bh < end; bh++) {
                transpose(c.ks, c.kOff + bh * c.tk * c.d, c.tk, c.d, kt);
                for (int r0 = 0; r0 < c.tq; r0 += brMax) {
                    int br = Math.min(brMax, c.tq - r0);
                    Arrays.fill(m, 0, br, Float.NEGATIVE_INFINITY);
                    Arrays.fill(l, 0, br, 0f);
                    Arrays.fill(acc, 0, br * c.dv, 0f);
                    for (int c0 = 0; c0 < c.tk; c0 += bcMax) {
                        int bc = Math.min(bcMax, c.tk - c0);
                        scores(c, kt, bh, r0, br, c0, bc, s, bcMax);
                        for (int r = 0; r < br; r++) {
                            onlineSoftmaxRow(s, r * bcMax, bc, m, l, r, acc, r * c.dv, c.dv);
                            if (config.dropout() > 0f) {
                                c.keepFactors(bh * c.tq + r0 + r, c0, bc, keep);
                                for (int j = 0; j < bc; j++) {
                                    s[r * bcMax + j] *= keep[j];
                                }
                            }
                        }
                        gemm.multiply(br, c.dv, bc, s, 0, bcMax, 1, c.vs, c.vOff + (bh * c.tk + c0) * c.dv, c.dv, 1,
                                acc, 0, c.dv, true);
                    }
                    for (int r = 0; r < br; r++) {
                        int row = bh * c.tq + r0 + r;
                        int o0 = out.offset() + row * c.dv;
                        if (l[r] == 0f) {
                            // Every key padded: zero output.
                            Arrays.fill(os, o0, o0 + c.dv, 0f);
                            ls[lse.offset() + row] = Float.NEGATIVE_INFINITY;
                            continue;
                        }
                        float inv = 1f / l[r];
                        int j = 0;
                        for (; j <= c.dv - L; j += L) {
                            FloatVector.fromArray(S, acc, r * c.dv + j).mul(inv).intoArray(os, o0 + j);
                        }
                        for (; j < c.dv; j++) {
                            os[o0 + j] = acc[r * c.dv + j] * inv;
                        }
                        ls[lse.offset() + row] = m[r] + (float) Math.log(l[r]);
                    }
                }
            }
        });
    }

    /**
     * One row of the online softmax: folds the scores s[at .. at+bc) into the running max m[r] and
     * sum l[r], rescales the partial output acc[o .. o+dv) and leaves exp(s - m) in s.
     */
    private static void onlineSoftmaxRow(float[] s, int at, int bc, float[] m, float[] l, int r, float[] acc, int o,
                                         int dv) {
        float blockMax = VectorRows.max(s, at, bc);
        float mNew = Math.max(m[r], blockMax);
        if (mNew == Float.NEGATIVE_INFINITY) {
            Arrays.fill(s, at, at + bc, 0f); // all keys so far padded
            return;
        }
        float correction = (float) Math.exp(m[r] - mNew); // 0 when m was -inf
        float total = (float) VectorRows.expShifted(s, at, bc, mNew, s, at);
        l[r] = l[r] * correction + total;
        m[r] = mNew;
        if (correction != 1f) {
            VectorRows.scale(acc, o, dv, correction);
        }
    }

    @Override
    public void backward(Tensor q, Tensor k, Tensor v, Tensor keyPadding, AttentionConfig config, Tensor out,
                         Tensor lse, Tensor gradOut, Tensor gradQ, Tensor gradK, Tensor gradV) {
        AttentionInputs c = new AttentionInputs(q, k, v, keyPadding, config);
        float[] os = CpuStorage.floats(out);
        float[] ls = CpuStorage.floats(lse);
        float[] gos = CpuStorage.floats(gradOut);
        float[] gqs = CpuStorage.floats(gradQ);
        float[] gks = CpuStorage.floats(gradK);
        float[] gvs = CpuStorage.floats(gradV);
        float scale = config.scale();
        int heads = q.dim(0) * c.h;
        int bcMax = keyTile(c.tk);
        int brMax = queryTile(c.tq, bcMax);
        CpuThreads.parallelFor(heads, 1, (start, end) -> {
            float[] s = scratch(0, brMax * bcMax);
            float[] pk = scratch(1, brMax * bcMax);
            float[] dp = scratch(2, brMax * bcMax);
            float[] rowD = scratch(3, c.tq);
            float[] keepTile = scratch(5, brMax * bcMax);
            float[] keep = scratch(6, bcMax);
            float[] kt = scratch(7, c.d * c.tk);
            float[] vt = scratch(8, c.dv * c.tk);
            for (int bh = start; bh < end; bh++) {
                transpose(c.ks, c.kOff + bh * c.tk * c.d, c.tk, c.d, kt);
                transpose(c.vs, c.vOff + bh * c.tk * c.dv, c.tk, c.dv, vt);
                // D_r = dO_r · O_r
                for (int r = 0; r < c.tq; r++) {
                    int row = bh * c.tq + r;
                    rowD[r] = VectorRows.dot(gos, gradOut.offset() + row * c.dv, os, out.offset() + row * c.dv, c.dv);
                }
                for (int c0 = 0; c0 < c.tk; c0 += bcMax) {
                    int bc = Math.min(bcMax, c.tk - c0);
                    int kRows = (bh * c.tk + c0);
                    for (int r0 = 0; r0 < c.tq; r0 += brMax) {
                        int br = Math.min(brMax, c.tq - r0);
                        scores(c, kt, bh, r0, br, c0, bc, s, bcMax);
                        // P = exp(s - lse), P' = P * keep
                        for (int r = 0; r < br; r++) {
                            int row = bh * c.tq + r0 + r;
                            float rowLse = ls[lse.offset() + row];
                            int at = r * bcMax;
                            if (rowLse == Float.NEGATIVE_INFINITY) {
                                Arrays.fill(s, at, at + bc, 0f);
                                Arrays.fill(pk, at, at + bc, 0f);
                                continue;
                            }
                            c.keepFactors(row, c0, bc, keep);
                            System.arraycopy(keep, 0, keepTile, at, bc);
                            // exp in its own small loop: inlined there, boxed vectors here (see VectorMath).
                            VectorMath.expInPlace(s, at, bc, rowLse);
                            VectorRows.multiply(s, at, keep, 0, pk, at, bc);
                        }
                        int goRows = gradOut.offset() + (bh * c.tq + r0) * c.dv;
                        // dV += P'ᵀ dO
                        gemm.multiply(bc, c.dv, br, pk, 0, 1, bcMax, gos, goRows, c.dv, 1,
                                gvs, gradV.offset() + kRows * c.dv, c.dv, true);
                        // dP' = dO Vᵀ
                        gemm.multiply(br, bc, c.dv, gos, goRows, c.dv, 1, vt, c0, c.tk, 1, dp, 0, bcMax, false);
                        // dS = P ⊙ (dP' ⊙ keep - D) · scale
                        for (int r = 0; r < br; r++) {
                            int at = r * bcMax;
                            float dr = rowD[r0 + r];
                            int j = 0;
                            for (; j <= bc - L; j += L) {
                                FloatVector p = FloatVector.fromArray(S, s, at + j);
                                FloatVector g = FloatVector.fromArray(S, dp, at + j)
                                        .mul(FloatVector.fromArray(S, keepTile, at + j)).sub(dr);
                                p.mul(g).mul(scale).intoArray(dp, at + j);
                            }
                            for (; j < bc; j++) {
                                dp[at + j] = s[at + j] * (dp[at + j] * keepTile[at + j] - dr) * scale;
                            }
                        }
                        // dQ += dS K ;  dK += dSᵀ Q
                        gemm.multiply(br, c.d, bc, dp, 0, bcMax, 1, c.ks, c.kOff + kRows * c.d, c.d, 1,
                                gqs, gradQ.offset() + (bh * c.tq + r0) * c.d, c.d, true);
                        gemm.multiply(bc, c.d, br, dp, 0, 1, bcMax, c.qs, c.qOff + (bh * c.tq + r0) * c.d, c.d, 1,
                                gks, gradK.offset() + kRows * c.d, c.d, true);
                    }
                }
            }
        });
    }
}
