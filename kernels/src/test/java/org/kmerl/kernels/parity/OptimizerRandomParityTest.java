package org.kmerl.kernels.parity;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kmerl.tensor.Generator;
import org.kmerl.tensor.OptimizerOps;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.backend.AdamWStep;
import org.kmerl.tensor.backend.OptimizerKernels.AdamWOperands;
import org.kmerl.tensor.testing.TestData;

/** Fused AdamW over several steps (one parameter, and many at once in every variant), and Philox random fills identical to the CPU's. */
class OptimizerRandomParityTest {

    @Test
    void adamwTrajectory() {
        Gpu.backend();
        TestData data = new TestData(17);
        Tensor p = data.normal(1001);
        Tensor m = Tensor.zeros(1001);
        Tensor v = Tensor.zeros(1001);
        Tensor gp = Gpu.on(p);
        Tensor gm = Gpu.on(m);
        Tensor gv = Gpu.on(v);
        for (int step = 1; step <= 5; step++) {
            Tensor g = data.normal(1001);
            AdamWStep s = new AdamWStep(1e-2f, 0.9f, 0.999f, 1e-8f, 0.05f, step);
            OptimizerOps.adamw(p, g, m, v, s);
            OptimizerOps.adamw(gp, Gpu.on(g), gm, gv, s);
        }
        Gpu.assertClose(p, gp, 1e-5, 1e-6, "params");
        Gpu.assertClose(m, gm, 1e-5, 1e-7, "first moments");
        Gpu.assertClose(v, gv, 1e-5, 1e-9, "second moments");
    }

    /** 40 parameters of mixed sizes (two v2 launches, one of them partly full) updated together, every variant. */
    @Test
    void adamwManyParametersAtOnce() {
        Gpu.forEachVariant("adamw", variant -> {
            TestData data = new TestData(18);
            int count = 40;
            Tensor[][] cpu = new Tensor[3][count];   // p, m, v
            Tensor[][] gpu = new Tensor[3][count];
            for (int k = 0; k < count; k++) {
                int n = k % 5 == 0 ? 70_001 + k : 1 + data.random().nextInt(3000);
                cpu[0][k] = data.normal(n);
                cpu[1][k] = Tensor.zeros(n);
                cpu[2][k] = Tensor.zeros(n);
                for (int s = 0; s < 3; s++) {
                    gpu[s][k] = Gpu.on(cpu[s][k]);
                }
            }
            for (int step = 1; step <= 3; step++) {
                AdamWStep s = new AdamWStep(1e-2f, 0.9f, 0.999f, 1e-8f, 0.05f, step);
                List<AdamWOperands> onCpu = new ArrayList<>();
                List<AdamWOperands> onGpu = new ArrayList<>();
                for (int k = 0; k < count; k++) {
                    Tensor g = data.normal(cpu[0][k].numel());
                    onCpu.add(new AdamWOperands(cpu[0][k], g, cpu[1][k], cpu[2][k]));
                    onGpu.add(new AdamWOperands(gpu[0][k], Gpu.on(g), gpu[1][k], gpu[2][k]));
                }
                OptimizerOps.adamw(onCpu, s);
                OptimizerOps.adamw(onGpu, s);
            }
            for (int k = 0; k < count; k++) {
                String what = variant + " parameter " + k + " of " + cpu[0][k].numel();
                Gpu.assertClose(cpu[0][k], gpu[0][k], 1e-5, 1e-6, what + " params");
                Gpu.assertClose(cpu[1][k], gpu[1][k], 1e-5, 1e-7, what + " first moments");
                Gpu.assertClose(cpu[2][k], gpu[2][k], 1e-5, 1e-9, what + " second moments");
            }
        });
    }

    /** The two passes of gradient clipping over 40 gradients (and with one of them strided), every variant. */
    @Test
    void clippingPassesOverManyGradients() {
        Gpu.forEachVariant("clip", variant -> {
            TestData data = new TestData(19);
            for (boolean strided : new boolean[] {false, true}) {
                List<Tensor> cpu = new ArrayList<>();
                List<Tensor> gpu = new ArrayList<>();
                for (int k = 0; k < 40; k++) {
                    Tensor g = k % 7 == 0 ? data.normal(300, 257) : data.normal(1 + data.random().nextInt(2000));
                    cpu.add(g);
                    gpu.add(strided && k == 3 ? Gpu.strided(Gpu.on(g)) : Gpu.on(g));
                }
                String what = variant + (strided ? " with a strided gradient" : "");
                Tensor expected = OptimizerOps.sumOfSquares(cpu);
                Gpu.assertClose(expected, OptimizerOps.sumOfSquares(gpu), 1e-5, 0, what + " sum of squares");
                Tensor factor = Tensor.scalar(0.37f);
                OptimizerOps.scaleInPlace(cpu, factor);
                OptimizerOps.scaleInPlace(gpu, Gpu.on(factor));
                for (int k = 0; k < cpu.size(); k++) {
                    Gpu.assertClose(cpu.get(k), gpu.get(k), 1e-6, 0, what + " scaled gradient " + k);
                }
            }
        });
    }

    @Test
    void randomFillsMatchTheCpu() {
        Gpu.backend();
        for (int n : new int[] {1, 7, 4099}) {
            Generator cpu = new Generator(123);
            Generator gpu = new Generator(123);
            cpu.uniform(0, 1, 3);   // start both streams at an offset that is not a block boundary
            gpu.uniform(0, 1, 3);
            Gpu.assertClose(cpu.uniform(-2, 5, n), gpu.uniform(-2, 5, Gpu.DEVICE, n), 0, 0, "uniform n=" + n);
            Gpu.assertClose(cpu.normal(1, 2, n), gpu.normal(1, 2, Gpu.DEVICE, n), 1e-6, 1e-6, "normal n=" + n);
            Gpu.assertClose(cpu.truncatedNormal(0, 1, -2, 2, n), gpu.truncatedNormal(0, 1, -2, 2, Gpu.DEVICE, n), 1e-6, 1e-6,
                    "truncated normal n=" + n);
        }
    }
}
