package org.kmerl.tensor.cpu;

import java.util.Arrays;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.backend.MatmulKernels;

/**
 * Batched matrix products on top of a single-threaded {@link Gemm} variant (the readable reference
 * or the Vector API kernel). Work is split into tasks of (batch, block of rows): many batches give
 * one task per batch; a single large product is cut into one row block per thread. Every output
 * row is computed by one task in a fixed order, so the result does not depend on the thread count.
 */
final class CpuMatmul implements MatmulKernels {
    private final Gemm gemm;

    CpuMatmul(Gemm gemm) {
        this.gemm = gemm;
    }

    @Override
    public void matmul(Tensor a, Tensor b, Tensor out) {
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
        // Row blocks per batch: enough tasks to occupy every thread, and no block thinner than 16 rows
        // unless the whole product is small.
        long flops = 2L * batches * m * n * k;
        int threads = flops < 2_000_000 ? 1 : CpuThreads.threads();
        int blocks = Math.max(1, Math.min((threads + batches - 1) / batches, (m + 15) / 16));
        CpuThreads.parallelFor(batches * blocks, 1, (start, end) -> {
            for (int t = start; t < end; t++) {
                int batch = t / blocks;
                int block = t % blocks;
                int r0 = (int) ((long) m * block / blocks);
                int r1 = (int) ((long) m * (block + 1) / blocks);
                gemm.multiply(r1 - r0, n, k, as, aBase[batch] + r0 * sam, sam, sak, bs, bBase[batch], sbk, sbn,
                        cs, cBase[batch] + r0 * n, n, false);
            }
        });
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
