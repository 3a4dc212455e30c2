package org.kmerl.autograd;

import java.util.ArrayList;
import java.util.List;
import org.kmerl.tensor.DType;
import org.kmerl.tensor.JoinOps;
import org.kmerl.tensor.Tensor;

/**
 * Views and joins. Forward passes copy nothing (except concat/stack); backward passes put the
 * gradient back where the view took its elements from.
 */
final class Shapes {
    private Shapes() {
    }

    static Variable reshape(Variable a, int... shape) {
        int[] in = a.shape();
        return Variable.record("reshape", a.data().reshape(shape), g -> new Tensor[] {g.reshape(in)}, a);
    }

    static Variable permute(Variable a, int... axes) {
        int[] inverse = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            inverse[Math.floorMod(axes[i], axes.length)] = i;
        }
        return Variable.record("permute", a.data().permute(axes), g -> new Tensor[] {g.permute(inverse)}, a);
    }

    static Variable transpose(Variable a, int axis0, int axis1) {
        return Variable.record("transpose", a.data().transpose(axis0, axis1),
                g -> new Tensor[] {g.transpose(axis0, axis1)}, a);
    }

    static Variable expand(Variable a, int... shape) {
        int[] in = a.shape();
        return Variable.record("expand", a.data().expand(shape), g -> new Tensor[] {Elementwise.sumTo(g, in)}, a);
    }

    static Variable squeeze(Variable a, int axis) {
        int[] in = a.shape();
        return Variable.record("squeeze", a.data().squeeze(axis), g -> new Tensor[] {g.reshape(in)}, a);
    }

    static Variable unsqueeze(Variable a, int axis) {
        int[] in = a.shape();
        return Variable.record("unsqueeze", a.data().unsqueeze(axis), g -> new Tensor[] {g.reshape(in)}, a);
    }

    static Variable contiguous(Variable a) {
        return Variable.record("contiguous", a.data().contiguous(), g -> new Tensor[] {g}, a);
    }

    /** Backward of any sub-view: zeros of the input's shape with the gradient copied into the same view. */
    private interface SubView {
        Tensor of(Tensor t);
    }

    private static Variable subView(String op, Variable a, SubView view) {
        int[] in = a.shape();
        return Variable.record(op, view.of(a.data()), g -> {
            Tensor grad = Tensor.zeros(DType.FLOAT32, g.device(), in);
            try (Tensor slot = view.of(grad)) {
                slot.copyFrom(g);
            }
            return new Tensor[] {grad};
        }, a);
    }

    static Variable narrow(Variable a, int axis, int start, int length) {
        return subView("narrow", a, t -> t.narrow(axis, start, length));
    }

    static Variable slice(Variable a, int axis, int start, int end, int step) {
        return subView("slice", a, t -> t.slice(axis, start, end, step));
    }

    static Variable select(Variable a, int axis, int index) {
        return subView("select", a, t -> t.select(axis, index));
    }

    static Variable concat(List<Variable> parts, int axis) {
        List<Tensor> data = new ArrayList<>();
        for (Variable v : parts) {
            data.add(v.data());
        }
        Tensor out = JoinOps.concat(data, axis);
        int a = Math.floorMod(axis, out.rank());
        int[] sizes = new int[parts.size()];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = parts.get(i).dim(a);
        }
        return Variable.record("concat", out, g -> JoinOps.split(g, a, sizes).toArray(new Tensor[0]),
                parts.toArray(new Variable[0]));
    }

    static Variable stack(List<Variable> parts, int axis) {
        List<Variable> expanded = new ArrayList<>();
        for (Variable v : parts) {
            expanded.add(v.unsqueeze(axis));
        }
        return concat(expanded, axis);
    }

    static List<Variable> split(Variable a, int axis, int... sizes) {
        int ax = Math.floorMod(axis, Math.max(a.rank(), 1));
        List<Tensor> pieces = JoinOps.split(a.data(), ax, sizes); // validates the sizes
        pieces.forEach(Tensor::close);
        List<Variable> out = new ArrayList<>();
        int start = 0;
        for (int s : sizes) {
            out.add(narrow(a, ax, start, s));
            start += s;
        }
        return out;
    }
}
