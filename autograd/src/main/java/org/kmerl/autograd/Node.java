package org.kmerl.autograd;

import org.kmerl.tensor.Tensor;

/**
 * One recorded operation of the graph: its inputs and the closure that maps the gradient of its
 * output to the gradients of its inputs. The closure holds the tensors saved by the forward pass;
 * it is dropped after a backward pass unless the graph is retained.
 */
final class Node {
    /** Gradient of each input given the gradient of the output; null entries mean "no gradient". */
    @FunctionalInterface
    interface Backward {
        Tensor[] apply(Tensor gradOutput);
    }

    final String op;
    final Variable[] inputs;
    private Backward backward;

    Node(String op, Variable[] inputs, Backward backward) {
        this.op = op;
        this.inputs = inputs;
        this.backward = backward;
    }

    Tensor[] backward(Tensor gradOutput) {
        if (backward == null) {
            throw new IllegalStateException("backward through '" + op + "' a second time: its saved tensors were "
                    + "freed after the first backward; call backward(true) to retain the graph");
        }
        Tensor[] grads = backward.apply(gradOutput);
        if (grads.length != inputs.length) {
            throw new IllegalStateException("backward of '" + op + "' returned " + grads.length + " gradients for "
                    + inputs.length + " inputs");
        }
        return grads;
    }

    void release() {
        backward = null;
    }
}
