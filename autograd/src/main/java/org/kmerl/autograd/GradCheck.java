package org.kmerl.autograd;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.kmerl.tensor.Generator;
import org.kmerl.tensor.Tensor;

/**
 * Checks analytic gradients against central finite differences. The function's output y is reduced
 * to a scalar with fixed random weights w, {@code L = sum(w * y)}; the analytic gradient of L comes
 * from backward, the numeric one from {@code (L(x + h) - L(x - h)) / 2h} per input element. Each
 * difference is formed output by output in double precision, so float32 rounding of large outputs
 * does not swamp it.
 *
 * <p>Inputs may be non-contiguous views; the element perturbed is the view's element. Inputs must
 * not overlap each other in memory, and should keep away from kinks (relu at 0, ties of max) by more
 * than the step.
 */
public final class GradCheck {
    private final double step;
    private final double atol;
    private final double rtol;

    /** One mismatch: which input, which element, the two values. */
    public record Mismatch(int input, int[] index, double analytic, double numeric) {
        @Override
        public String toString() {
            return "input " + input + " element " + java.util.Arrays.toString(index) + ": analytic " + analytic
                    + ", numeric " + numeric;
        }
    }

    public GradCheck(double step, double atol, double rtol) {
        this.step = step;
        this.atol = atol;
        this.rtol = rtol;
    }

    /** Defaults that suit float32 inputs of magnitude about 1. */
    public static GradCheck standard() {
        return new GradCheck(3e-3, 2e-3, 1e-2);
    }

    /** Throws {@link AssertionError} listing the first mismatches; returns the number of elements checked. */
    public int check(String name, Function<Variable[], Variable> f, Tensor... inputs) {
        List<Mismatch> bad = mismatches(f, inputs);
        if (!bad.isEmpty()) {
            StringBuilder sb = new StringBuilder("gradcheck failed for ").append(name).append(": ")
                    .append(bad.size()).append(" mismatches");
            for (int i = 0; i < Math.min(5, bad.size()); i++) {
                sb.append("\n  ").append(bad.get(i));
            }
            throw new AssertionError(sb.toString());
        }
        int n = 0;
        for (Tensor t : inputs) {
            n += t.numel();
        }
        return n;
    }

    public List<Mismatch> mismatches(Function<Variable[], Variable> f, Tensor... inputs) {
        Variable[] vars = new Variable[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            vars[i] = Variable.leaf(inputs[i]);
        }
        Variable y = f.apply(vars);
        float[] weights;
        try (Tensor w = new Generator(1234).normal(0f, 1f, y.data().device(), y.shape())) {
            weights = w.toFloatArray();
            y.mul(Variable.constant(w)).sum().backward();
        }
        List<Mismatch> bad = new ArrayList<>();
        for (int i = 0; i < inputs.length; i++) {
            Tensor x = inputs[i];
            float[] analytic = vars[i].grad() == null ? new float[x.numel()] : vars[i].grad().toFloatArray();
            int[] shape = x.shape();
            int[] index = new int[shape.length];
            for (int e = 0; e < x.numel(); e++) {
                double numeric = numericDerivative(f, inputs, x, index, weights);
                double a = analytic[e];
                if (!(Math.abs(a - numeric) <= atol + rtol * Math.max(Math.abs(a), Math.abs(numeric)))) {
                    bad.add(new Mismatch(i, index.clone(), a, numeric));
                }
                increment(index, shape);
            }
        }
        return bad;
    }

    /**
     * Checks the gradient of a scalar {@code loss} with respect to module parameters: for each
     * parameter, {@code perParameter} elements chosen at random (seeded) are perturbed in place and
     * the central difference of the loss is compared with the gradient from one backward pass. The
     * loss must be deterministic (no dropout, or dropout in eval mode). Throws listing the mismatches.
     *
     * @return the number of elements checked
     */
    public int checkParameters(String name, java.util.function.Supplier<Variable> loss,
                               java.util.Map<String, Variable> parameters, int perParameter, long seed) {
        parameters.values().forEach(Variable::clearGrad);
        loss.get().backward();
        java.util.SplittableRandom rng = new java.util.SplittableRandom(seed);
        List<String> bad = new ArrayList<>();
        int checked = 0;
        for (java.util.Map.Entry<String, Variable> e : parameters.entrySet()) {
            Tensor x = e.getValue().data();
            float[] analytic = e.getValue().grad() == null ? new float[x.numel()] : e.getValue().grad().toFloatArray();
            int[] shape = x.shape();
            for (int k = 0; k < Math.min(perParameter, x.numel()); k++) {
                int flat = rng.nextInt(x.numel());
                int[] index = unravel(flat, shape);
                double numeric;
                try (Tensor element = elementView(x, index)) {
                    float original = element.item();
                    double plus = scalarLoss(loss, element, (float) (original + step));
                    double minus = scalarLoss(loss, element, (float) (original - step));
                    element.fill(original);
                    numeric = (plus - minus) / ((double) (float) (original + step) - (double) (float) (original - step));
                }
                double a = analytic[flat];
                if (!(Math.abs(a - numeric) <= atol + rtol * Math.max(Math.abs(a), Math.abs(numeric)))) {
                    bad.add(e.getKey() + java.util.Arrays.toString(index) + ": analytic " + a + ", numeric " + numeric);
                }
                checked++;
            }
        }
        if (!bad.isEmpty()) {
            throw new AssertionError("gradcheck failed for " + name + ": " + bad.size() + " of " + checked
                    + " mismatches\n  " + String.join("\n  ", bad.subList(0, Math.min(8, bad.size()))));
        }
        return checked;
    }

    private static double scalarLoss(java.util.function.Supplier<Variable> loss, Tensor element, float value) {
        element.fill(value);
        try (GradMode.Scope off = GradMode.disabled()) {
            return loss.get().item();
        }
    }

    private static int[] unravel(int flat, int[] shape) {
        int[] index = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            index[d] = flat % shape[d];
            flat /= shape[d];
        }
        return index;
    }

    private double numericDerivative(Function<Variable[], Variable> f, Tensor[] inputs, Tensor x, int[] index,
                                     float[] weights) {
        try (Tensor element = elementView(x, index)) {
            float original = element.item();
            float[] plus = evaluate(f, inputs, element, (float) (original + step));
            float[] minus = evaluate(f, inputs, element, (float) (original - step));
            element.fill(original);
            double sum = 0;
            for (int k = 0; k < weights.length; k++) {
                sum += weights[k] * ((double) plus[k] - (double) minus[k]);
            }
            // The float steps actually taken, not the nominal ones.
            double h = (double) (float) (original + step) - (double) (float) (original - step);
            return sum / h;
        }
    }

    private static float[] evaluate(Function<Variable[], Variable> f, Tensor[] inputs, Tensor element, float value) {
        element.fill(value);
        Variable[] constants = new Variable[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            constants[i] = Variable.constant(inputs[i]);
        }
        try (GradMode.Scope off = GradMode.disabled()) {
            return f.apply(constants).data().toFloatArray();
        }
    }

    /** A one-element view of x at index, through which the element can be read and written. */
    private static Tensor elementView(Tensor x, int[] index) {
        if (x.rank() == 0) {
            return x.reshape(1);
        }
        Tensor t = x.narrow(0, index[0], 1);
        for (int d = 1; d < index.length; d++) {
            Tensor next = t.narrow(d, index[d], 1);
            t.close();
            t = next;
        }
        return t;
    }

    private static void increment(int[] index, int[] shape) {
        for (int d = shape.length - 1; d >= 0; d--) {
            if (++index[d] < shape[d]) {
                return;
            }
            index[d] = 0;
        }
    }

    @Override
    public String toString() {
        return "GradCheck(step=" + step + ", atol=" + atol + ", rtol=" + rtol + ")";
    }
}
