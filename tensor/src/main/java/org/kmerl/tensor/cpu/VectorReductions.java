package org.kmerl.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.backend.ReduceOp;
import org.kmerl.tensor.backend.ReductionKernels;

/**
 * Reductions with the Vector API for the layouts models produce: a dense tensor viewed as
 * [P, R, C] whose middle block of axes R is reduced (bias gradients reduce rows: P = 1; mean
 * pooling reduces the sequence axis; row statistics reduce the last axes: C = 1). Columns (C >= one
 * vector) are summed down the rows with vectors across columns; rows (C = 1) with vectors along the
 * row. Sums are compensated (Kahan): a plain float accumulator loses digits on long rows with a
 * large offset, and widening to double vectors made the JIT box them. Each output is accumulated in
 * one fixed order, so results do not depend on the thread count.
 * Other layouts and argmax use {@link CpuReductions}.
 */
final class VectorReductions implements ReductionKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private final CpuReductions reference = new CpuReductions();

    @Override
    public void reduce(ReduceOp op, Tensor x, boolean[] axes, Tensor out) {
        int[] shape = x.shape();
        int first = -1;
        int last = -1;
        for (int d = 0; d < axes.length; d++) {
            if (axes[d] && shape[d] != 1) {
                first = first < 0 ? d : first;
                last = d;
            }
        }
        boolean block = first >= 0;
        for (int d = first; block && d <= last; d++) {
            block = axes[d] || shape[d] == 1;
        }
        if (!block || !x.isContiguous() || !out.isContiguous()) {
            reference.reduce(op, x, axes, out);
            return;
        }
        int p = 1;
        int r = 1;
        int c = 1;
        for (int d = 0; d < shape.length; d++) {
            if (d < first) {
                p *= shape[d];
            } else if (d <= last) {
                r *= shape[d];
            } else {
                c *= shape[d];
            }
        }
        float[] xs = CpuStorage.floats(x);
        float[] os = CpuStorage.floats(out);
        int xo = x.offset();
        int oo = out.offset();
        int rows = r;
        int cols = c;
        if (c == 1) {
            int grain = Math.max(1, StridedLoop.PARALLEL_GRAIN / Math.max(1, r));
            CpuThreads.parallelFor(p, grain, (s, e) -> {
                for (int i = s; i < e; i++) {
                    os[oo + i] = reduceRow(op, xs, xo + i * rows, rows);
                }
            });
            return;
        }
        // Columns in chunks of vectors; each chunk walks down all rows of one [R, C] slab.
        int chunk = 4 * L;
        int chunksPerSlab = (c + chunk - 1) / chunk;
        int grain = Math.max(1, StridedLoop.PARALLEL_GRAIN / Math.max(1, r * chunk));
        CpuThreads.parallelFor(p * chunksPerSlab, grain, (s, e) -> {
            for (int t = s; t < e; t++) {
                int slab = t / chunksPerSlab;
                int c0 = (t % chunksPerSlab) * chunk;
                int c1 = Math.min(cols, c0 + chunk);
                reduceColumns(op, xs, xo + slab * rows * cols, rows, cols, c0, c1, os, oo + slab * cols);
            }
        });
    }

    /** Reduces one dense row of n values. */
    private static float reduceRow(ReduceOp op, float[] xs, int at, int n) {
        if (op == ReduceOp.SUM) {
            // Kahan summation per lane, then the lanes in double.
            FloatVector sum = FloatVector.zero(S);
            FloatVector compensation = FloatVector.zero(S);
            int i = 0;
            for (; i <= n - L; i += L) {
                FloatVector y = FloatVector.fromArray(S, xs, at + i).sub(compensation);
                FloatVector t = sum.add(y);
                compensation = t.sub(sum).sub(y);
                sum = t;
            }
            double total = 0;
            for (int k = 0; k < L; k++) {
                total += (double) sum.lane(k) - compensation.lane(k);
            }
            for (; i < n; i++) {
                total += xs[at + i];
            }
            return (float) total;
        }
        FloatVector acc = FloatVector.broadcast(S, op.identity());
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector v = FloatVector.fromArray(S, xs, at + i);
            acc = op == ReduceOp.MAX ? acc.max(v) : acc.min(v);
        }
        float result = acc.reduceLanes(op == ReduceOp.MAX ? VectorOperators.MAX : VectorOperators.MIN);
        for (; i < n; i++) {
            result = op.combine(result, xs[at + i]);
        }
        return result;
    }

    /** out[j] = reduce over rows of x[row, j] for columns [c0, c1) of a dense [rows, cols] slab. */
    private static void reduceColumns(ReduceOp op, float[] xs, int at, int rows, int cols, int c0, int c1,
                                      float[] os, int oo) {
        int j = c0;
        if (op == ReduceOp.SUM) {
            double[] sums = new double[L];
            for (; j <= c1 - L; j += L) {
                sumColumns(xs, at + j, rows, cols, sums);
                for (int k = 0; k < L; k++) {
                    os[oo + j + k] = (float) sums[k];
                }
            }
        } else {
            for (; j <= c1 - L; j += L) {
                extremeColumns(op == ReduceOp.MAX, xs, at + j, rows, cols).intoArray(os, oo + j);
            }
        }
        for (; j < c1; j++) {
            double result = op == ReduceOp.SUM ? 0.0 : op.identity();
            for (int i = 0; i < rows; i++) {
                float v = xs[at + i * cols + j];
                result = op == ReduceOp.SUM ? result + v : op.combine((float) result, v);
            }
            os[oo + j] = (float) result;
        }
    }

    private static final ThreadLocal<float[][]> SUMS = ThreadLocal.withInitial(() -> new float[2][L]);

    /** Sums one vector-wide strip of columns down the rows with Kahan compensation, into {@code sums[0..L)}. */
    private static void sumColumns(float[] xs, int at, int rows, int cols, double[] sums) {
        FloatVector sum = FloatVector.zero(S);
        FloatVector compensation = FloatVector.zero(S);
        for (int i = 0; i < rows; i++) {
            FloatVector y = FloatVector.fromArray(S, xs, at + i * cols).sub(compensation);
            FloatVector t = sum.add(y);
            compensation = t.sub(sum).sub(y);
            sum = t;
        }
        float[][] parts = SUMS.get();
        sum.intoArray(parts[0], 0);
        compensation.intoArray(parts[1], 0);
        for (int k = 0; k < L; k++) {
            sums[k] = (double) parts[0][k] - parts[1][k];
        }
    }

    private static FloatVector extremeColumns(boolean max, float[] xs, int at, int rows, int cols) {
        FloatVector acc = FloatVector.broadcast(S, max ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY);
        for (int i = 0; i < rows; i++) {
            FloatVector v = FloatVector.fromArray(S, xs, at + i * cols);
            acc = max ? acc.max(v) : acc.min(v);
        }
        return acc;
    }

    @Override
    public void argmax(Tensor x, int axis, Tensor out) {
        reference.argmax(x, axis, out);
    }
}
