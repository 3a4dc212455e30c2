package org.kmerl.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.kmerl.autograd.Variable;
import org.kmerl.tensor.Device;
import org.kmerl.tensor.Generator;
import org.kmerl.tensor.Shape;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.TensorScope;

/**
 * Base of all layers: named parameters, buffers and sub-modules registered in construction order,
 * train/eval mode, and state dicts with dotted names ({@code "layers.0.attention.q.weight"}).
 * Forward methods are defined by each layer with the arguments it needs.
 */
public abstract class Module {
    private final Map<String, Variable> parameters = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private final Map<String, Generator> generators = new LinkedHashMap<>();
    private boolean training = true;

    /** Registers a trainable leaf; the tensor is kept out of any open {@link TensorScope}. */
    protected final Variable registerParameter(String name, Tensor value) {
        checkName(name);
        Variable v = Variable.leaf(value).named(name);
        parameters.put(name, v);
        return v;
    }

    /** Registers non-trainable state that is saved in the state dict. */
    protected final Tensor registerBuffer(String name, Tensor value) {
        checkName(name);
        buffers.put(name, value);
        return value;
    }

    /**
     * Registers a random generator the module draws from during training (dropout masks), so that
     * checkpoints can save and restore its position for an exact resume.
     */
    protected final Generator registerGenerator(String name, Generator generator) {
        checkName(name);
        generators.put(name, generator);
        return generator;
    }

    /** The current tensor of a buffer (read it through here: {@link #to} replaces buffer tensors). */
    protected final Tensor buffer(String name) {
        Tensor t = buffers.get(name);
        if (t == null) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " has no buffer '" + name + "'");
        }
        return t;
    }

    protected final <M extends Module> M registerModule(String name, M module) {
        checkName(name);
        children.put(name, module);
        return module;
    }

    private void checkName(String name) {
        if (name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException("module member names must be non-empty without dots: '" + name + "'");
        }
        if (parameters.containsKey(name) || buffers.containsKey(name) || children.containsKey(name)
                || generators.containsKey(name)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " already has a member named '" + name + "'");
        }
    }

    /** Creates a module's tensors outside any open scope (parameters live as long as the module). */
    protected static Tensor persistent(java.util.function.Supplier<Tensor> init) {
        return TensorScope.unscoped(init);
    }

    // ------------------------------------------------------------------------------------------

    /** All parameters with their dotted names, in registration order, sub-modules depth first. */
    public final Map<String, Variable> namedParameters() {
        Map<String, Variable> out = new LinkedHashMap<>();
        collectParameters("", out);
        return Collections.unmodifiableMap(out);
    }

    private void collectParameters(String prefix, Map<String, Variable> out) {
        parameters.forEach((n, v) -> out.put(prefix + n, v));
        children.forEach((n, m) -> m.collectParameters(prefix + n + ".", out));
    }

    /** Every registered generator with its dotted name (sub-modules depth first). */
    public final Map<String, Generator> namedGenerators() {
        Map<String, Generator> out = new LinkedHashMap<>();
        collectGenerators("", out);
        return Collections.unmodifiableMap(out);
    }

    private void collectGenerators(String prefix, Map<String, Generator> out) {
        generators.forEach((n, g) -> out.put(prefix + n, g));
        children.forEach((n, m) -> m.collectGenerators(prefix + n + ".", out));
    }

    public final List<Variable> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** The parameters that currently require gradients (what an optimizer should be given). */
    public final List<Variable> trainableParameters() {
        return parameters().stream().filter(Variable::requiresGrad).toList();
    }

    /** Freezes ({@code false}) or unfreezes every parameter here and below; returns this module. */
    public Module requiresGrad(boolean on) {
        namedParameters().values().forEach(p -> p.requiresGrad(on));
        return this;
    }

    public final long parameterCount() {
        long n = 0;
        for (Variable v : namedParameters().values()) {
            n += v.data().numel();
        }
        return n;
    }

    public final Map<String, Module> children() {
        return Collections.unmodifiableMap(children);
    }

    /** Parameters and buffers by dotted name. The tensors are the live ones, not copies. */
    public final Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collectState("", out);
        return out;
    }

    private void collectState(String prefix, Map<String, Tensor> out) {
        parameters.forEach((n, v) -> out.put(prefix + n, v.data()));
        buffers.forEach((n, t) -> out.put(prefix + n, t));
        children.forEach((n, m) -> m.collectState(prefix + n + ".", out));
    }

    /**
     * Copies values into the parameters and buffers. With {@code strict}, the key sets must match
     * exactly; either way every shape must match. The error lists every missing, unexpected and
     * mis-shaped key at once, and nothing is modified unless all checks pass.
     */
    public final void loadStateDict(Map<String, Tensor> state, boolean strict) {
        Map<String, Tensor> own = stateDict();
        TreeSet<String> missing = new TreeSet<>();
        TreeSet<String> unexpected = new TreeSet<>(state.keySet());
        unexpected.removeAll(own.keySet());
        List<String> misShaped = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : own.entrySet()) {
            Tensor given = state.get(e.getKey());
            if (given == null) {
                missing.add(e.getKey());
            } else if (!Arrays.equals(given.shape(), e.getValue().shape()) || given.dtype() != e.getValue().dtype()) {
                misShaped.add(e.getKey() + ": expected " + Shape.format(e.getValue().shape()) + " "
                        + e.getValue().dtype() + ", got " + Shape.format(given.shape()) + " " + given.dtype());
            }
        }
        boolean fail = !misShaped.isEmpty() || (strict && (!missing.isEmpty() || !unexpected.isEmpty()));
        if (fail) {
            StringBuilder sb = new StringBuilder("cannot load state dict into ").append(getClass().getSimpleName());
            if (!missing.isEmpty() && strict) {
                sb.append("\n  missing keys: ").append(missing);
            }
            if (!unexpected.isEmpty() && strict) {
                sb.append("\n  unexpected keys: ").append(unexpected);
            }
            if (!misShaped.isEmpty()) {
                sb.append("\n  mis-shaped keys: ").append(misShaped);
            }
            throw new IllegalArgumentException(sb.toString());
        }
        for (Map.Entry<String, Tensor> e : own.entrySet()) {
            Tensor given = state.get(e.getKey());
            if (given != null) {
                try (Tensor moved = given.to(e.getValue().device())) {
                    e.getValue().copyFrom(moved);
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------

    /** Sets training mode here and in every sub-module (dropout is active only in training). */
    public Module train(boolean on) {
        training = on;
        children.values().forEach(m -> m.train(on));
        return this;
    }

    public Module eval() {
        return train(false);
    }

    public final boolean isTraining() {
        return training;
    }

    /** Moves every parameter and buffer to {@code device}, in place. */
    public Module to(Device device) {
        for (Variable v : parameters.values()) {
            if (!v.data().device().equals(device)) {
                Tensor old = v.data();
                v.setData(TensorScope.unscoped(() -> old.to(device)));
                old.close();
            }
        }
        for (Map.Entry<String, Tensor> e : buffers.entrySet()) {
            if (!e.getValue().device().equals(device)) {
                Tensor old = e.getValue();
                e.setValue(TensorScope.unscoped(() -> old.to(device)));
                old.close();
            }
        }
        children.values().forEach(m -> m.to(device));
        return this;
    }

    /** Parameter counts per top-level child, for summaries. */
    @Override
    public String toString() {
        return getClass().getSimpleName() + "(" + parameterCount() + " parameters)";
    }
}
