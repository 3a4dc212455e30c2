package org.kmerl.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.kmerl.autograd.Variable;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.io.SafeTensors;
import org.kmerl.tensor.testing.TensorAssert;
import org.kmerl.testing.Golden;

/** Optimizer steps against torch.optim trajectories (make_golden.py), schedules and clipping. */
class OptimizerTest {

    private static void followsTorch(String name, Function<Map<String, Variable>, Optimizer> make) throws IOException {
        SafeTensors.Content golden = Golden.load("optimizers.safetensors");
        Variable p = Variable.leaf(golden.tensors().get("param").copy());
        Optimizer opt = make.apply(Map.of("p", p));
        for (int i = 0; i < 3; i++) {
            p.clearGrad();
            // The gradient comes from the fixture: seed the leaf with it directly.
            p.backward(golden.tensors().get("grad" + i).copy(), false);
            opt.step();
            TensorAssert.assertClose(golden.tensors().get(name + ".step" + (i + 1)), p.data(), 1e-5, 1e-6,
                    name + " step " + (i + 1));
        }
    }

    @Test
    void adamwMatchesTorch() throws IOException {
        followsTorch("adamw", params -> AdamW.of(params, 0.01, 0.1));
    }

    @Test
    void sgdWithMomentumAndNesterovMatchTorch() throws IOException {
        followsTorch("sgd_momentum", params -> new Sgd(List.of(new ParamGroup("all", params, 0.1, 0.01)), 0.9f, false));
        followsTorch("sgd_nesterov", params -> new Sgd(List.of(new ParamGroup("all", params, 0.1, 0.0)), 0.9f, true));
    }

    @Test
    void groupsHaveTheirOwnSettings() {
        Variable matrix = Variable.leaf(Tensor.ones(2, 2));
        Variable bias = Variable.leaf(Tensor.ones(2));
        List<ParamGroup> groups = ParamGroup.decayMatricesOnly(Map.of("w", matrix, "b", bias), 0.1, 0.5);
        AdamW opt = new AdamW(groups, 0.9f, 0.999f, 1e-8f);
        // Zero gradients: only weight decay moves parameters.
        matrix.backward(Tensor.zeros(2, 2), false);
        bias.backward(Tensor.zeros(2), false);
        opt.step();
        assertEquals(1f - 0.1f * 0.5f, matrix.data().get(0, 0), 1e-7);
        assertEquals(1f, bias.data().get(0));
        assertThrows(IllegalArgumentException.class, () -> new AdamW(List.of(
                new ParamGroup("a", Map.of("w", matrix), 0.1, 0), new ParamGroup("b", Map.of("w", matrix), 0.1, 0)),
                0.9f, 0.999f, 1e-8f));
    }

    @Test
    void warmupCosineSchedule() {
        LrSchedule s = LrSchedule.warmupCosine(10, 110, 0.1);
        assertEquals(0.1, s.factor(0), 1e-12);
        assertEquals(1.0, s.factor(9), 1e-12);
        assertEquals(1.0, s.factor(10), 1e-12);
        assertEquals(0.55, s.factor(60), 1e-12);
        assertEquals(0.1, s.factor(110), 1e-12);
        assertEquals(0.1, s.factor(1000), 1e-12);
        Variable w = Variable.leaf(Tensor.ones(1));
        AdamW opt = AdamW.of(Map.of("w", w), 0.5, 0);
        opt.setLrFactor(s.factor(60));
        assertEquals(0.275, opt.groups().get(0).lr(), 1e-12);
    }

    @Test
    void clipGradNormScalesAllGradientsTogether() {
        Variable a = Variable.leaf(Tensor.zeros(2));
        Variable b = Variable.leaf(Tensor.zeros(1));
        a.backward(Tensor.of(new float[] {3f, 0f}), false);
        b.backward(Tensor.of(new float[] {4f}), false);
        Tensor norm = GradClip.clipGradNorm(List.of(a, b), 1f);
        assertEquals(5f, norm.item(), 1e-6);
        TensorAssert.assertClose(new float[] {0.6f, 0f}, a.grad(), 1e-5, 0, "a");
        TensorAssert.assertClose(new float[] {0.8f}, b.grad(), 1e-5, 0, "b");
        GradClip.clipGradNorm(List.of(a, b), 10f);
        TensorAssert.assertClose(new float[] {0.8f}, b.grad(), 1e-5, 0, "below the limit nothing changes");
    }
}
