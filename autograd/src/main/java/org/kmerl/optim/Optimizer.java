package org.kmerl.optim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.kmerl.autograd.Variable;
import org.kmerl.tensor.Tensor;

/**
 * Updates parameters from their accumulated gradients, group by group. Parameters without a
 * gradient are skipped. The optimizer's state (moments, step count) can be saved and restored
 * exactly through {@link #stateTensors()} / {@link #loadState}.
 */
public abstract class Optimizer {
    private final List<ParamGroup> groups;
    private long steps;

    protected Optimizer(List<ParamGroup> groups) {
        Set<String> seen = new HashSet<>();
        for (ParamGroup g : groups) {
            for (String name : g.params().keySet()) {
                if (!seen.add(name)) {
                    throw new IllegalArgumentException("parameter '" + name + "' is in more than one group");
                }
            }
        }
        this.groups = List.copyOf(groups);
    }

    /** One update of every parameter that has a gradient. */
    public final void step() {
        steps++;
        for (ParamGroup group : groups) {
            Map<String, Variable> withGradients = new LinkedHashMap<>();
            group.params().forEach((name, p) -> {
                if (p.grad() != null) {
                    withGradients.put(name, p);
                }
            });
            update(group, withGradients, steps);
        }
    }

    /**
     * Updates the group's parameters that have a gradient (in the group's order), in place; {@code step}
     * counts from 1. An optimizer with a fused kernel hands them to the backend together, so a GPU
     * updates many parameters per launch.
     */
    protected abstract void update(ParamGroup group, Map<String, Variable> withGradients, long step);

    public final void zeroGrad() {
        for (ParamGroup g : groups) {
            g.params().values().forEach(Variable::zeroGrad);
        }
    }

    /** Sets every group's learning rate to its base rate times {@code factor} (schedules call this). */
    public final void setLrFactor(double factor) {
        for (ParamGroup g : groups) {
            g.setLr(g.baseLr() * factor);
        }
    }

    public final List<ParamGroup> groups() {
        return groups;
    }

    public final long steps() {
        return steps;
    }

    public final List<Variable> parameters() {
        List<Variable> all = new ArrayList<>();
        groups.forEach(g -> all.addAll(g.params().values()));
        return Collections.unmodifiableList(all);
    }

    /** Per-parameter state tensors by key ({@code "<kind>.<parameter name>"}). */
    public abstract Map<String, Tensor> stateTensors();

    /**
     * Restores state saved by {@link #stateTensors()} and {@link #steps()}; the keys must match
     * exactly (the error lists the differences).
     */
    public final void loadState(Map<String, Tensor> tensors, long steps) {
        Map<String, Tensor> own = stateTensors();
        Set<String> missing = new java.util.TreeSet<>(own.keySet());
        missing.removeAll(tensors.keySet());
        Set<String> unexpected = new java.util.TreeSet<>(tensors.keySet());
        unexpected.removeAll(own.keySet());
        if (!missing.isEmpty() || !unexpected.isEmpty()) {
            throw new IllegalArgumentException("optimizer state does not match this optimizer's parameters:"
                    + (missing.isEmpty() ? "" : "\n  missing: " + missing)
                    + (unexpected.isEmpty() ? "" : "\n  unexpected: " + unexpected));
        }
        for (Map.Entry<String, Tensor> e : own.entrySet()) {
            Tensor given = tensors.get(e.getKey());
            if (!java.util.Arrays.equals(given.shape(), e.getValue().shape())) {
                throw new IllegalArgumentException("optimizer state '" + e.getKey() + "' has shape "
                        + java.util.Arrays.toString(given.shape()) + ", expected "
                        + java.util.Arrays.toString(e.getValue().shape()));
            }
        }
        own.forEach((k, t) -> {
            try (Tensor moved = tensors.get(k).to(t.device())) {
                t.copyFrom(moved);
            }
        });
        this.steps = steps;
    }
}
