package org.kmerl.kernels.parity;

import org.junit.jupiter.api.Test;
import org.kmerl.tensor.Generator;
import org.kmerl.tensor.OptimizerOps;
import org.kmerl.tensor.Tensor;
import org.kmerl.tensor.backend.AdamWStep;
import org.kmerl.tensor.testing.TestData;

/** Fused AdamW over several steps, and Philox random fills identical to the CPU's. */
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
