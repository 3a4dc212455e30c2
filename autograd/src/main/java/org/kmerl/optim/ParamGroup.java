package org.kmerl.optim;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.kmerl.autograd.Variable;

/**
 * Parameters that share a learning rate and weight decay. The base learning rate is what a schedule
 * scales; {@link #lr()} is the rate in effect for the next step.
 */
public final class ParamGroup {
    private final String name;
    private final Map<String, Variable> params;
    private final double baseLr;
    private final double weightDecay;
    private double lr;

    public ParamGroup(String name, Map<String, Variable> params, double lr, double weightDecay) {
        if (lr < 0 || weightDecay < 0) {
            throw new IllegalArgumentException("group '" + name + "': lr and weight decay must be >= 0, got lr=" + lr
                    + ", weightDecay=" + weightDecay);
        }
        this.name = name;
        this.params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        this.baseLr = lr;
        this.lr = lr;
        this.weightDecay = weightDecay;
    }

    public String name() {
        return name;
    }

    public Map<String, Variable> params() {
        return params;
    }

    public double baseLr() {
        return baseLr;
    }

    public double lr() {
        return lr;
    }

    public double weightDecay() {
        return weightDecay;
    }

    void setLr(double lr) {
        this.lr = lr;
    }

    /**
     * The usual split for transformers: matrices (rank >= 2) get weight decay, biases and
     * normalisation scales (rank < 2) do not.
     */
    public static java.util.List<ParamGroup> decayMatricesOnly(Map<String, Variable> params, double lr,
                                                               double weightDecay) {
        Map<String, Variable> decay = new LinkedHashMap<>();
        Map<String, Variable> noDecay = new LinkedHashMap<>();
        params.forEach((n, v) -> (v.rank() >= 2 ? decay : noDecay).put(n, v));
        return java.util.List.of(new ParamGroup("decay", decay, lr, weightDecay),
                new ParamGroup("no_decay", noDecay, lr, 0.0));
    }
}
