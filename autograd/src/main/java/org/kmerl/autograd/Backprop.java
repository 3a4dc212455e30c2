package org.kmerl.autograd;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.kmerl.tensor.Shape;
import org.kmerl.tensor.ShapeException;
import org.kmerl.tensor.Tensor;

/**
 * The reverse pass. A depth-first walk with an explicit stack (so a graph thousands of ops deep
 * cannot overflow the Java stack) puts every variable after all of its inputs; the gradients then
 * flow through that order reversed, so each node runs once, after all of its consumers.
 */
final class Backprop {
    private Backprop() {
    }

    static void run(Variable root, Tensor seed, boolean retainGraph) {
        if (!root.requiresGrad()) {
            throw new IllegalStateException("backward: the output does not require grad (no input required grad, "
                    + "or it was computed with GradMode disabled)");
        }
        if (!java.util.Arrays.equals(seed.shape(), root.data().shape())) {
            throw new ShapeException("backward: gradient of shape " + Shape.format(seed.shape())
                    + " for an output of shape " + Shape.format(root.data().shape()));
        }
        List<Variable> order = topologicalOrder(root);
        root.pendingGrad = seed;
        try {
            for (int i = order.size() - 1; i >= 0; i--) {
                Variable v = order.get(i);
                Tensor g = v.pendingGrad;
                v.pendingGrad = null;
                if (g == null) {
                    continue;
                }
                if (v.node() == null || v.retainsGrad()) {
                    v.accumulateGrad(g);
                }
                if (v.node() == null) {
                    continue;
                }
                Tensor[] grads = v.node().backward(g);
                Variable[] inputs = v.node().inputs;
                for (int k = 0; k < inputs.length; k++) {
                    Variable in = inputs[k];
                    Tensor gk = grads[k];
                    if (gk == null || !in.requiresGrad()) {
                        continue;
                    }
                    if (!java.util.Arrays.equals(gk.shape(), in.data().shape())) {
                        throw new IllegalStateException("backward of '" + v.node().op + "' produced a gradient of shape "
                                + Shape.format(gk.shape()) + " for input " + k + " of shape "
                                + Shape.format(in.data().shape()));
                    }
                    in.pendingGrad = in.pendingGrad == null ? gk : in.pendingGrad.add(gk);
                }
            }
        } finally {
            for (Variable v : order) {
                v.pendingGrad = null;
                if (!retainGraph && v.node() != null) {
                    v.node().release();
                }
            }
        }
    }

    /** Every variable reachable from the root that requires grad, each after all of its inputs. */
    static List<Variable> topologicalOrder(Variable root) {
        List<Variable> order = new ArrayList<>();
        Set<Variable> visited = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Variable> stack = new ArrayDeque<>();
        ArrayDeque<Integer> nextInput = new ArrayDeque<>();
        stack.push(root);
        nextInput.push(0);
        visited.add(root);
        while (!stack.isEmpty()) {
            Variable v = stack.peek();
            int k = nextInput.pop();
            Variable[] inputs = v.node() == null ? new Variable[0] : v.node().inputs;
            if (k < inputs.length) {
                nextInput.push(k + 1);
                Variable in = inputs[k];
                if (in.requiresGrad() && visited.add(in)) {
                    stack.push(in);
                    nextInput.push(0);
                }
            } else {
                stack.pop();
                order.add(v);
            }
        }
        return order;
    }
}
