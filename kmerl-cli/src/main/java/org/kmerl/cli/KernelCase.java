package org.kmerl.cli;

import java.util.Arrays;
import org.kmerl.tensor.AttentionOps;
import org.kmerl.tensor.Device;
import org.kmerl.tensor.Generator;
import org.kmerl.tensor.IndexOps;
import org.kmerl.tensor.LossOps;
import org.kmerl.tensor.MatmulOps;
import org.kmerl.tensor.NormOps;
import org.kmerl.tensor.ReductionOps;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.backend.AttentionConfig;
import org.kmerl.tensor.backend.LossReduction;

/**
 * One op of {@code kmerl kernels bench}: how to make its inputs at a shape, run it, count its work, and
 * check it against the CPU backend on a shape cut down to at most 256 per axis.
 */
record KernelCase(String op, int[] shape) {
    /** The ops, with the shape each takes. */
    static final String OPS = "gemm MxNxK, softmax RxC, layernorm RxC, attention BxHxTxD, reduce N, elementwise N (a + b),"
            + " copy RxC (a transpose), index_add RxC, clip_loss NxD (the CLIP loss forward: logits and log-sum-exps)";
    private static final int CHECK_LIMIT = 256;

    static KernelCase of(String op, String shapeText) {
        String s = shapeText != null ? shapeText : switch (op) {
            case "gemm" -> "4096x4096x4096";
            case "softmax", "layernorm" -> "16384x384";
            case "attention" -> "32x6x256x64";
            case "reduce", "elementwise" -> "16777216";
            case "copy" -> "4096x4096";
            case "index_add" -> "11520x256";
            case "clip_loss" -> "4096x256";
            default -> throw new IllegalArgumentException("unknown op '" + op + "' (" + OPS + ")");
        };
        int[] dims;
        try {
            dims = Arrays.stream(s.split("x")).mapToInt(Integer::parseInt).toArray();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--shape must look like 4096x4096x4096, got '" + s + "'");
        }
        int want = switch (op) {
            case "gemm" -> 3;
            case "softmax", "layernorm", "copy", "index_add", "clip_loss" -> 2;
            case "attention" -> 4;
            default -> 1;
        };
        if (dims.length != want || Arrays.stream(dims).anyMatch(x -> x <= 0)) {
            throw new IllegalArgumentException(op + " takes a shape of " + want + " positive sizes, got '" + s + "'");
        }
        return new KernelCase(op, dims);
    }

    String registryOp() {
        return op;
    }

    String describe() {
        return op + " " + shapeText(shape);
    }

    String checkShape() {
        return shapeText(small());
    }

    private static String shapeText(int[] s) {
        return String.join("x", Arrays.stream(s).mapToObj(Integer::toString).toList());
    }

    private int[] small() {
        return Arrays.stream(shape).map(x -> Math.min(x, CHECK_LIMIT)).toArray();
    }

    double flops() {
        return switch (op) {
            case "gemm" -> 2.0 * shape[0] * shape[1] * shape[2];
            case "attention" -> 4.0 * shape[0] * shape[1] * shape[2] * shape[2] * shape[3];
            case "clip_loss" -> 2.0 * shape[0] * shape[0] * shape[1];
            default -> 0;
        };
    }

    /** Bytes that must move: inputs read once and outputs written once, 4 bytes each. */
    double bytes() {
        return switch (op) {
            case "softmax", "layernorm", "copy" -> 8.0 * shape[0] * shape[1];
            case "index_add" -> 8.0 * shape[0] * shape[1] + 4.0 * shape[0];
            case "reduce" -> 4.0 * shape[0];
            case "elementwise" -> 12.0 * shape[0];
            default -> 0;
        };
    }

    Tensor[] inputs(int[] s, Device d, Generator g) {
        return switch (op) {
            case "gemm" -> new Tensor[] {g.normal(0, 1, d, s[0], s[2]), g.normal(0, 1, d, s[2], s[1])};
            case "softmax" -> new Tensor[] {g.normal(0, 1, d, s)};
            case "layernorm" -> new Tensor[] {g.normal(0, 1, d, s), g.normal(0, 1, d, s[1]), g.normal(0, 1, d, s[1])};
            case "attention" -> new Tensor[] {g.normal(0, 1, d, s), g.normal(0, 1, d, s), g.normal(0, 1, d, s)};
            case "elementwise", "clip_loss" -> new Tensor[] {g.normal(0, 1, d, s), g.normal(0, 1, d, s)};
            case "index_add" -> new Tensor[] {g.normal(0, 1, d, s), scatteredRows(s[0]).to(d)};
            default -> new Tensor[] {g.normal(0, 1, d, s)};
        };
    }

    Tensor run(Tensor[] in) {
        return switch (op) {
            case "gemm" -> MatmulOps.matmul(in[0], in[1]);
            case "softmax" -> NormOps.softmax(in[0], 1);
            case "layernorm" -> NormOps.layerNorm(in[0], in[1], in[2], 1e-5f).y();
            case "attention" -> AttentionOps.forward(in[0], in[1], in[2], null,
                    AttentionConfig.noDropout((float) (1 / Math.sqrt(in[0].dim(3))))).out();
            case "elementwise" -> in[0].add(in[1]);
            case "copy" -> in[0].t().contiguous();   // a transpose: the layout change attention's head splits make
            case "index_add" -> IndexOps.indexAdd(in[0].shape(), 0, in[1], in[0]);
            // the columns' log-sum-exps: they depend on every logit and on the column statistics (v2's epilogue)
            case "clip_loss" -> LossOps.clip(in[0], in[1], Tensor.scalar(0.07f).to(in[0].device()), LossReduction.MEAN)
                    .lseCols();
            default -> ReductionOps.sum(in[0], new int[] {0}, false);
        };
    }

    /** Row i goes to row (7919 i) mod rows, as the tokenizer scatters tokens (a permutation unless rows % 7919 == 0). */
    private static Tensor scatteredRows(int rows) {
        int[] index = new int[rows];
        for (int i = 0; i < rows; i++) {
            index[i] = (int) ((7919L * i) % rows);
        }
        return Tensor.ofInts(index, rows);
    }

    /** Largest relative error of the device result against the CPU backend on the small shape. */
    double check(Device d) {
        return check(d, false);
    }

    /**
     * {@link #check(Device)}; {@code tf32}: for a variant that rounds its inputs to TF32 (about 3 decimal digits),
     * each error is taken relative to the output's largest magnitude (elements near zero carry errors like the
     * others') and may reach 2e-3.
     */
    double check(Device d, boolean tf32) {
        Tensor[] cpu = inputs(small(), Device.CPU, new Generator(3));
        Tensor[] dev = new Tensor[cpu.length];
        for (int i = 0; i < cpu.length; i++) {
            dev[i] = cpu[i].to(d);
        }
        float[] expected = run(cpu).toFloatArray();
        float[] actual = run(dev).toFloatArray();
        double worst = 0;
        double scale = 1e-6;
        for (float e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        double floor = tf32 ? scale : 1e-3 * scale;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]) / Math.max(Math.abs(expected[i]), floor));
        }
        if (!(worst < (tf32 ? 2e-3 : 1e-3))) {
            throw new IllegalStateException(op + " " + describe() + ": the device result differs from the CPU reference"
                    + " (max rel. error " + worst + "); not timing a wrong kernel");
        }
        return worst;
    }
}
