package org.kmerl.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.testing.TensorAssert;

/**
 * Forward values and gradients of every differentiable op and fused op against PyTorch (evaluated
 * in float64 by make_golden.py). Tolerance: relative 1e-5 plus an absolute 1e-6 for values that
 * cancel to near zero.
 */
class GoldenTest {
    static final double RTOL = 1e-5;
    static final double ATOL = 1e-6;

    static Stream<Arguments> cases() throws IOException {
        List<Arguments> out = new ArrayList<>();
        for (GoldenFixtures.Case c : GoldenFixtures.opCases().values()) {
            out.add(Arguments.of(c.name(), c));
        }
        return out.stream();
    }

    @Test
    void everyFixtureCaseHasAnOpAndEveryOpAFixture() throws IOException {
        assertEquals(new ArrayList<>(GoldenFixtures.opCases().keySet()), new ArrayList<>(OpCases.ALL.keySet()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesPyTorch(String name, GoldenFixtures.Case c) {
        Variable[] inputs = new Variable[c.inputs().size()];
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = new Variable(c.inputs().get(i).copy(), c.grads().containsKey(i));
        }
        Variable out = OpCases.ALL.get(name).apply(inputs, c.consts());
        TensorAssert.assertClose(c.output(), out.data(), RTOL, ATOL, name + " output");
        out.mul(Variable.constant(c.weights())).sum().backward();
        for (Map.Entry<Integer, Tensor> g : c.grads().entrySet()) {
            Tensor ours = inputs[g.getKey()].grad();
            TensorAssert.assertClose(g.getValue(), ours == null ? Tensor.zerosLike(g.getValue()) : ours, RTOL, ATOL,
                    name + " gradient of input " + g.getKey());
        }
    }

    /** The case inputs, for other tests that reuse PyTorch's well-conditioned values. */
    static Map<String, GoldenFixtures.Case> byName() throws IOException {
        return new LinkedHashMap<>(GoldenFixtures.opCases());
    }
}
