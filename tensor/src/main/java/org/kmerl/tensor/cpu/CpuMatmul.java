package org.kmerl.tensor.cpu;

import java.util.Arrays;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.backend.MatmulKernels;

/**
 * Reference matrix product: the i-k-j loop order, so the innermost loop runs along a row of B and a
 * row of C. When B's rows are not contiguous (a transposed operand), each batch of B is first packed
 * into a dense copy so the inner loop still reads consecutive floats. Parallel over the rows of all
 * batches; each output row is summed by one thread in k order.
 */
final class CpuMatmul implements MatmulKernels {

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
        float[] cs = CpuStorage.floats(out);
        int[] aBase = batchOffsets(a, batchShape, batches);
        int[] cBase = batchOffsets(out, batchShape, batches);
        int sam = a.stride(-2);
        int sak = a.stride(-1);

        // B as dense [batches][k][n] rows, packed only when needed.
        float[] bs;
        int[] bBase;
        int sbk;
        if (b.stride(-1) == 1 || n == 1) {
            bs = CpuStorage.floats(b);
            bBase = batchOffsets(b, batchShape, batches);
            sbk = b.stride(-2);
        } else {
            bs = packRows(b, batchShape, batches, k, n);
            bBase = new int[batches];
            for (int i = 0; i < batches; i++) {
                bBase[i] = i * k * n;
            }
            sbk = n;
        }
        int grain = Math.max(1, StridedLoop.PARALLEL_GRAIN / Math.max(1, k * n));
        CpuThreads.parallelFor(batches * m, grain, (start, end) -> {
            for (int r = start; r < end; r++) {
                int batch = r / m;
                int i = r % m;
                int c0 = cBase[batch] + i * n;
                Arrays.fill(cs, c0, c0 + n, 0f);
                int a0 = aBase[batch] + i * sam;
                int b0 = bBase[batch];
                for (int p = 0; p < k; p++) {
                    float aip = as[a0 + p * sak];
                    int bp = b0 + p * sbk;
                    for (int j = 0; j < n; j++) {
                        cs[c0 + j] += aip * bs[bp + j];
                    }
                }
            }
        });
    }

    /** Storage offset of each batch's first element, batches in row-major order. */
    private static int[] batchOffsets(Tensor t, int[] batchShape, int batches) {
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

    private static float[] packRows(Tensor b, int[] batchShape, int batches, int k, int n) {
        float[] src = CpuStorage.floats(b);
        int[] base = batchOffsets(b, batchShape, batches);
        int sk = b.stride(-2);
        int sn = b.stride(-1);
        float[] dst = new float[batches * k * n];
        CpuThreads.parallelFor(batches * k, Math.max(1, StridedLoop.PARALLEL_GRAIN / Math.max(1, n)), (s, e) -> {
            for (int r = s; r < e; r++) {
                int batch = r / k;
                int p = r % k;
                int from = base[batch] + p * sk;
                int to = r * n;
                for (int j = 0; j < n; j++) {
                    dst[to + j] = src[from + j * sn];
                }
            }
        });
        return dst;
    }
}
