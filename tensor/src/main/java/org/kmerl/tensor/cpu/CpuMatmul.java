package org.kmerl.tensor.cpu;

import java.util.Arrays;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.backend.MatmulKernels;

/**
 * Batched matrix products on top of a single-threaded {@link Gemm} variant (the readable reference
 * or the Vector API kernel). Many batches give one task per batch; fewer batches than threads are
 * cut into one column block per thread when there are enough columns (each thread then packs only
 * its part of B), else into row blocks. Every output element is computed by one task with the same
 * summation order, so the result does not depend on the thread count.
 */
final class CpuMatmul implements MatmulKernels {
    /** Column blocks are multiples of 64, whole micro-kernel panels for every vector width up to 512 bits. */
    static final int COLUMN_BLOCK = 64;

    private final Gemm gemm;

    CpuMatmul(Gemm gemm) {
        this.gemm = gemm;
    }

    @Override
    public void matmul(Tensor a, Tensor b, Tensor out) {
        product(a, b, null, out);
    }

    /**
     * Each task first writes the bias into its own block of {@code out} and then accumulates its
     * product onto it, so the bias costs no pass of its own: the block is in the task's cache
     * already, where a separate add would read a block written by another core.
     */
    @Override
    public void addmm(Tensor bias, Tensor a, Tensor b, Tensor out) {
        product(a, b, bias, out);
    }

    private void product(Tensor a, Tensor b, Tensor bias, Tensor out) {
        int rank = out.rank();
        int[] os = out.shape();
        int m = os[rank - 2];
        int n = os[rank - 1];
        int k = a.dim(-1);
        int[] batchShape = Arrays.copyOf(os, rank - 2);
        int batches = 1;
        for (int d : batchShape) {
            batches *= d;
        }
        if (batches == 0 || m == 0 || n == 0) {
            return;
        }
        float[] as = CpuStorage.floats(a);
        float[] bs = CpuStorage.floats(b);
        float[] cs = CpuStorage.floats(out);
        int[] aBase = batchOffsets(a, batchShape, batches);
        int[] bBase = batchOffsets(b, batchShape, batches);
        int[] cBase = batchOffsets(out, batchShape, batches);
        int sam = a.stride(-2);
        int sak = a.stride(-1);
        int sbk = b.stride(-2);
        int sbn = b.stride(-1);
        long flops = 2L * batches * m * n * k;
        int threads = flops < 2_000_000 ? 1 : CpuThreads.threads();
        if (batches < threads && n >= threads * COLUMN_BLOCK) {
            // Few large products (a Linear layer): split the columns, so that each thread packs only
            // its share of B; split by rows, every thread would pack all of B.
            int blocks = threads;
            CpuThreads.parallelFor(batches * blocks, 1, (start, end) -> {
                for (int t = start; t < end; t++) {
                    int batch = t / blocks;
                    int block = t % blocks;
                    int c0 = columnBoundary(n, block, blocks);
                    int c1 = columnBoundary(n, block + 1, blocks);
                    if (bias != null) {
                        fillBias(bias, cs, cBase[batch], n, 0, m, c0, c1);
                    }
                    gemm.multiply(m, c1 - c0, k, as, aBase[batch], sam, sak, bs, bBase[batch] + c0 * sbn, sbk, sbn,
                            cs, cBase[batch] + c0, n, bias != null);
                }
            });
            return;
        }
        // Row blocks per batch: enough tasks to occupy every thread, and no block thinner than 16 rows
        // unless the whole product is small.
        int blocks = Math.max(1, Math.min((threads + batches - 1) / batches, (m + 15) / 16));
        CpuThreads.parallelFor(batches * blocks, 1, (start, end) -> {
            for (int t = start; t < end; t++) {
                int batch = t / blocks;
                int block = t % blocks;
                int r0 = (int) ((long) m * block / blocks);
                int r1 = (int) ((long) m * (block + 1) / blocks);
                if (bias != null) {
                    fillBias(bias, cs, cBase[batch], n, r0, r1, 0, n);
                }
                gemm.multiply(r1 - r0, n, k, as, aBase[batch] + r0 * sam, sam, sak, bs, bBase[batch], sbk, sbn,
                        cs, cBase[batch] + r0 * n, n, bias != null);
            }
        });
    }

    /** Rows [r0, r1) x columns [c0, c1) of the row-major {@code c} (n columns) := bias[column]. */
    private static void fillBias(Tensor bias, float[] c, int cOff, int n, int r0, int r1, int c0, int c1) {
        float[] bs = CpuStorage.floats(bias);
        int stride = bias.stride(0);
        int off = bias.offset();
        for (int r = r0; r < r1; r++) {
            int row = cOff + r * n;
            if (stride == 1) {
                System.arraycopy(bs, off + c0, c, row + c0, c1 - c0);
            } else {
                for (int j = c0; j < c1; j++) {
                    c[row + j] = bs[off + j * stride];
                }
            }
        }
    }

    /** Where column block {@code i} of {@code blocks} starts: a multiple of {@link #COLUMN_BLOCK}, or n. */
    static int columnBoundary(int n, int i, int blocks) {
        int units = (n + COLUMN_BLOCK - 1) / COLUMN_BLOCK;
        return Math.min(n, (int) ((long) units * i / blocks) * COLUMN_BLOCK);
    }

    /** Storage offset of each batch's first element, batches in row-major order. */
    static int[] batchOffsets(Tensor t, int[] batchShape, int batches) {
        int[] strides = Arrays.copyOf(t.strides(), batchShape.length);
        int[] offsets = new int[batches];
        int[] index = new int[batchShape.length];
        for (int i = 0; i < batches; i++) {
            int off = t.offset();
            for (int d = 0; d < index.length; d++) {
                off += index[d] * strides[d];
            }
            offsets[i] = off;
            for (int d = index.length - 1; d >= 0; d--) {
                if (++index[d] < batchShape[d]) {
                    break;
                }
                index[d] = 0;
            }
        }
        return offsets;
    }
}
