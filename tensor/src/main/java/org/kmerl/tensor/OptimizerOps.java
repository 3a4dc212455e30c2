package org.kmerl.tensor;

import java.util.ArrayList;
import java.util.List;
import org.kmerl.tensor.backend.AdamWStep;
import org.kmerl.tensor.backend.OptimizerKernels.AdamWOperands;

/** Fused in-place optimizer updates and the passes of gradient clipping. */
public final class OptimizerOps {
    private OptimizerOps() {
    }

    /** One AdamW step on {@code param} in place, updating the moment buffers {@code m} and {@code v}. */
    public static void adamw(Tensor param, Tensor grad, Tensor m, Tensor v, AdamWStep step) {
        adamw(List.of(new AdamWOperands(param, grad, m, v)), step);
    }

    /**
     * One AdamW step on each of {@code parameters} (all on one device, same hyper-parameters); the
     * backend may update several per kernel launch. A non-contiguous gradient is copied dense first.
     */
    public static void adamw(List<AdamWOperands> parameters, AdamWStep step) {
        if (parameters.isEmpty()) {
            return;
        }
        Tensor first = parameters.get(0).param();
        List<AdamWOperands> dense = new ArrayList<>(parameters.size());
        try {
            for (AdamWOperands o : parameters) {
                check(o, first);
                dense.add(new AdamWOperands(o.param(), o.grad().dense(o.grad().shape()), o.m(), o.v()));
            }
            first.backend().optimizers().adamw(dense, step);
        } finally {
            dense.forEach(d -> d.grad().close());
        }
    }

    /**
     * Σ x² over every element of every tensor (all on one device) as a 0-d tensor there: the squared
     * global norm of gradient clipping, without a host round trip.
     */
    public static Tensor sumOfSquares(List<Tensor> tensors) {
        if (tensors.isEmpty()) {
            throw new IllegalArgumentException("sumOfSquares: no tensors");
        }
        Checks.sameDevice("sumOfSquares", tensors.toArray(Tensor[]::new));
        return tensors.get(0).backend().optimizers().sumOfSquares(tensors);
    }

    /** Multiplies each tensor in place by {@code factor}, a one-element tensor on their device. */
    public static void scaleInPlace(List<Tensor> tensors, Tensor factor) {
        if (tensors.isEmpty()) {
            return;
        }
        List<Tensor> all = new ArrayList<>(tensors);
        all.add(factor);
        Checks.sameDevice("scaleInPlace", all.toArray(Tensor[]::new));
        if (factor.numel() != 1) {
            throw new IllegalArgumentException("scaleInPlace: the factor must have one element, got shape "
                    + Shape.format(factor.shape()));
        }
        try (Tensor f = factor.reshape()) {
            tensors.get(0).backend().optimizers().scaleInPlace(tensors, f);
        }
    }

    private static void check(AdamWOperands o, Tensor first) {
        String op = "adamw";
        Checks.sameDevice(op, first, o.param(), o.grad(), o.m(), o.v());
        for (Tensor t : new Tensor[] {o.grad(), o.m(), o.v()}) {
            Checks.shape(op, "state", t, o.param().shape());
        }
        for (Tensor t : new Tensor[] {o.param(), o.m(), o.v()}) {
            if (!t.isContiguous()) {
                throw new IllegalArgumentException(op + ": parameter and moments must be contiguous, got strides "
                        + java.util.Arrays.toString(t.strides()) + " for shape " + Shape.format(t.shape()));
            }
        }
    }
}
