package org.kmerl.optim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kmerl.autograd.Variable;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.TensorScope;

/**
 * Stochastic gradient descent with momentum, as {@code torch.optim.SGD} (dampening 0):
 * {@code g = grad + wd*p;  buf = momentum*buf + g  (buf = g at the first step);
 * p -= lr * (nesterov ? g + momentum*buf : buf)}.
 */
public final class Sgd extends Optimizer {
    private final float momentum;
    private final boolean nesterov;
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();

    public Sgd(List<ParamGroup> groups, float momentum, boolean nesterov) {
        super(groups);
        if (momentum < 0 || (nesterov && momentum == 0)) {
            throw new IllegalArgumentException("SGD: momentum must be >= 0 (and > 0 with Nesterov), got " + momentum);
        }
        this.momentum = momentum;
        this.nesterov = nesterov;
        if (momentum > 0) {
            for (ParamGroup g : groups) {
                g.params().forEach((name, p) -> buffers.put(name, TensorScope.unscoped(() -> Tensor.zerosLike(p.data()))));
            }
        }
    }

    public static Sgd of(Map<String, Variable> params, double lr, float momentum) {
        return new Sgd(List.of(new ParamGroup("all", params, lr, 0.0)), momentum, false);
    }

    @Override
    protected void update(ParamGroup group, Map<String, Variable> withGradients, long step) {
        withGradients.forEach((name, param) -> update(group, name, param, step));
    }

    private void update(ParamGroup group, String name, Variable param, long step) {
        Tensor p = param.data();
        try (TensorScope scope = TensorScope.open()) {
            Tensor g = group.weightDecay() == 0 ? param.grad() : param.grad().add(p.mul((float) group.weightDecay()));
            Tensor direction = g;
            if (momentum > 0) {
                Tensor buf = buffers.get(name);
                if (step == 1) {
                    buf.copyFrom(g);
                } else {
                    buf.mulInPlace(momentum).addInPlace(g);
                }
                direction = nesterov ? g.add(buf.mul(momentum)) : buf;
            }
            p.addInPlace(direction.mul((float) -group.lr()));
        }
    }

    @Override
    public Map<String, Tensor> stateTensors() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        buffers.forEach((n, t) -> out.put("momentum_buffer." + n, t));
        return out;
    }
}
