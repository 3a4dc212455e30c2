package org.kmerl.tensor.cpu;

import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.backend.ReduceOp;
import org.kmerl.tensor.backend.ReductionKernels;

/**
 * Reference reductions. Each output element is reduced by one task in a fixed order (sums in
 * double), so results never depend on the thread count. A reduction to very few outputs is split
 * into fixed-size blocks whose partial results are combined in block order, which is parallel and
 * still independent of the thread count.
 */
final class CpuReductions implements ReductionKernels {
    /** Elements per partial result when few outputs reduce many inputs. */
    static final int BLOCK = 8192;

    @Override
    public void reduce(ReduceOp op, Tensor x, boolean[] axes, Tensor out) {
        float[] xs = CpuStorage.floats(x);
        float[] os = CpuStorage.floats(out);
        int[] shape = x.shape();
        int[] reducedShape = new int[shape.length];
        for (int d = 0; d < shape.length; d++) {
            reducedShape[d] = axes[d] ? shape[d] : 1;
        }
        Walk walk = new Walk(xs, StridedLoop.over(reducedShape, new int[][] {x.strides()}, new int[] {0}));
        StridedLoop kept = StridedLoop.over(out.shape(), new int[][] {x.strides(), out.strides()},
                new int[] {x.offset(), out.offset()});
        long outputs = kept.elements();
        if (outputs < CpuThreads.threads() && walk.count >= 2L * BLOCK) {
            // Few outputs: parallel over fixed blocks of each output's inputs.
            kept.runRows(0, kept.rows(), (off, n) -> {
                for (int i = 0; i < n; i++) {
                    os[off[1] + i * kept.innerStride(1)] =
                            walk.reduceBlocked(op, off[0] + i * kept.innerStride(0));
                }
            });
            return;
        }
        int grain = (int) Math.max(1, StridedLoop.PARALLEL_GRAIN / Math.max(1, walk.count * kept.rowLength()));
        CpuThreads.parallelFor(kept.rows(), grain, (s, e) -> kept.runRows(s, e, (off, n) -> {
            for (int i = 0; i < n; i++) {
                int base = off[0] + i * kept.innerStride(0);
                os[off[1] + i * kept.innerStride(1)] = walk.reduce(op, base, 0, walk.count);
            }
        }));
    }

    @Override
    public void argmax(Tensor x, int axis, Tensor out) {
        float[] xs = CpuStorage.floats(x);
        int[] os = CpuStorage.ints(out);
        int length = x.dim(axis);
        int stride = x.stride(axis);
        StridedLoop kept = StridedLoop.over(out.shape(), new int[][] {x.strides(), out.strides()},
                new int[] {x.offset(), out.offset()});
        int sx = kept.innerStride(0);
        int so = kept.innerStride(1);
        int grain = Math.max(1, StridedLoop.PARALLEL_GRAIN / Math.max(1, length * kept.rowLength()));
        CpuThreads.parallelFor(kept.rows(), grain, (s, e) -> kept.runRows(s, e, (off, n) -> {
            for (int i = 0; i < n; i++) {
                int base = off[0] + i * sx;
                float best = xs[base];
                int bestAt = 0;
                for (int j = 1; j < length; j++) {
                    float v = xs[base + j * stride];
                    // NaN counts as the maximum, as in PyTorch.
                    if (v > best || (Float.isNaN(v) && !Float.isNaN(best))) {
                        best = v;
                        bestAt = j;
                    }
                }
                os[off[1] + i * so] = bestAt;
            }
        }));
    }

    /** The inputs of one output: rows of a strided loop, addressed by a flat index in [0, count). */
    private static final class Walk {
        final float[] data;
        final int[] rowOffsets;
        final int rowLength;
        final int stride;
        final long count;

        Walk(float[] data, StridedLoop loop) {
            this.data = data;
            this.rowLength = loop.rowLength();
            this.stride = loop.innerStride(0);
            this.rowOffsets = new int[loop.rows()];
            int[] r = {0};
            loop.runRows(0, loop.rows(), (off, n) -> rowOffsets[r[0]++] = off[0]);
            this.count = (long) rowOffsets.length * rowLength;
        }

        /** Reduces flat inputs [from, to) of the output whose first input is at {@code base}. */
        float reduce(ReduceOp op, int base, long from, long to) {
            if (op == ReduceOp.SUM) {
                double acc = 0;
                for (long k = from; k < to; ) {
                    int row = (int) (k / rowLength);
                    int i = (int) (k % rowLength);
                    int end = (int) Math.min(rowLength, i + (to - k));
                    for (int p = base + rowOffsets[row] + i * stride; i < end; i++, k++, p += stride) {
                        acc += data[p];
                    }
                }
                return (float) acc;
            }
            float acc = op.identity();
            for (long k = from; k < to; ) {
                int row = (int) (k / rowLength);
                int i = (int) (k % rowLength);
                int end = (int) Math.min(rowLength, i + (to - k));
                for (int p = base + rowOffsets[row] + i * stride; i < end; i++, k++, p += stride) {
                    acc = op.combine(acc, data[p]);
                }
            }
            return acc;
        }

        /** As {@link #reduce} over all inputs, in parallel blocks of {@link #BLOCK} combined in order. */
        float reduceBlocked(ReduceOp op, int base) {
            int blocks = (int) ((count + BLOCK - 1) / BLOCK);
            double[] partial = new double[blocks];
            CpuThreads.parallelFor(blocks, 1, (s, e) -> {
                for (int b = s; b < e; b++) {
                    partial[b] = reduce(op, base, (long) b * BLOCK, Math.min(count, (long) (b + 1) * BLOCK));
                }
            });
            if (op == ReduceOp.SUM) {
                double acc = 0;
                for (double p : partial) {
                    acc += p;
                }
                return (float) acc;
            }
            float acc = op.identity();
            for (double p : partial) {
                acc = op.combine(acc, (float) p);
            }
            return acc;
        }
    }
}
