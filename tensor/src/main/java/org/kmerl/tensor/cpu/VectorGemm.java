package org.kmerl.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Matrix product with the Vector API, organised as in BLIS / GotoBLAS:
 * <ol>
 *   <li>B is packed, KC rows at a time, into panels of NR = 2 vectors of columns, each panel laid
 *       out k-major so the micro-kernel streams it with unit stride (transposed B costs only a
 *       gather while packing);</li>
 *   <li>A is read in place, one MC x KC block at a time (the block stays in L2 while it meets every
 *       B panel); the micro-kernel takes one scalar from each of its 6 rows per k step. Packing A
 *       as BLIS does measured slower here for every shape tried (1024^3: 198 against 209 GFLOP/s
 *       on 2 Zen 4 cores; 64^3 tiles: 59 against 97);</li>
 *   <li>a 6 x 2-vector micro-kernel keeps the whole C tile in 12 vector registers and performs
 *       one broadcast of A and two FMAs per row and k step; C is read and written once per KC.</li>
 * </ol>
 * The packing buffer is per thread and reused, so a product allocates nothing. Single-threaded:
 * callers split the work (by row blocks or batches).
 */
public final class VectorGemm implements Gemm {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    static final int MR = 6;
    static final int NR = 2 * L;
    static final int KC = 256;
    static final int MC = 120;
    static final int NC = 3072;

    private static final ThreadLocal<int[]> GATHER = ThreadLocal.withInitial(() -> new int[NR]);

    /** Per thread: the packed B panel and one edge tile. */
    private static final ThreadLocal<float[][]> BUFFERS = ThreadLocal.withInitial(() -> new float[][] {
        new float[KC * ((NC + NR - 1) / NR) * NR], new float[MR * NR]
    });

    @Override
    public void multiply(int m, int n, int k, float[] a, int aOff, int sam, int sak, float[] b, int bOff, int sbk,
                         int sbn, float[] c, int cOff, int ldc, boolean accumulate) {
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            if (!accumulate) {
                for (int i = 0; i < m; i++) {
                    java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
                }
            }
            return;
        }
        float[][] buffers = BUFFERS.get();
        float[] bp = buffers[0];
        float[] edge = buffers[1];
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                packB(b, bOff + pc * sbk + jc * sbn, sbk, sbn, kc, nc, bp);
                boolean add = accumulate || pc > 0;
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    int aBlock = aOff + ic * sam + pc * sak;
                    for (int jr = 0; jr < nc; jr += NR) {
                        int cols = Math.min(NR, nc - jr);
                        for (int ir = 0; ir < mc; ir += MR) {
                            microKernel(kc, a, aBlock + ir * sam, sam, sak, bp, jr * kc,
                                    c, cOff + (ic + ir) * ldc + jc + jr, ldc, add, Math.min(MR, mc - ir), cols, edge);
                        }
                    }
                }
            }
        }
    }

    /** Rows [0, kc) x columns [0, nc) of B into NR-column panels: panel q holds B[p, q*NR + j] at q*NR*kc + p*NR + j. */
    static void packB(float[] b, int off, int sbk, int sbn, int kc, int nc, float[] bp) {
        for (int q = 0; q * NR < nc; q++) {
            int cols = Math.min(NR, nc - q * NR);
            int dst = q * NR * kc;
            int src = off + q * NR * sbn;
            if (sbn == 1 && cols == NR) {
                for (int p = 0; p < kc; p++) {
                    int s = src + p * sbk;
                    FloatVector.fromArray(S, b, s).intoArray(bp, dst);
                    FloatVector.fromArray(S, b, s + L).intoArray(bp, dst + L);
                    dst += NR;
                }
                continue;
            }
            if (cols == NR) {
                // General strides (a transposed B): gather each panel row, NR elements sbn apart.
                int[] index = GATHER.get();
                for (int j = 0; j < NR; j++) {
                    index[j] = j * sbn;
                }
                for (int p = 0; p < kc; p++) {
                    int s = src + p * sbk;
                    FloatVector.fromArray(S, b, s, index, 0).intoArray(bp, dst);
                    FloatVector.fromArray(S, b, s, index, L).intoArray(bp, dst + L);
                    dst += NR;
                }
                continue;
            }
            // A partial panel: walk each column down k, so the reads follow memory.
            for (int j = 0; j < NR; j++) {
                int s = src + j * sbn;
                for (int p = 0, to = dst + j; p < kc; p++, to += NR) {
                    bp[to] = j < cols ? b[s + p * sbk] : 0f;
                }
            }
        }
    }

    /**
     * C[0..rows, 0..cols] (+)= A rows · Bp panel over kc steps, the whole 6 x 2L tile in registers; A is
     * the caller's matrix, read with its own strides.
     * The accumulators must never escape this method (no arrays, no calls that are not inlined):
     * C2 would then box every vector on every iteration. Edge tiles therefore go through the
     * {@code edge} scratch array with plain stores, and a scalar copy of the valid part.
     */
    private static void microKernel(int kc, float[] as, int a, int rowStride, int kStride, float[] bp, int b,
                                    float[] c, int c0, int ldc, boolean add, int rows, int cols, float[] edge) {
        // Rows past the edge repeat the last row (their results are discarded), so A is never read
        // out of bounds.
        int a0 = a;
        int a1 = a + Math.min(1, rows - 1) * rowStride;
        int a2 = a + Math.min(2, rows - 1) * rowStride;
        int a3 = a + Math.min(3, rows - 1) * rowStride;
        int a4 = a + Math.min(4, rows - 1) * rowStride;
        int a5 = a + Math.min(5, rows - 1) * rowStride;
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z;
        FloatVector c30 = z, c31 = z, c40 = z, c41 = z, c50 = z, c51 = z;
        for (int p = 0, off = 0; p < kc; p++, off += kStride) {
            FloatVector b0 = FloatVector.fromArray(S, bp, b);
            FloatVector b1 = FloatVector.fromArray(S, bp, b + L);
            FloatVector x = FloatVector.broadcast(S, as[a0 + off]);
            c00 = b0.fma(x, c00);
            c01 = b1.fma(x, c01);
            x = FloatVector.broadcast(S, as[a1 + off]);
            c10 = b0.fma(x, c10);
            c11 = b1.fma(x, c11);
            x = FloatVector.broadcast(S, as[a2 + off]);
            c20 = b0.fma(x, c20);
            c21 = b1.fma(x, c21);
            x = FloatVector.broadcast(S, as[a3 + off]);
            c30 = b0.fma(x, c30);
            c31 = b1.fma(x, c31);
            x = FloatVector.broadcast(S, as[a4 + off]);
            c40 = b0.fma(x, c40);
            c41 = b1.fma(x, c41);
            x = FloatVector.broadcast(S, as[a5 + off]);
            c50 = b0.fma(x, c50);
            c51 = b1.fma(x, c51);
            b += NR;
        }
        if (rows == MR && cols == NR) {
            if (add) {
                c00 = c00.add(FloatVector.fromArray(S, c, c0));
                c01 = c01.add(FloatVector.fromArray(S, c, c0 + L));
                c10 = c10.add(FloatVector.fromArray(S, c, c0 + ldc));
                c11 = c11.add(FloatVector.fromArray(S, c, c0 + ldc + L));
                c20 = c20.add(FloatVector.fromArray(S, c, c0 + 2 * ldc));
                c21 = c21.add(FloatVector.fromArray(S, c, c0 + 2 * ldc + L));
                c30 = c30.add(FloatVector.fromArray(S, c, c0 + 3 * ldc));
                c31 = c31.add(FloatVector.fromArray(S, c, c0 + 3 * ldc + L));
                c40 = c40.add(FloatVector.fromArray(S, c, c0 + 4 * ldc));
                c41 = c41.add(FloatVector.fromArray(S, c, c0 + 4 * ldc + L));
                c50 = c50.add(FloatVector.fromArray(S, c, c0 + 5 * ldc));
                c51 = c51.add(FloatVector.fromArray(S, c, c0 + 5 * ldc + L));
            }
            c00.intoArray(c, c0);
            c01.intoArray(c, c0 + L);
            c10.intoArray(c, c0 + ldc);
            c11.intoArray(c, c0 + ldc + L);
            c20.intoArray(c, c0 + 2 * ldc);
            c21.intoArray(c, c0 + 2 * ldc + L);
            c30.intoArray(c, c0 + 3 * ldc);
            c31.intoArray(c, c0 + 3 * ldc + L);
            c40.intoArray(c, c0 + 4 * ldc);
            c41.intoArray(c, c0 + 4 * ldc + L);
            c50.intoArray(c, c0 + 5 * ldc);
            c51.intoArray(c, c0 + 5 * ldc + L);
            return;
        }
        // Edge tile: the tile goes to the scratch array with plain stores, then its valid part is
        // copied. (Handing the vectors to masked-store helpers or an array would make them escape.)
        c00.intoArray(edge, 0);
        c01.intoArray(edge, L);
        c10.intoArray(edge, NR);
        c11.intoArray(edge, NR + L);
        c20.intoArray(edge, 2 * NR);
        c21.intoArray(edge, 2 * NR + L);
        c30.intoArray(edge, 3 * NR);
        c31.intoArray(edge, 3 * NR + L);
        c40.intoArray(edge, 4 * NR);
        c41.intoArray(edge, 4 * NR + L);
        c50.intoArray(edge, 5 * NR);
        c51.intoArray(edge, 5 * NR + L);
        for (int r = 0; r < rows; r++) {
            int at = c0 + r * ldc;
            int e = r * NR;
            int j = 0;
            if (cols == NR) {
                for (; j < NR; j += L) {
                    FloatVector v = FloatVector.fromArray(S, edge, e + j);
                    if (add) {
                        v = v.add(FloatVector.fromArray(S, c, at + j));
                    }
                    v.intoArray(c, at + j);
                }
            }
            for (; j < cols; j++) {
                c[at + j] = add ? c[at + j] + edge[e + j] : edge[e + j];
            }
        }
    }
}
