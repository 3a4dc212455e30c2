package org.kmerl.autograd;

import java.util.Arrays;
import java.util.List;
import org.kmerl.parallel.Collective;
import org.kmerl.tensor.AttentionOps;
import org.kmerl.tensor.Generator;
import org.kmerl.tensor.LossOps;
import org.kmerl.tensor.MatmulOps;
import org.kmerl.tensor.NormOps;
import org.kmerl.tensor.Shape;
import org.kmerl.tensor.ShapeException;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.backend.AttentionConfig;
import org.kmerl.tensor.backend.LossReduction;

/**
 * Fused operations with explicit forward and backward kernels (the ones a GPU backend accelerates),
 * and the layers' functional forms. Each method records one graph node whose backward calls the
 * matching backward kernel with the tensors the forward kernel saved.
 */
public final class Functional {
    /** PyTorch's default ignore_index for cross entropy. */
    public static final int IGNORE_INDEX = -100;

    private Functional() {
    }

    /** {@code x · Wᵀ + b} over the last axis of x; W is [out, in], b is [out] or null. */
    public static Variable linear(Variable x, Variable weight, Variable bias) {
        int in = weight.dim(1);
        int[] shape = x.shape();
        if (shape.length == 0 || shape[shape.length - 1] != in) {
            throw new ShapeException("linear: input of shape " + Shape.format(shape) + " does not end in the "
                    + in + " input features of weight " + Shape.format(weight.shape()));
        }
        Variable flat = shape.length == 2 ? x : x.reshape(-1, in);
        Variable y = bias == null ? flat.matmul(weight.transpose(0, 1)) : addmm(flat, weight, bias);
        if (shape.length != 2) {
            int[] outShape = shape.clone();
            outShape[outShape.length - 1] = weight.dim(0);
            y = y.reshape(outShape);
        }
        return y;
    }

    /**
     * {@code x · Wᵀ + b} for 2-D x, the bias added inside the product ({@link MatmulOps#addmm}).
     * Backward: dx = g · W, dW = gᵀ · x, db = the column sums of g.
     */
    private static Variable addmm(Variable x, Variable weight, Variable bias) {
        Tensor w = weight.data();
        Tensor y;
        try (Tensor wt = w.transpose(0, 1)) {
            y = MatmulOps.addmm(bias.data(), x.data(), wt);
        }
        return Variable.record("linear", y, g -> {
            Tensor gx = x.requiresGrad() ? g.matmul(w) : null;
            Tensor gw = null;
            if (weight.requiresGrad()) {
                try (Tensor gt = g.transpose(0, 1)) {
                    gw = gt.matmul(x.data());
                }
            }
            Tensor gb = bias.requiresGrad() ? g.sum(0) : null;
            return new Tensor[] {gx, gw, gb};
        }, x, weight, bias);
    }

    /** Rows of {@code weight} at the int32 {@code ids}: output shape = ids shape + [dim]. */
    public static Variable embedding(Tensor ids, Variable weight) {
        int[] shape = Arrays.copyOf(ids.shape(), ids.rank() + 1);
        shape[ids.rank()] = weight.dim(1);
        // The flattened ids stay open: the backward pass (index-add) reads them.
        return weight.indexSelect(0, ids.reshape(ids.numel())).reshape(shape);
    }

    /**
     * Inverted dropout: in training, zero each element with probability p and scale the rest by
     * 1/(1-p); the mask is drawn from {@code generator}. Identity when not training or p == 0.
     */
    public static Variable dropout(Variable x, float p, Generator generator, boolean training) {
        if (!(p >= 0f && p < 1f)) {
            throw new IllegalArgumentException("dropout: probability must be in [0, 1), got " + p);
        }
        if (!training || p == 0f) {
            return x;
        }
        Tensor mask;
        try (Tensor u = generator.uniform(0f, 1f, x.data().device(), x.shape()); Tensor keep = u.ge(p)) {
            mask = keep.mul(1f / (1f - p));
        }
        return x.mul(Variable.constant(mask));
    }

    /** Layer norm over the last axis; {@code weight}/{@code bias} ([C]) may be null. */
    public static Variable layerNorm(Variable x, Variable weight, Variable bias, float eps) {
        Tensor w = weight == null ? null : weight.data();
        Tensor b = bias == null ? null : bias.data();
        NormOps.LayerNormResult r = NormOps.layerNorm(x.data(), w, b, eps);
        return Variable.record("layerNorm", r.y(), g -> {
            NormOps.LayerNormGrads grads = NormOps.layerNormBackward(g, x.data(), w, b != null, r.mean(), r.rstd());
            return new Tensor[] {grads.x(), grads.weight(), grads.bias()};
        }, x, weight, bias);
    }

    /**
     * Multi-head scaled-dot-product attention on [B, H, T, D] inputs with scale 1/sqrt(D).
     * {@code keyPadding} is null or [B, Tk] with non-zero entries marking keys to ignore. Dropout on
     * the attention probabilities needs a generator (its mask is recomputed, not stored).
     */
    public static Variable attention(Variable q, Variable k, Variable v, Tensor keyPadding, float dropout,
                                     Generator generator) {
        float scale = (float) (1.0 / Math.sqrt(q.dim(-1)));
        AttentionConfig config;
        if (dropout > 0f) {
            if (generator == null) {
                throw new IllegalArgumentException("attention: dropout " + dropout + " needs a generator");
            }
            long elements = (long) q.dim(0) * q.dim(1) * q.dim(2) * k.dim(2);
            config = new AttentionConfig(scale, dropout, generator.seed(), generator.reserve(elements));
        } else {
            config = AttentionConfig.noDropout(scale);
        }
        boolean forBackward = GradMode.isEnabled() && (q.requiresGrad() || k.requiresGrad() || v.requiresGrad());
        AttentionOps.Result r = AttentionOps.forward(q.data(), k.data(), v.data(), keyPadding, config, forBackward);
        return Variable.record("attention", r.out(), g -> {
            AttentionOps.Grads grads = AttentionOps.backward(q.data(), k.data(), v.data(), keyPadding, config, r, g);
            return new Tensor[] {grads.q(), grads.k(), grads.v()};
        }, q, k, v);
    }

    /** Mean cross entropy of {@code logits[..., C]} against int32 class indices of shape [...]. */
    public static Variable crossEntropy(Variable logits, Tensor targets) {
        return crossEntropy(logits, targets, 0f, IGNORE_INDEX, LossReduction.MEAN);
    }

    public static Variable crossEntropy(Variable logits, Tensor targets, float labelSmoothing, int ignoreIndex,
                                        LossReduction reduction) {
        int[] shape = logits.shape();
        if (shape.length < 2) {
            throw new ShapeException("crossEntropy: logits must be [N, C] or [..., C], got " + Shape.format(shape));
        }
        int[] expected = Arrays.copyOf(shape, shape.length - 1);
        if (!Arrays.equals(targets.shape(), expected)) {
            throw new ShapeException("crossEntropy: targets of shape " + Shape.format(targets.shape())
                    + " do not match logits " + Shape.format(shape) + " (expected " + Shape.format(expected) + ")");
        }
        int c = shape[shape.length - 1];
        Variable flat = shape.length == 2 ? logits : logits.reshape(-1, c);
        Tensor t = targets.reshape(targets.numel());
        LossOps.Result r = LossOps.crossEntropy(flat.data(), t, labelSmoothing, ignoreIndex, reduction);
        return Variable.record("crossEntropy", r.loss(), g -> new Tensor[] {
            LossOps.crossEntropyBackward(flat.data(), t, labelSmoothing, ignoreIndex, reduction, r.lseRows(), g)
        }, flat);
    }

    /** Mean binary cross entropy on logits against float targets in [0, 1]; {@code posWeight} may be null. */
    public static Variable bceWithLogits(Variable logits, Tensor targets, Tensor posWeight, LossReduction reduction) {
        Tensor loss = LossOps.bceWithLogits(logits.data(), targets, posWeight, reduction);
        return Variable.record("bceWithLogits", loss, g -> new Tensor[] {
            LossOps.bceWithLogitsBackward(logits.data(), targets, posWeight, reduction, g)
        }, logits);
    }

    /**
     * Every rank's rows of {@code x} (the same number on each) concatenated in rank order, for a loss over
     * the global batch (the contrastive loss's negatives). Backward: every rank computes the same loss from the
     * gathered rows, so the gradient of the gathered tensor is summed over the ranks and this rank keeps its
     * own rows (MERL's GatherLayer); with gradients then averaged over ranks
     * ({@link org.kmerl.parallel.DataParallel#averageGradients}) that is the global loss's gradient. One rank:
     * {@code x} itself.
     */
    public static Variable allGather(Variable x, Collective c) {
        if (c.worldSize() == 1) {
            return x;
        }
        int rows = x.shape()[0];
        Tensor all = c.allGather(x.data());
        if (all.dim(0) != rows * c.worldSize()) {
            throw new IllegalStateException("allGather: the ranks' batches differ in size (" + all.dim(0) + " rows from "
                    + c.worldSize() + " ranks, " + rows + " here); data-parallel steps need the same batch on every rank");
        }
        int rank = c.rank();
        return Variable.record("allGather", all, g -> {
            Tensor sum = g.copy();
            c.allReduceSum(List.of(sum));
            return new Tensor[] {sum.narrow(0, rank * rows, rows).contiguous()};
        }, x);
    }

    /**
     * The CLIP contrastive loss between paired rows of {@code a} and {@code b} ([N, D]): both are
     * L2-normalised, logits = a·bᵀ / temperature, and cross entropy with the matching row as the
     * target is taken in both directions. {@link LossReduction#MEAN} averages the two directions
     * (the default here, as in CLIP); {@link LossReduction#SUM} adds them (MERL). The temperature is a
     * one-element variable: a constant, or a learnable parameter.
     */
    public static Variable clipLoss(Variable a, Variable b, Variable temperature, LossReduction reduction) {
        LossOps.Result r = LossOps.clip(a.data(), b.data(), temperature.data(), reduction);
        return Variable.record("clipLoss", r.loss(), g -> {
            LossOps.ClipGrads grads = LossOps.clipBackward(a.data(), b.data(), temperature.data(), reduction, r, g,
                    temperature.requiresGrad());
            Tensor gt = grads.temperature() == null ? null : grads.temperature().reshape(temperature.shape());
            return new Tensor[] {grads.a(), grads.b(), gt};
        }, a, b, temperature);
    }
}
