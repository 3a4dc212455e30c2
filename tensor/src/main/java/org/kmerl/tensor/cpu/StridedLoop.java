package org.kmerl.tensor.cpu;

import org.kmerl.tensor.Tensor;

/**
 * Walks one shape over several strided operands at once, the workhorse of the elementwise kernels.
 *
 * <p>Adjacent axes that are contiguous with each other in every operand are merged first, so a
 * dense tensor becomes one long row and a broadcast [N, C] + [C] becomes N rows of C with inner
 * strides 1 and 1. The loop then hands out rows: for each row the body gets each operand's offset
 * of the row's first element and the row length; the operands' inner strides are fixed per loop
 * ({@link #innerStride}).
 */
final class StridedLoop {
    /** Body called once per row. {@code offsets[k]} is operand k's offset of the row's first element. */
    @FunctionalInterface
    interface RowBody {
        void row(int[] offsets, int length);
    }

    /** Below this many elements a loop runs on the calling thread. */
    static final int PARALLEL_GRAIN = 32 * 1024;

    private final int[] outerSizes;     // merged axes except the innermost
    private final int[][] outerStrides; // [operand][axis]
    private final int[] bases;
    private final int innerSize;
    private final int[] innerStrides;
    private final int rows;

    private StridedLoop(int[] sizes, int[][] strides, int[] bases) {
        int rank = sizes.length;
        this.bases = bases;
        if (rank == 0) {
            outerSizes = new int[0];
            outerStrides = new int[bases.length][0];
            innerSize = 1;
            innerStrides = new int[bases.length];
            rows = 1;
            return;
        }
        innerSize = sizes[rank - 1];
        innerStrides = new int[bases.length];
        outerSizes = new int[rank - 1];
        outerStrides = new int[bases.length][rank - 1];
        System.arraycopy(sizes, 0, outerSizes, 0, rank - 1);
        for (int k = 0; k < bases.length; k++) {
            innerStrides[k] = strides[k][rank - 1];
            System.arraycopy(strides[k], 0, outerStrides[k], 0, rank - 1);
        }
        long r = 1;
        for (int s : outerSizes) {
            r *= s;
        }
        rows = (int) r;
    }

    /** A loop over {@code shape} for tensors that all have that shape. */
    static StridedLoop over(int[] shape, Tensor... operands) {
        int[][] strides = new int[operands.length][];
        int[] bases = new int[operands.length];
        for (int k = 0; k < operands.length; k++) {
            strides[k] = operands[k].strides();
            bases[k] = operands[k].offset();
        }
        return over(shape, strides, bases);
    }

    /** A loop over {@code shape} with explicit strides and base offsets per operand. */
    static StridedLoop over(int[] shape, int[][] strides, int[] bases) {
        // Drop size-1 axes (their strides never matter), then merge axes i and i+1 wherever
        // stride[i] == stride[i+1] * size[i+1] holds for every operand.
        int n = 0;
        int[] sizes = new int[shape.length];
        int[][] st = new int[strides.length][shape.length];
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] == 1) {
                continue;
            }
            boolean merge = n > 0;
            for (int k = 0; merge && k < strides.length; k++) {
                merge = st[k][n - 1] == strides[k][d] * shape[d];
            }
            if (merge) {
                sizes[n - 1] *= shape[d];
                for (int k = 0; k < strides.length; k++) {
                    st[k][n - 1] = strides[k][d];
                }
            } else {
                sizes[n] = shape[d];
                for (int k = 0; k < strides.length; k++) {
                    st[k][n] = strides[k][d];
                }
                n++;
            }
        }
        int[] finalSizes = java.util.Arrays.copyOf(sizes, n);
        int[][] finalStrides = new int[strides.length][];
        for (int k = 0; k < strides.length; k++) {
            finalStrides[k] = java.util.Arrays.copyOf(st[k], n);
        }
        return new StridedLoop(finalSizes, finalStrides, bases);
    }

    int rows() {
        return rows;
    }

    int rowLength() {
        return innerSize;
    }

    int innerStride(int operand) {
        return innerStrides[operand];
    }

    long elements() {
        return (long) rows * innerSize;
    }

    /** Runs rows [start, end) in order on the calling thread. */
    void runRows(int start, int end, RowBody body) {
        if (start >= end || innerSize == 0) {
            return;
        }
        int ops = bases.length;
        int axes = outerSizes.length;
        int[] index = new int[axes];
        int[] offsets = new int[ops];
        // Position the odometer at row 'start'.
        int rem = start;
        for (int d = axes - 1; d >= 0; d--) {
            index[d] = rem % outerSizes[d];
            rem /= outerSizes[d];
        }
        for (int k = 0; k < ops; k++) {
            int off = bases[k];
            for (int d = 0; d < axes; d++) {
                off += index[d] * outerStrides[k][d];
            }
            offsets[k] = off;
        }
        int[] rowOffsets = new int[ops];
        for (int r = start; r < end; r++) {
            System.arraycopy(offsets, 0, rowOffsets, 0, ops);
            body.row(rowOffsets, innerSize);
            // Advance the odometer by one row.
            for (int d = axes - 1; d >= 0; d--) {
                index[d]++;
                for (int k = 0; k < ops; k++) {
                    offsets[k] += outerStrides[k][d];
                }
                if (index[d] < outerSizes[d]) {
                    break;
                }
                for (int k = 0; k < ops; k++) {
                    offsets[k] -= outerStrides[k][d] * outerSizes[d];
                }
                index[d] = 0;
            }
        }
    }

    /**
     * Runs all rows, split across the CPU pool when the loop is large. Long rows (a dense tensor is
     * a single row) are cut into pieces of at least {@link #PARALLEL_GRAIN} elements; each piece is
     * handed to the body as a shorter row.
     */
    void run(RowBody body) {
        if (rows >= CpuThreads.threads() || innerSize < 2 * PARALLEL_GRAIN) {
            int grain = Math.max(1, PARALLEL_GRAIN / Math.max(innerSize, 1));
            CpuThreads.parallelFor(rows, grain, (s, e) -> runRows(s, e, body));
            return;
        }
        int pieces = Math.max(1, Math.min(innerSize / PARALLEL_GRAIN, 4 * CpuThreads.threads()));
        CpuThreads.parallelFor(rows * pieces, 1, (s, e) -> {
            int[] offsets = new int[bases.length];
            for (int t = s; t < e; t++) {
                int row = t / pieces;
                int piece = t % pieces;
                int from = (int) ((long) innerSize * piece / pieces);
                int to = (int) ((long) innerSize * (piece + 1) / pieces);
                runRows(row, row + 1, (off, n) -> {
                    for (int k = 0; k < offsets.length; k++) {
                        offsets[k] = off[k] + from * innerStrides[k];
                    }
                    body.row(offsets, to - from);
                });
            }
        });
    }
}
