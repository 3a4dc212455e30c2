package org.kmerl.tensor.cpu;

import org.kmerl.tensor.MathFunctions;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.backend.LossKernels;
import org.kmerl.tensor.backend.LossReduction;

/** Reference fused losses; row terms are computed in parallel and summed in row order in double. */
final class CpuLosses implements LossKernels {

    // ---------------------------------------------------------------------------------------------
    // Cross entropy: loss_n = lse_n - [(1-eps) x[n, t_n] + eps/C sum_c x[n, c]]

    @Override
    public void crossEntropyForward(Tensor logits, Tensor targets, float labelSmoothing, int ignoreIndex,
                                    LossReduction reduction, Tensor loss, Tensor lse) {
        float[] xs = CpuStorage.floats(logits);
        int[] ts = CpuStorage.ints(targets);
        float[] ls = CpuStorage.floats(lse);
        int n = logits.dim(0);
        int c = logits.dim(1);
        double[] rowLoss = new double[n];
        CpuThreads.parallelFor(n, Math.max(1, StridedLoop.PARALLEL_GRAIN / Math.max(1, c)), (s, e) -> {
            for (int r = s; r < e; r++) {
                int x0 = logits.offset() + r * c;
                double rowLse = logSumExp(xs, x0, c);
                ls[lse.offset() + r] = (float) rowLse;
                int t = ts[targets.offset() + r];
                if (t == ignoreIndex) {
                    continue;
                }
                checkTarget(t, r, c);
                double sum = 0;
                for (int j = 0; j < c; j++) {
                    sum += xs[x0 + j];
                }
                rowLoss[r] = rowLse - ((1.0 - labelSmoothing) * xs[x0 + t] + labelSmoothing * sum / c);
            }
        });
        double total = 0;
        int counted = 0;
        for (int r = 0; r < n; r++) {
            if (ts[targets.offset() + r] != ignoreIndex) {
                total += rowLoss[r];
                counted++;
            }
        }
        CpuStorage.floats(loss)[loss.offset()] = (float) (reduction == LossReduction.MEAN ? total / counted : total);
    }

    @Override
    public void crossEntropyBackward(Tensor logits, Tensor targets, float labelSmoothing, int ignoreIndex,
                                     LossReduction reduction, Tensor lse, Tensor gradLoss, Tensor gradLogits) {
        float[] xs = CpuStorage.floats(logits);
        int[] ts = CpuStorage.ints(targets);
        float[] ls = CpuStorage.floats(lse);
        float[] gs = CpuStorage.floats(gradLogits);
        int n = logits.dim(0);
        int c = logits.dim(1);
        int counted = 0;
        for (int r = 0; r < n; r++) {
            if (ts[targets.offset() + r] != ignoreIndex) {
                counted++;
            }
        }
        double g = scalar(gradLoss) / (reduction == LossReduction.MEAN ? counted : 1);
        // d loss_n / d x[n, j] = softmax_j - (1-eps) [j == t] - eps/C
        CpuThreads.parallelFor(n, Math.max(1, StridedLoop.PARALLEL_GRAIN / Math.max(1, c)), (s, e) -> {
            for (int r = s; r < e; r++) {
                int t = ts[targets.offset() + r];
                int x0 = logits.offset() + r * c;
                int g0 = gradLogits.offset() + r * c;
                if (t == ignoreIndex) {
                    continue;
                }
                checkTarget(t, r, c);
                double rowLse = ls[lse.offset() + r];
                for (int j = 0; j < c; j++) {
                    double target = labelSmoothing / c + (j == t ? 1.0 - labelSmoothing : 0.0);
                    gs[g0 + j] = (float) (g * (Math.exp(xs[x0 + j] - rowLse) - target));
                }
            }
        });
    }

    private static void checkTarget(int t, int row, int classes) {
        if (t < 0 || t >= classes) {
            throw new IndexOutOfBoundsException("crossEntropy: target " + t + " of row " + row
                    + " is out of range for " + classes + " classes");
        }
    }

    // ---------------------------------------------------------------------------------------------
    // BCE with logits: pw*t*softplus(-x) + (1-t)*softplus(x);  d/dx = sigmoid(x)*(pw*t + 1 - t) - pw*t

    @Override
    public void bceWithLogitsForward(Tensor logits, Tensor targets, Tensor posWeight, LossReduction reduction,
                                     Tensor loss) {
        float[] xs = CpuStorage.floats(logits);
        float[] ts = CpuStorage.floats(targets);
        float[] pws = posWeight == null ? null : CpuStorage.floats(posWeight);
        int numel = logits.numel();
        int c = logits.rank() == 0 ? 1 : logits.dim(-1);
        int blocks = (numel + CpuReductions.BLOCK - 1) / CpuReductions.BLOCK;
        double[] partial = new double[blocks];
        CpuThreads.parallelFor(blocks, 1, (s, e) -> {
            for (int b = s; b < e; b++) {
                double acc = 0;
                for (int i = b * CpuReductions.BLOCK, end = Math.min(numel, i + CpuReductions.BLOCK); i < end; i++) {
                    double x = xs[logits.offset() + i];
                    double t = ts[targets.offset() + i];
                    double pw = pws == null ? 1.0 : pws[posWeight.offset() + i % c];
                    acc += pw * t * MathFunctions.softplus(-x) + (1.0 - t) * MathFunctions.softplus(x);
                }
                partial[b] = acc;
            }
        });
        double total = 0;
        for (double p : partial) {
            total += p;
        }
        CpuStorage.floats(loss)[loss.offset()] = (float) (reduction == LossReduction.MEAN ? total / numel : total);
    }

    @Override
    public void bceWithLogitsBackward(Tensor logits, Tensor targets, Tensor posWeight, LossReduction reduction,
                                      Tensor gradLoss, Tensor gradLogits) {
        float[] xs = CpuStorage.floats(logits);
        float[] ts = CpuStorage.floats(targets);
        float[] gs = CpuStorage.floats(gradLogits);
        float[] pws = posWeight == null ? null : CpuStorage.floats(posWeight);
        int numel = logits.numel();
        int c = logits.rank() == 0 ? 1 : logits.dim(-1);
        double g = scalar(gradLoss) / (reduction == LossReduction.MEAN ? numel : 1);
        CpuThreads.parallelFor(numel, StridedLoop.PARALLEL_GRAIN, (s, e) -> {
            for (int i = s; i < e; i++) {
                double x = xs[logits.offset() + i];
                double t = ts[targets.offset() + i];
                double pw = pws == null ? 1.0 : pws[posWeight.offset() + i % c];
                double sig = MathFunctions.sigmoid((float) x);
                gs[gradLogits.offset() + i] = (float) (g * (sig * (pw * t + 1.0 - t) - pw * t));
            }
        });
    }

    // ---------------------------------------------------------------------------------------------
    // CLIP: L = â·b̂ᵀ / τ; rows: mean_i(lseRow_i - L_ii); columns: mean_j(lseCol_j - L_jj)

    /** Unit rows of a [N, D] matrix and their original norms (clamped at 1e-12 as F.normalize). */
    private static double[][] normalize(float[] xs, int offset, int n, int d, double[] norms) {
        double[][] unit = new double[n][d];
        CpuThreads.parallelFor(n, 64, (s, e) -> {
            for (int i = s; i < e; i++) {
                double sq = 0;
                for (int c = 0; c < d; c++) {
                    double v = xs[offset + i * d + c];
                    sq += v * v;
                }
                double norm = Math.max(Math.sqrt(sq), 1e-12);
                norms[i] = norm;
                for (int c = 0; c < d; c++) {
                    unit[i][c] = xs[offset + i * d + c] / norm;
                }
            }
        });
        return unit;
    }

    /** logits[i][j] = â_i·b̂_j / τ. */
    private static double[][] clipLogits(double[][] ua, double[][] ub, double tau) {
        int n = ua.length;
        double[][] logits = new double[n][n];
        CpuThreads.parallelFor(n, Math.max(1, 4096 / Math.max(1, n)), (s, e) -> {
            for (int i = s; i < e; i++) {
                for (int j = 0; j < n; j++) {
                    double dot = 0;
                    for (int c = 0; c < ua[i].length; c++) {
                        dot += ua[i][c] * ub[j][c];
                    }
                    logits[i][j] = dot / tau;
                }
            }
        });
        return logits;
    }

    @Override
    public void clipForward(Tensor a, Tensor b, Tensor temperature, LossReduction reduction, Tensor loss,
                            Tensor logits, Tensor lseRows, Tensor lseCols) {
        int n = a.dim(0);
        int d = a.dim(1);
        double tau = scalar(temperature);
        double[][] ua = normalize(CpuStorage.floats(a), a.offset(), n, d, new double[n]);
        double[][] ub = normalize(CpuStorage.floats(b), b.offset(), n, d, new double[n]);
        double[][] l = clipLogits(ua, ub, tau);
        float[] saved = CpuStorage.floats(logits);
        float[] rows = CpuStorage.floats(lseRows);
        float[] cols = CpuStorage.floats(lseCols);
        double rowLoss = 0;
        double colLoss = 0;
        for (int i = 0; i < n; i++) {
            double lr = 0;
            double lc = 0;
            double maxR = Double.NEGATIVE_INFINITY;
            double maxC = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                maxR = Math.max(maxR, l[i][j]);
                maxC = Math.max(maxC, l[j][i]);
                saved[logits.offset() + i * n + j] = (float) l[i][j];
            }
            for (int j = 0; j < n; j++) {
                lr += Math.exp(l[i][j] - maxR);
                lc += Math.exp(l[j][i] - maxC);
            }
            double lseR = maxR + Math.log(lr);
            double lseC = maxC + Math.log(lc);
            rows[lseRows.offset() + i] = (float) lseR;
            cols[lseCols.offset() + i] = (float) lseC;
            rowLoss += lseR - l[i][i];
            colLoss += lseC - l[i][i];
        }
        double total = rowLoss / n + colLoss / n;
        CpuStorage.floats(loss)[loss.offset()] = (float) (reduction == LossReduction.MEAN ? total / 2 : total);
    }

    @Override
    public void clipBackward(Tensor a, Tensor b, Tensor temperature, LossReduction reduction, Tensor logits,
                             Tensor lseRows, Tensor lseCols, Tensor gradLoss, Tensor gradA, Tensor gradB,
                             Tensor gradTemperature) {
        int n = a.dim(0);
        int d = a.dim(1);
        double tau = scalar(temperature);
        double[] normA = new double[n];
        double[] normB = new double[n];
        double[][] ua = normalize(CpuStorage.floats(a), a.offset(), n, d, normA);
        double[][] ub = normalize(CpuStorage.floats(b), b.offset(), n, d, normB);
        float[] l = CpuStorage.floats(logits);
        int lo = logits.offset();
        float[] rows = CpuStorage.floats(lseRows);
        float[] cols = CpuStorage.floats(lseCols);
        double w = scalar(gradLoss) * (reduction == LossReduction.MEAN ? 0.5 : 1.0) / n;
        // dL_ij = w * [(softmax_row_i(j) - δ_ij) + (softmax_col_j(i) - δ_ij)]
        double[][] dl = new double[n][n];
        CpuThreads.parallelFor(n, 16, (s, e) -> {
            for (int i = s; i < e; i++) {
                for (int j = 0; j < n; j++) {
                    double pr = Math.exp(l[lo + i * n + j] - rows[lseRows.offset() + i]);
                    double pc = Math.exp(l[lo + i * n + j] - cols[lseCols.offset() + j]);
                    dl[i][j] = w * (pr + pc - (i == j ? 2.0 : 0.0));
                }
            }
        });
        if (gradTemperature != null) {
            // L = S/τ  =>  dτ = -sum_ij dL_ij * L_ij / τ
            double dt = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    dt -= dl[i][j] * l[lo + i * n + j];
                }
            }
            CpuStorage.floats(gradTemperature)[gradTemperature.offset()] = (float) (dt / tau);
        }
        // dâ_i = sum_j dL_ij b̂_j / τ ;  db̂_j = sum_i dL_ij â_i / τ ; then through the normalisation:
        // dx = (dx̂ - x̂ (x̂·dx̂)) / |x|
        float[] ga = CpuStorage.floats(gradA);
        float[] gb = CpuStorage.floats(gradB);
        CpuThreads.parallelFor(n, 16, (s, e) -> {
            double[] dua = new double[d];
            double[] dub = new double[d];
            for (int i = s; i < e; i++) {
                java.util.Arrays.fill(dua, 0);
                java.util.Arrays.fill(dub, 0);
                for (int j = 0; j < n; j++) {
                    for (int c = 0; c < d; c++) {
                        dua[c] += dl[i][j] * ub[j][c] / tau;
                        dub[c] += dl[j][i] * ua[j][c] / tau;
                    }
                }
                throughNormalize(dua, ua[i], normA[i], ga, gradA.offset() + i * d);
                throughNormalize(dub, ub[i], normB[i], gb, gradB.offset() + i * d);
            }
        });
    }

    private static void throughNormalize(double[] dUnit, double[] unit, double norm, float[] out, int offset) {
        double dot = 0;
        for (int c = 0; c < unit.length; c++) {
            dot += unit[c] * dUnit[c];
        }
        for (int c = 0; c < unit.length; c++) {
            out[offset + c] = (float) ((dUnit[c] - unit[c] * dot) / norm);
        }
    }

    private static double scalar(Tensor t) {
        return CpuStorage.floats(t)[t.offset()];
    }

    private static double logSumExp(float[] xs, int offset, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            max = Math.max(max, xs[offset + j]);
        }
        double sum = 0;
        for (int j = 0; j < n; j++) {
            sum += Math.exp(xs[offset + j] - max);
        }
        return max + Math.log(sum);
    }
}
