package org.kmerl.autograd;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.backend.LossReduction;

/**
 * The table of differentiable ops, by the case names of make_golden.py. Each case maps the float
 * inputs (as variables) and the constant tensors of the fixture to an output. GoldenTest compares
 * them with PyTorch; GradCheckTest checks their gradients by finite differences.
 */
final class OpCases {
    @FunctionalInterface
    interface Op {
        Variable apply(Variable[] x, Map<String, Tensor> c);
    }

    private OpCases() {
    }

    static final Map<String, Op> ALL = new LinkedHashMap<>();

    private static void put(String name, Op op) {
        ALL.put(name, op);
    }

    static {
        put("neg", (x, c) -> x[0].neg());
        put("exp", (x, c) -> x[0].exp());
        put("log", (x, c) -> x[0].log());
        put("sqrt", (x, c) -> x[0].sqrt());
        put("rsqrt", (x, c) -> x[0].rsqrt());
        put("reciprocal", (x, c) -> x[0].reciprocal());
        put("square", (x, c) -> x[0].square());
        put("abs", (x, c) -> x[0].abs());
        put("tanh", (x, c) -> x[0].tanh());
        put("sigmoid", (x, c) -> x[0].sigmoid());
        put("relu", (x, c) -> x[0].relu());
        put("gelu", (x, c) -> x[0].gelu());
        put("clamp", (x, c) -> x[0].clamp(-0.5f, 0.5f));
        put("add", (x, c) -> x[0].add(x[1]));
        put("sub", (x, c) -> x[0].sub(x[1]));
        put("mul", (x, c) -> x[0].mul(x[1]));
        put("div", (x, c) -> x[0].div(x[1]));
        put("pow", (x, c) -> x[0].pow(x[1]));
        put("pow_scalar", (x, c) -> x[0].pow(2.5f));
        put("add_scalar", (x, c) -> x[0].add(1.5f));
        put("mul_scalar", (x, c) -> x[0].mul(-0.75f));
        put("where", (x, c) -> Variable.where(c.get("cond"), x[0], x[1]));
        put("masked_fill", (x, c) -> x[0].maskedFill(c.get("mask"), -3f));
        put("sum_axis1_keepdim", (x, c) -> x[0].sum(new int[] {1}, true));
        put("sum_all", (x, c) -> x[0].sum());
        put("mean_axes02", (x, c) -> x[0].mean(0, 2));
        put("max_axis1", (x, c) -> x[0].max(1));
        put("min_axis0_keepdim", (x, c) -> x[0].min(new int[] {0}, true));
        put("var_axis1_unbiased", (x, c) -> x[0].var(new int[] {1}, false, 1));
        put("var_all_biased", (x, c) -> x[0].var(new int[0], false, 0));
        put("matmul_2d", (x, c) -> x[0].matmul(x[1]));
        put("matmul_batched_broadcast", (x, c) -> x[0].matmul(x[1]));
        put("matmul_vector_left", (x, c) -> x[0].matmul(x[1]));
        put("matmul_vector_right", (x, c) -> x[0].matmul(x[1]));
        put("softmax_axis1", (x, c) -> x[0].softmax(1));
        put("log_softmax_axis0", (x, c) -> x[0].logSoftmax(0));
        put("gather_axis1", (x, c) -> x[0].gather(1, c.get("index")));
        put("index_select_axis0", (x, c) -> x[0].indexSelect(0, c.get("index")));
        put("scatter_add_axis0", (x, c) -> x[0].scatterAdd(0, c.get("index"), x[1]));
        put("reshape", (x, c) -> x[0].reshape(4, 6));
        put("permute", (x, c) -> x[0].permute(2, 0, 1));
        put("transpose", (x, c) -> x[0].transpose(0, 2));
        put("narrow", (x, c) -> x[0].narrow(1, 1, 2));
        put("slice_step2", (x, c) -> x[0].slice(1, 1, 6, 2));
        put("select", (x, c) -> x[0].select(1, 2));
        put("expand", (x, c) -> x[0].expand(2, 3, 4));
        put("squeeze_unsqueeze", (x, c) -> x[0].squeeze(1).unsqueeze(0));
        put("concat_axis1", (x, c) -> Variable.concat(List.of(x[0], x[1]), 1));
        put("stack_axis0", (x, c) -> Variable.stack(List.of(x[0], x[1]), 0));
        put("split_second", (x, c) -> x[0].split(1, 2, 3).get(1));
        put("linear", (x, c) -> Functional.linear(x[0], x[1], x[2]));
        put("embedding", (x, c) -> Functional.embedding(c.get("ids"), x[0]));
        put("layer_norm", (x, c) -> Functional.layerNorm(x[0], x[1], x[2], 1e-5f));
        put("attention", (x, c) -> Functional.attention(x[0], x[1], x[2], null, 0f, null));
        put("attention_padded", (x, c) -> Functional.attention(x[0], x[1], x[2], c.get("padding"), 0f, null));
        put("cross_entropy_smoothed", (x, c) -> Functional.crossEntropy(x[0], c.get("t"), 0.1f,
                Functional.IGNORE_INDEX, LossReduction.MEAN));
        put("bce_pos_weight", (x, c) -> Functional.bceWithLogits(x[0], c.get("t"), c.get("pw"), LossReduction.MEAN));
        put("clip_mean_learnable_tau", (x, c) -> Functional.clipLoss(x[0], x[1], x[2], LossReduction.MEAN));
        put("clip_sum_fixed_tau", (x, c) -> Functional.clipLoss(x[0], x[1], Variable.constant(c.get("tau")),
                LossReduction.SUM));
    }
}
