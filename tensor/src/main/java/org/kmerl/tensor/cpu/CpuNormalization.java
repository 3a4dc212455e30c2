package org.kmerl.tensor.cpu;

import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.backend.NormalizationKernels;

/** Reference softmax and layer norm; statistics are accumulated in double. */
final class CpuNormalization implements NormalizationKernels {

    /** Receives the offsets of one lane's first element in each of up to three operands. */
    interface LaneBody {
        void lane(int first, int second, int third);
    }

    /**
     * Calls {@code body} for every lane along {@code axis} (every position of the other axes), in
     * parallel, with each operand's offset of the lane's first element.
     */
    static void forEachLane(Tensor[] operands, int axis, LaneBody body) {
        int[] shape = operands[0].shape();
        int length = shape[axis];
        shape[axis] = 1;
        int[][] strides = new int[3][];
        int[] bases = new int[3];
        for (int k = 0; k < 3; k++) {
            Tensor t = operands[Math.min(k, operands.length - 1)];
            strides[k] = t.strides();
            bases[k] = t.offset();
        }
        StridedLoop loop = StridedLoop.over(shape, strides, bases);
        int s0 = loop.innerStride(0);
        int s1 = loop.innerStride(1);
        int s2 = loop.innerStride(2);
        int grain = Math.max(1, StridedLoop.PARALLEL_GRAIN / Math.max(1, length * loop.rowLength()));
        CpuThreads.parallelFor(loop.rows(), grain, (s, e) -> loop.runRows(s, e, (off, n) -> {
            for (int i = 0; i < n; i++) {
                body.lane(off[0] + i * s0, off[1] + i * s1, off[2] + i * s2);
            }
        }));
    }

    @Override
    public void softmax(Tensor x, int axis, boolean log, Tensor out) {
        float[] xs = CpuStorage.floats(x);
        float[] os = CpuStorage.floats(out);
        int length = x.dim(axis);
        int sx = x.stride(axis);
        int so = out.stride(axis);
        forEachLane(new Tensor[] {x, out}, axis, (xb, ob, unused) -> {
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < length; j++) {
                max = Math.max(max, xs[xb + j * sx]);
            }
            double sum = 0;
            for (int j = 0; j < length; j++) {
                sum += Math.exp(xs[xb + j * sx] - max);
            }
            if (log) {
                float shift = max + (float) Math.log(sum);
                for (int j = 0; j < length; j++) {
                    os[ob + j * so] = xs[xb + j * sx] - shift;
                }
            } else {
                double inv = 1.0 / sum;
                for (int j = 0; j < length; j++) {
                    os[ob + j * so] = (float) (Math.exp(xs[xb + j * sx] - max) * inv);
                }
            }
        });
    }

    @Override
    public void softmaxBackward(Tensor y, Tensor gradOut, int axis, boolean log, Tensor gradIn) {
        float[] ys = CpuStorage.floats(y);
        float[] gs = CpuStorage.floats(gradOut);
        float[] os = CpuStorage.floats(gradIn);
        int length = y.dim(axis);
        int sy = y.stride(axis);
        int sg = gradOut.stride(axis);
        int so = gradIn.stride(axis);
        forEachLane(new Tensor[] {y, gradOut, gradIn}, axis, (yb, gb, ob) -> {
            if (log) {
                // y = log p:  dx = g - p * sum(g)
                double sum = 0;
                for (int j = 0; j < length; j++) {
                    sum += gs[gb + j * sg];
                }
                for (int j = 0; j < length; j++) {
                    os[ob + j * so] = (float) (gs[gb + j * sg] - Math.exp(ys[yb + j * sy]) * sum);
                }
            } else {
                // y = p:  dx = p * (g - sum(g * p))
                double dot = 0;
                for (int j = 0; j < length; j++) {
                    dot += (double) gs[gb + j * sg] * ys[yb + j * sy];
                }
                for (int j = 0; j < length; j++) {
                    os[ob + j * so] = (float) (ys[yb + j * sy] * (gs[gb + j * sg] - dot));
                }
            }
        });
    }

    @Override
    public void layerNormForward(Tensor x, Tensor weight, Tensor bias, float eps, Tensor y, Tensor mean, Tensor rstd) {
        float[] xs = CpuStorage.floats(x);
        float[] ys = CpuStorage.floats(y);
        float[] ms = CpuStorage.floats(mean);
        float[] rs = CpuStorage.floats(rstd);
        float[] ws = weight == null ? null : CpuStorage.floats(weight);
        float[] bs = bias == null ? null : CpuStorage.floats(bias);
        int wo = weight == null ? 0 : weight.offset();
        int bo = bias == null ? 0 : bias.offset();
        int rows = x.dim(0);
        int c = x.dim(1);
        int xo = x.offset();
        int yo = y.offset();
        CpuThreads.parallelFor(rows, Math.max(1, StridedLoop.PARALLEL_GRAIN / Math.max(1, c)), (s, e) -> {
            for (int r = s; r < e; r++) {
                int xr = xo + r * c;
                int yr = yo + r * c;
                // Two passes: the mean, then the mean squared deviation from it.
                double sum = 0;
                for (int j = 0; j < c; j++) {
                    sum += xs[xr + j];
                }
                double mu = sum / c;
                double sq = 0;
                for (int j = 0; j < c; j++) {
                    double d = xs[xr + j] - mu;
                    sq += d * d;
                }
                double inv = 1.0 / Math.sqrt(sq / c + eps);
                ms[mean.offset() + r] = (float) mu;
                rs[rstd.offset() + r] = (float) inv;
                for (int j = 0; j < c; j++) {
                    double v = (xs[xr + j] - mu) * inv;
                    if (ws != null) {
                        v *= ws[wo + j];
                    }
                    if (bs != null) {
                        v += bs[bo + j];
                    }
                    ys[yr + j] = (float) v;
                }
            }
        });
    }

    @Override
    public void layerNormBackward(Tensor gradY, Tensor x, Tensor weight, Tensor mean, Tensor rstd,
                                  Tensor gradX, Tensor gradWeight, Tensor gradBias) {
        float[] gys = CpuStorage.floats(gradY);
        float[] xs = CpuStorage.floats(x);
        float[] ms = CpuStorage.floats(mean);
        float[] rs = CpuStorage.floats(rstd);
        float[] gxs = CpuStorage.floats(gradX);
        float[] ws = weight == null ? null : CpuStorage.floats(weight);
        int wo = weight == null ? 0 : weight.offset();
        int rows = x.dim(0);
        int c = x.dim(1);
        int go = gradY.offset();
        int xo = x.offset();
        int gxo = gradX.offset();
        int mo = mean.offset();
        int ro = rstd.offset();
        // dx = rstd * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat)),  dxhat = dy * w
        CpuThreads.parallelFor(rows, Math.max(1, StridedLoop.PARALLEL_GRAIN / Math.max(1, c)), (s, e) -> {
            for (int r = s; r < e; r++) {
                int base = r * c;
                double mu = ms[mo + r];
                double inv = rs[ro + r];
                double sumD = 0;
                double sumDX = 0;
                for (int j = 0; j < c; j++) {
                    double xhat = (xs[xo + base + j] - mu) * inv;
                    double d = gys[go + base + j] * (ws == null ? 1.0 : ws[wo + j]);
                    sumD += d;
                    sumDX += d * xhat;
                }
                double meanD = sumD / c;
                double meanDX = sumDX / c;
                for (int j = 0; j < c; j++) {
                    double xhat = (xs[xo + base + j] - mu) * inv;
                    double d = gys[go + base + j] * (ws == null ? 1.0 : ws[wo + j]);
                    gxs[gxo + base + j] = (float) (inv * (d - meanD - xhat * meanDX));
                }
            }
        });
        if (gradWeight == null && gradBias == null) {
            return;
        }
        // Column sums over all rows, parallel over columns so each sum has one writer in row order.
        float[] gws = gradWeight == null ? null : CpuStorage.floats(gradWeight);
        float[] gbs = gradBias == null ? null : CpuStorage.floats(gradBias);
        int gwo = gradWeight == null ? 0 : gradWeight.offset();
        int gbo = gradBias == null ? 0 : gradBias.offset();
        CpuThreads.parallelFor(c, Math.max(1, StridedLoop.PARALLEL_GRAIN / Math.max(1, rows)), (s, e) -> {
            double[] sumW = new double[e - s];
            double[] sumB = new double[e - s];
            for (int r = 0; r < rows; r++) {
                int base = r * c;
                double mu = ms[mo + r];
                double inv = rs[ro + r];
                for (int j = s; j < e; j++) {
                    double g = gys[go + base + j];
                    sumW[j - s] += g * (xs[xo + base + j] - mu) * inv;
                    sumB[j - s] += g;
                }
            }
            for (int j = s; j < e; j++) {
                if (gws != null) {
                    gws[gwo + j] = (float) sumW[j - s];
                }
                if (gbs != null) {
                    gbs[gbo + j] = (float) sumB[j - s];
                }
            }
        });
    }
}
