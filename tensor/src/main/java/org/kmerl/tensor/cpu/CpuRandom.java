package org.kmerl.tensor.cpu;

import org.kmerl.tensor.MathFunctions;
import org.kmerl.tensor.Philox;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.backend.RandomKernels;

/** Philox fills; chunks start on block boundaries so each block is computed once. */
final class CpuRandom implements RandomKernels {
    private static final int GRAIN = 16 * 1024;

    @Override
    public void uniform(Tensor out, long seed, long offset, float low, float high) {
        float[] os = CpuStorage.floats(out);
        int base = out.offset();
        float range = high - low;
        CpuThreads.parallelFor(out.numel(), GRAIN, (s, e) -> {
            Philox.uniforms(seed, offset + s, os, base + s, e - s);
            for (int i = s; i < e; i++) {
                os[base + i] = low + range * os[base + i];
            }
        });
    }

    @Override
    public void normal(Tensor out, long seed, long offset, float mean, float std) {
        float[] os = CpuStorage.floats(out);
        int base = out.offset();
        CpuThreads.parallelFor(out.numel(), GRAIN, (s, e) -> {
            int[] words = new int[4];
            long block = -1;
            for (int i = s; i < e; i++) {
                long w = offset + 2L * i;
                if ((w >>> 2) != block) {
                    block = w >>> 2;
                    Philox.block(seed, block, words);
                }
                int lane = (int) (w & 2);
                os[base + i] = (float) (mean + std * Philox.boxMuller(words[lane], words[lane + 1]));
            }
        });
    }

    @Override
    public void truncatedNormal(Tensor out, long seed, long offset, float mean, float std, float low, float high) {
        // Inverse CDF: u uniform in [Phi(a), Phi(b)], x = mean + std * sqrt(2) * erfinv(2u - 1).
        double cdfLow = MathFunctions.normalCdf((low - mean) / std);
        double cdfHigh = MathFunctions.normalCdf((high - mean) / std);
        float[] os = CpuStorage.floats(out);
        int base = out.offset();
        CpuThreads.parallelFor(out.numel(), GRAIN, (s, e) -> {
            Philox.uniforms(seed, offset + s, os, base + s, e - s);
            for (int i = s; i < e; i++) {
                double u = cdfLow + (cdfHigh - cdfLow) * os[base + i];
                double x = mean + std * Math.sqrt(2.0) * MathFunctions.erfInv(2.0 * u - 1.0);
                os[base + i] = (float) Math.min(Math.max(x, low), high);
            }
        });
    }
}
