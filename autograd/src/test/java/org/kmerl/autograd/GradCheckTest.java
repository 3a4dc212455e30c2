package org.kmerl.autograd;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.kmerl.tensor.Generator;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.backend.LossReduction;
import org.kmerl.tensor.testing.TestData;

/**
 * Every op of the table checked by central finite differences, with its inputs contiguous and as
 * non-contiguous views (strided and permuted). Inputs are PyTorch's fixture inputs, which keep away
 * from kinks (relu at 0, ties of max) and domain edges (log of 0).
 */
class GradCheckTest {

    static Stream<Arguments> cases() throws IOException {
        List<Arguments> out = new ArrayList<>();
        for (GoldenFixtures.Case c : GoldenFixtures.opCases().values()) {
            out.add(Arguments.of(c.name(), c));
        }
        return out.stream();
    }

    /** The CLIP cases have a temperature of 0.07 whose loss is steep: use a smaller step there. */
    private static GradCheck checkerFor(String name) {
        return name.startsWith("clip") ? new GradCheck(1e-4, 5e-3, 2e-2) : GradCheck.standard();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void finiteDifferencesAgree(String name, GoldenFixtures.Case c) {
        OpCases.Op op = OpCases.ALL.get(name);
        int layouts = 3;
        for (int layout = 0; layout < layouts; layout++) {
            Tensor[] inputs = new Tensor[c.inputs().size()];
            for (int i = 0; i < inputs.length; i++) {
                Tensor x = c.inputs().get(i).copy();
                inputs[i] = switch (layout) {
                    case 0 -> x;
                    case 1 -> TestData.strided(x);
                    default -> TestData.permuted(x);
                };
            }
            checkerFor(name).check(name + " (layout " + layout + ")", x -> op.apply(x, c.consts()), inputs);
        }
    }

    @Test
    void dropoutGradientUsesTheSameMask() {
        // A fresh generator with the same state per call, so both evaluations draw the same mask.
        TestData data = new TestData(3);
        GradCheck.standard().check("dropout",
                x -> Functional.dropout(x[0], 0.4f, new Generator(11), true), data.uniform(-1, 1, 4, 5));
    }

    @Test
    void attentionDropoutGradientRecomputesTheMask() {
        TestData data = new TestData(4);
        GradCheck.standard().check("attention dropout",
                x -> Functional.attention(x[0], x[1], x[2], Tensor.of(new float[] {0, 0, 1, 0}, 1, 4), 0.3f,
                        new Generator(5)),
                data.uniform(-1, 1, 1, 2, 3, 4), data.uniform(-1, 1, 1, 2, 4, 4), data.uniform(-1, 1, 1, 2, 4, 2));
    }

    @Test
    void crossEntropyOverSequencesAndSumReduction() {
        TestData data = new TestData(5);
        Tensor targets = Tensor.ofInts(new int[] {1, 0, 2, 2, -100, 1}, 2, 3);
        GradCheck.standard().check("cross entropy [B, T, C]",
                x -> Functional.crossEntropy(x[0], targets, 0f, Functional.IGNORE_INDEX, LossReduction.SUM),
                data.uniform(-2, 2, 2, 3, 3));
    }

    @Test
    void broadcastInsideCompositeExpressions() {
        TestData data = new TestData(6);
        GradCheck.standard().check("softmax(a*b + c) * d",
                x -> x[0].mul(x[1]).add(x[2]).softmax(-1).mul(x[3]).sum(new int[] {0}, false),
                data.uniform(-1, 1, 3, 1, 4), data.uniform(-1, 1, 5, 1), data.uniform(-1, 1, 4),
                data.uniform(-1, 1, 3, 5, 4));
    }
}
