package org.kmerl.tensor;

import java.util.List;

/** Concatenation, stacking and splitting along one axis. */
public final class JoinOps {
    private JoinOps() {
    }

    /** Joins tensors whose shapes agree except along {@code axis}. */
    public static Tensor concat(List<Tensor> parts, int axis) {
        if (parts.isEmpty()) {
            throw new ShapeException("concat: needs at least one tensor");
        }
        Tensor first = parts.get(0);
        int a = Shape.normalizeAxis("concat", axis, first.shape());
        int[] shape = first.shape();
        int total = 0;
        for (Tensor t : parts) {
            Checks.sameDevice("concat", first, t);
            if (t.dtype() != first.dtype()) {
                throw new IllegalArgumentException("concat: mixed dtypes " + first.dtype() + " and " + t.dtype());
            }
            int[] s = t.shape();
            boolean ok = s.length == shape.length;
            for (int d = 0; ok && d < s.length; d++) {
                ok = d == a || s[d] == shape[d];
            }
            if (!ok) {
                throw new ShapeException("concat: shape " + Shape.format(s) + " does not match " + Shape.format(shape)
                        + " outside axis " + axis);
            }
            total += s[a];
        }
        shape[a] = total;
        Tensor out = Tensor.zeros(first.dtype(), first.device(), shape);
        int start = 0;
        for (Tensor t : parts) {
            try (Tensor slot = out.narrow(a, start, t.dim(a))) {
                out.backend().memory().copy(t, slot);
            }
            start += t.dim(a);
        }
        return out;
    }

    /** Joins same-shaped tensors along a new axis. */
    public static Tensor stack(List<Tensor> parts, int axis) {
        if (parts.isEmpty()) {
            throw new ShapeException("stack: needs at least one tensor");
        }
        int[] shape = parts.get(0).shape();
        int a = Shape.normalizeAxis("stack", axis, shape.length + 1, shape);
        Tensor[] expanded = new Tensor[parts.size()];
        try {
            for (int i = 0; i < expanded.length; i++) {
                Tensor t = parts.get(i);
                if (!java.util.Arrays.equals(t.shape(), shape)) {
                    throw new ShapeException("stack: shape " + Shape.format(t.shape()) + " differs from "
                            + Shape.format(shape));
                }
                expanded[i] = t.unsqueeze(a);
            }
            return concat(List.of(expanded), a);
        } finally {
            for (Tensor t : expanded) {
                if (t != null) {
                    t.close();
                }
            }
        }
    }

    /** Views of consecutive pieces of the given sizes along {@code axis}; the sizes must add up. */
    public static List<Tensor> split(Tensor x, int axis, int... sizes) {
        int a = Shape.normalizeAxis("split", axis, x.shape());
        int sum = 0;
        for (int s : sizes) {
            if (s < 0) {
                throw new ShapeException("split: negative size in " + java.util.Arrays.toString(sizes));
            }
            sum += s;
        }
        if (sum != x.dim(a)) {
            throw new ShapeException("split: sizes " + java.util.Arrays.toString(sizes) + " add up to " + sum
                    + ", not the size " + x.dim(a) + " of axis " + axis + " in shape " + Shape.format(x.shape()));
        }
        Tensor[] out = new Tensor[sizes.length];
        int start = 0;
        for (int i = 0; i < sizes.length; i++) {
            out[i] = x.narrow(a, start, sizes[i]);
            start += sizes[i];
        }
        return List.of(out);
    }
}
