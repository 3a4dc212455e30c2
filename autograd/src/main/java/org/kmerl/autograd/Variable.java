package org.kmerl.autograd;

import java.util.List;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.TensorScope;
import org.kmerl.tensor.backend.UnaryOp;

/**
 * A tensor in the autograd graph: its value ({@link #data()}), whether gradients flow to it, the
 * {@link Node} that produced it (null for leaves) and, for leaves, the accumulated gradient.
 *
 * <p>Every method below records one node whose backward sits next to its forward in the op-family
 * classes ({@link Elementwise}, {@link Reductions}, {@link Shapes}, {@link Products}, {@link Indexing},
 * {@link Functional}). Operations never modify their inputs; in-place updates happen only on leaf
 * data outside the graph (optimizers).
 */
public final class Variable {
    private Tensor data;
    private boolean requiresGrad;
    private final Node node;
    private Tensor grad;
    /** {@link #zeroGrad()} was called since {@link #grad} was last written: it holds stale values that read as zero. */
    private boolean gradIsZero;
    private boolean retainGrad;
    private String name;

    /** Gradient being accumulated during one backward pass. */
    Tensor pendingGrad;

    /** A leaf: a constant ({@code requiresGrad = false}) or a parameter-like input. */
    public Variable(Tensor data, boolean requiresGrad) {
        this(data, requiresGrad, null);
    }

    private Variable(Tensor data, boolean requiresGrad, Node node) {
        if (requiresGrad && data.dtype() != org.kmerl.tensor.DType.FLOAT32) {
            throw new IllegalArgumentException("only float32 tensors can require grad, got " + data.dtype());
        }
        this.data = data;
        this.requiresGrad = requiresGrad;
        this.node = node;
    }

    public static Variable constant(Tensor data) {
        return new Variable(data, false);
    }

    public static Variable leaf(Tensor data) {
        return new Variable(data, true);
    }

    /**
     * The result of an op: it requires grad (and keeps {@code backward}) only when grad mode is on
     * and some input requires grad.
     */
    static Variable record(String op, Tensor out, Node.Backward backward, Variable... inputs) {
        if (GradMode.isEnabled()) {
            for (Variable in : inputs) {
                if (in != null && in.requiresGrad) {
                    return new Variable(out, true, new Node(op, inputs, backward));
                }
            }
        }
        return new Variable(out, false);
    }

    // ------------------------------------------------------------------------------------------
    // State

    public Tensor data() {
        return data;
    }

    /**
     * Replaces a leaf's value with a tensor of the same shape (moving a parameter to another device,
     * or loading weights into it). The graph is not involved.
     */
    public void setData(Tensor value) {
        if (node != null) {
            throw new IllegalStateException("setData: only leaves can be replaced, not the output of '" + node.op + "'");
        }
        if (!java.util.Arrays.equals(value.shape(), data.shape()) || value.dtype() != data.dtype()) {
            throw new org.kmerl.tensor.ShapeException("setData: " + (name == null ? "variable" : name) + " has shape "
                    + java.util.Arrays.toString(data.shape()) + " " + data.dtype() + ", got "
                    + java.util.Arrays.toString(value.shape()) + " " + value.dtype());
        }
        data = value;
    }

    public boolean requiresGrad() {
        return requiresGrad;
    }

    /**
     * Turns gradient tracking of a leaf on or off (PyTorch's {@code requires_grad_}); freezing a
     * parameter this way keeps it out of every graph built afterwards, so nothing upstream of a
     * frozen block is recorded unless something else there needs gradients.
     */
    public Variable requiresGrad(boolean on) {
        if (node != null) {
            throw new IllegalStateException("requiresGrad: only leaves can be frozen or unfrozen, not the output of '"
                    + node.op + "'");
        }
        if (on && data.dtype() != org.kmerl.tensor.DType.FLOAT32) {
            throw new IllegalArgumentException("only float32 tensors can require grad, got " + data.dtype());
        }
        requiresGrad = on;
        if (!on) {
            clearGrad();
        }
        return this;
    }

    public boolean isLeaf() {
        return node == null;
    }

    Node node() {
        return node;
    }

    /** The accumulated gradient (leaves, and non-leaves after {@link #retainGrad()}), or null. */
    public Tensor grad() {
        if (gradIsZero) {
            grad.fill(0f);
            gradIsZero = false;
        }
        return grad;
    }

    /**
     * Sets the accumulated gradient to zero, keeping its buffer. The zeros are written lazily: the
     * next backward overwrites the buffer instead of adding to zeros (one pass instead of a fill and
     * an add, and on a GPU one kernel launch per parameter instead of two); {@link #grad()} fills it
     * only if it is read before then.
     */
    public void zeroGrad() {
        gradIsZero = grad != null;
    }

    /** Drops the accumulated gradient and its buffer. */
    public void clearGrad() {
        gradIsZero = false;
        if (grad != null) {
            grad.close();
            grad = null;
        }
    }

    /** Also keep the gradient of this non-leaf after backward. */
    public Variable retainGrad() {
        retainGrad = true;
        return this;
    }

    boolean retainsGrad() {
        return retainGrad;
    }

    void accumulateGrad(Tensor g) {
        if (grad == null) {
            // Gradients outlive the step that computed them: keep them out of any open scope.
            grad = TensorScope.unscoped(g::copy);
        } else if (gradIsZero) {
            grad.copyFrom(g);
            gradIsZero = false;
        } else {
            grad.addInPlace(g);
        }
    }

    /** Name for error messages and parameter listings. */
    public String name() {
        return name;
    }

    public Variable named(String name) {
        this.name = name;
        return this;
    }

    /** The same value, cut from the graph. */
    public Variable detach() {
        return new Variable(data, false);
    }

    public int[] shape() {
        return data.shape();
    }

    public int dim(int axis) {
        return data.dim(axis);
    }

    public int rank() {
        return data.rank();
    }

    public float item() {
        return data.item();
    }

    // ------------------------------------------------------------------------------------------
    // Backward

    /** Backward from a one-element output with seed 1, freeing the graph afterwards. */
    public void backward() {
        backward(false);
    }

    public void backward(boolean retainGraph) {
        if (data.numel() != 1) {
            throw new IllegalStateException("backward() needs a one-element output, got shape "
                    + java.util.Arrays.toString(data.shape()) + "; pass the output gradient explicitly");
        }
        backward(Tensor.full(1f, data.device(), data.shape()), retainGraph);
    }

    public void backward(Tensor gradOutput, boolean retainGraph) {
        Backprop.run(this, gradOutput, retainGraph);
    }

    // ------------------------------------------------------------------------------------------
    // Elementwise

    public Variable add(Variable o) { return Elementwise.add(this, o); }
    public Variable sub(Variable o) { return Elementwise.sub(this, o); }
    public Variable mul(Variable o) { return Elementwise.mul(this, o); }
    public Variable div(Variable o) { return Elementwise.div(this, o); }
    public Variable pow(Variable o) { return Elementwise.pow(this, o); }
    public Variable add(float s) { return Elementwise.addScalar(this, s); }
    public Variable sub(float s) { return Elementwise.addScalar(this, -s); }
    public Variable mul(float s) { return Elementwise.mulScalar(this, s); }
    public Variable div(float s) { return Elementwise.mulScalar(this, 1f / s); }
    public Variable pow(float p) { return Elementwise.powScalar(this, p); }
    public Variable neg() { return Elementwise.unary(UnaryOp.NEG, this); }
    public Variable exp() { return Elementwise.unary(UnaryOp.EXP, this); }
    public Variable log() { return Elementwise.unary(UnaryOp.LOG, this); }
    public Variable sqrt() { return Elementwise.unary(UnaryOp.SQRT, this); }
    public Variable rsqrt() { return Elementwise.unary(UnaryOp.RSQRT, this); }
    public Variable reciprocal() { return Elementwise.unary(UnaryOp.RECIPROCAL, this); }
    public Variable square() { return Elementwise.unary(UnaryOp.SQUARE, this); }
    public Variable abs() { return Elementwise.unary(UnaryOp.ABS, this); }
    public Variable tanh() { return Elementwise.unary(UnaryOp.TANH, this); }
    public Variable sigmoid() { return Elementwise.unary(UnaryOp.SIGMOID, this); }
    public Variable relu() { return Elementwise.unary(UnaryOp.RELU, this); }
    public Variable gelu() { return Elementwise.unary(UnaryOp.GELU, this); }
    public Variable clamp(float lo, float hi) { return Elementwise.clamp(this, lo, hi); }
    public Variable maskedFill(Tensor mask, float value) { return Elementwise.maskedFill(this, mask, value); }

    /** {@code cond != 0 ? a : b} with broadcasting; the condition carries no gradient. */
    public static Variable where(Tensor cond, Variable a, Variable b) { return Elementwise.where(cond, a, b); }

    // ------------------------------------------------------------------------------------------
    // Reductions

    public Variable sum(int... axes) { return Reductions.sum(this, axes, false); }
    public Variable sum(int[] axes, boolean keepDim) { return Reductions.sum(this, axes, keepDim); }
    public Variable mean(int... axes) { return Reductions.mean(this, axes, false); }
    public Variable mean(int[] axes, boolean keepDim) { return Reductions.mean(this, axes, keepDim); }
    public Variable max(int... axes) { return Reductions.max(this, axes, false); }
    public Variable max(int[] axes, boolean keepDim) { return Reductions.max(this, axes, keepDim); }
    public Variable min(int[] axes, boolean keepDim) { return Reductions.min(this, axes, keepDim); }
    public Variable var(int[] axes, boolean keepDim, int correction) {
        return Reductions.var(this, axes, keepDim, correction);
    }

    // ------------------------------------------------------------------------------------------
    // Products, softmax, indexing

    public Variable matmul(Variable o) { return Products.matmul(this, o); }
    public Variable softmax(int axis) { return Products.softmax(this, axis, false); }
    public Variable logSoftmax(int axis) { return Products.softmax(this, axis, true); }
    public Variable gather(int axis, Tensor index) { return Indexing.gather(this, axis, index); }
    public Variable indexSelect(int axis, Tensor index) { return Indexing.indexSelect(this, axis, index); }
    public Variable scatterAdd(int axis, Tensor index, Variable src) { return Indexing.scatterAdd(this, axis, index, src); }

    // ------------------------------------------------------------------------------------------
    // Shapes (views in the forward pass)

    public Variable reshape(int... shape) { return Shapes.reshape(this, shape); }
    public Variable flatten() { return Shapes.reshape(this, data.numel()); }
    public Variable permute(int... axes) { return Shapes.permute(this, axes); }
    public Variable transpose(int a, int b) { return Shapes.transpose(this, a, b); }
    public Variable narrow(int axis, int start, int length) { return Shapes.narrow(this, axis, start, length); }
    public Variable slice(int axis, int start, int end, int step) { return Shapes.slice(this, axis, start, end, step); }
    public Variable select(int axis, int index) { return Shapes.select(this, axis, index); }
    public Variable expand(int... shape) { return Shapes.expand(this, shape); }
    public Variable squeeze(int axis) { return Shapes.squeeze(this, axis); }
    public Variable unsqueeze(int axis) { return Shapes.unsqueeze(this, axis); }
    public Variable contiguous() { return Shapes.contiguous(this); }

    public static Variable concat(List<Variable> parts, int axis) { return Shapes.concat(parts, axis); }
    public static Variable stack(List<Variable> parts, int axis) { return Shapes.stack(parts, axis); }
    public List<Variable> split(int axis, int... sizes) { return Shapes.split(this, axis, sizes); }

    @Override
    public String toString() {
        return "Variable(" + (name == null ? "" : name + ", ") + data
                + (requiresGrad ? ", requiresGrad" : "") + (node == null ? "" : ", op=" + node.op) + ")";
    }
}
