package org.kmerl.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.backend.NormalizationKernels;

/**
 * Softmax and layer norm with the Vector API over rows whose elements are adjacent (the last axis,
 * the layout every model uses); other layouts go to {@link CpuNormalization}. Row statistics are
 * summed in vector lanes and combined in double. Layer norm's weight and bias gradients are summed
 * over fixed blocks of rows, in parallel, and the block sums are added in block order, so the result
 * does not depend on the thread count.
 */
final class VectorNormalization implements NormalizationKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Rows per partial sum of the layer-norm weight and bias gradients. */
    static final int ROW_BLOCK = 128;
    private final CpuNormalization reference = new CpuNormalization();

    // ---------------------------------------------------------------------------------------------

    @Override
    public void softmax(Tensor x, int axis, boolean log, Tensor out) {
        if (x.stride(axis) != 1 || out.stride(axis) != 1) {
            reference.softmax(x, axis, log, out);
            return;
        }
        float[] xs = CpuStorage.floats(x);
        float[] os = CpuStorage.floats(out);
        int n = x.dim(axis);
        CpuNormalization.forEachLane(new Tensor[] {x, out}, axis, (xb, ob, unused) -> {
            float m = VectorRows.max(xs, xb, n);
            double total = VectorRows.expShifted(xs, xb, n, m, os, ob);
            if (log) {
                float shift = m + (float) Math.log(total);
                int i = 0;
                for (; i <= n - L; i += L) {
                    FloatVector.fromArray(S, xs, xb + i).sub(shift).intoArray(os, ob + i);
                }
                for (; i < n; i++) {
                    os[ob + i] = xs[xb + i] - shift;
                }
            } else {
                float inv = (float) (1.0 / total);
                int i = 0;
                for (; i <= n - L; i += L) {
                    FloatVector.fromArray(S, os, ob + i).mul(inv).intoArray(os, ob + i);
                }
                for (; i < n; i++) {
                    os[ob + i] *= inv;
                }
            }
        });
    }

    @Override
    public void softmaxBackward(Tensor y, Tensor gradOut, int axis, boolean log, Tensor gradIn) {
        if (y.stride(axis) != 1 || gradOut.stride(axis) != 1 || gradIn.stride(axis) != 1) {
            reference.softmaxBackward(y, gradOut, axis, log, gradIn);
            return;
        }
        float[] ys = CpuStorage.floats(y);
        float[] gs = CpuStorage.floats(gradOut);
        float[] os = CpuStorage.floats(gradIn);
        int n = y.dim(axis);
        CpuNormalization.forEachLane(new Tensor[] {y, gradOut, gradIn}, axis, (yb, gb, ob) -> {
            if (log) {
                // dx = g - exp(y) * sum(g)
                float total = (float) VectorRows.sum(gs, gb, n);
                System.arraycopy(ys, yb, os, ob, n);
                VectorMath.expInPlace(os, ob, n, 0f);
                int i = 0;
                for (; i <= n - L; i += L) {
                    FloatVector e = FloatVector.fromArray(S, os, ob + i);
                    FloatVector.fromArray(S, gs, gb + i).sub(e.mul(total)).intoArray(os, ob + i);
                }
                for (; i < n; i++) {
                    os[ob + i] = gs[gb + i] - os[ob + i] * total;
                }
            } else {
                // dx = y * (g - sum(g * y))
                float dot = VectorRows.dot(gs, gb, ys, yb, n);
                int i = 0;
                for (; i <= n - L; i += L) {
                    FloatVector yv = FloatVector.fromArray(S, ys, yb + i);
                    yv.mul(FloatVector.fromArray(S, gs, gb + i).sub(dot)).intoArray(os, ob + i);
                }
                for (; i < n; i++) {
                    os[ob + i] = ys[yb + i] * (gs[gb + i] - dot);
                }
            }
        });
    }

    // ---------------------------------------------------------------------------------------------

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
        CpuThreads.parallelFor(rows, Math.max(1, StridedLoop.PARALLEL_GRAIN / Math.max(1, c)), (s, e) -> {
            for (int r = s; r < e; r++) {
                int xr = x.offset() + r * c;
                int yr = y.offset() + r * c;
                float mu = (float) (VectorRows.sum(xs, xr, c) / c);
                // Second pass: squared deviations from the mean (no E[x^2] - E[x]^2 cancellation).
                FloatVector acc = FloatVector.zero(S);
                int i = 0;
                for (; i <= c - L; i += L) {
                    FloatVector d = FloatVector.fromArray(S, xs, xr + i).sub(mu);
                    acc = d.fma(d, acc);
                }
                double sq = VectorMath.sum(acc);
                for (; i < c; i++) {
                    double d = xs[xr + i] - mu;
                    sq += d * d;
                }
                float inv = (float) (1.0 / Math.sqrt(sq / c + eps));
                ms[mean.offset() + r] = mu;
                rs[rstd.offset() + r] = inv;
                i = 0;
                for (; i <= c - L; i += L) {
                    FloatVector v = FloatVector.fromArray(S, xs, xr + i).sub(mu).mul(inv);
                    if (ws != null) {
                        v = v.mul(FloatVector.fromArray(S, ws, wo + i));
                    }
                    if (bs != null) {
                        v = v.add(FloatVector.fromArray(S, bs, bo + i));
                    }
                    v.intoArray(ys, yr + i);
                }
                for (; i < c; i++) {
                    float v = (xs[xr + i] - mu) * inv;
                    if (ws != null) {
                        v *= ws[wo + i];
                    }
                    if (bs != null) {
                        v += bs[bo + i];
                    }
                    ys[yr + i] = v;
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
        boolean affineGrads = gradWeight != null || gradBias != null;
        int blocks = (rows + ROW_BLOCK - 1) / ROW_BLOCK;
        float[] partialW = affineGrads ? new float[blocks * c] : null;
        float[] partialB = affineGrads ? new float[blocks * c] : null;
        CpuThreads.parallelFor(blocks, 1, (s, e) -> {
            float[] d = new float[c]; // dy * w for one row
            for (int block = s; block < e; block++) {
                for (int r = block * ROW_BLOCK, end = Math.min(rows, r + ROW_BLOCK); r < end; r++) {
                    int g0 = gradY.offset() + r * c;
                    int x0 = x.offset() + r * c;
                    float mu = ms[mean.offset() + r];
                    float inv = rs[rstd.offset() + r];
                    // d = dy * w;  sums of d and d * xhat over the row
                    FloatVector sumD = FloatVector.zero(S);
                    FloatVector sumDX = FloatVector.zero(S);
                    int i = 0;
                    for (; i <= c - L; i += L) {
                        FloatVector dv = FloatVector.fromArray(S, gys, g0 + i);
                        if (ws != null) {
                            dv = dv.mul(FloatVector.fromArray(S, ws, wo + i));
                        }
                        dv.intoArray(d, i);
                        FloatVector xhat = FloatVector.fromArray(S, xs, x0 + i).sub(mu).mul(inv);
                        sumD = sumD.add(dv);
                        sumDX = dv.fma(xhat, sumDX);
                    }
                    double sd = VectorMath.sum(sumD);
                    double sdx = VectorMath.sum(sumDX);
                    for (; i < c; i++) {
                        float dv = gys[g0 + i] * (ws == null ? 1f : ws[wo + i]);
                        d[i] = dv;
                        sd += dv;
                        sdx += dv * ((xs[x0 + i] - mu) * inv);
                    }
                    float meanD = (float) (sd / c);
                    float meanDX = (float) (sdx / c);
                    int gx0 = gradX.offset() + r * c;
                    int pb = block * c;
                    i = 0;
                    for (; i <= c - L; i += L) {
                        FloatVector xhat = FloatVector.fromArray(S, xs, x0 + i).sub(mu).mul(inv);
                        FloatVector.fromArray(S, d, i).sub(meanD).sub(xhat.mul(meanDX)).mul(inv).intoArray(gxs, gx0 + i);
                        if (affineGrads) {
                            FloatVector gy = FloatVector.fromArray(S, gys, g0 + i);
                            gy.fma(xhat, FloatVector.fromArray(S, partialW, pb + i)).intoArray(partialW, pb + i);
                            gy.add(FloatVector.fromArray(S, partialB, pb + i)).intoArray(partialB, pb + i);
                        }
                    }
                    for (; i < c; i++) {
                        float xhat = (xs[x0 + i] - mu) * inv;
                        gxs[gx0 + i] = inv * (d[i] - meanD - xhat * meanDX);
                        if (affineGrads) {
                            partialW[pb + i] += gys[g0 + i] * xhat;
                            partialB[pb + i] += gys[g0 + i];
                        }
                    }
                }
            }
        });
        if (!affineGrads) {
            return;
        }
        // Block sums added in block order: independent of how blocks were spread over threads.
        float[] gws = gradWeight == null ? null : CpuStorage.floats(gradWeight);
        float[] gbs = gradBias == null ? null : CpuStorage.floats(gradBias);
        for (int j = 0; j < c; j++) {
            double w = 0;
            double b = 0;
            for (int block = 0; block < blocks; block++) {
                w += partialW[block * c + j];
                b += partialB[block * c + j];
            }
            if (gws != null) {
                gws[gradWeight.offset() + j] = (float) w;
            }
            if (gbs != null) {
                gbs[gradBias.offset() + j] = (float) b;
            }
        }
    }
}
