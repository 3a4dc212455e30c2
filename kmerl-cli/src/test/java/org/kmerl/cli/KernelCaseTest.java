package org.kmerl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.kmerl.kernels.KernelRegistry;
import org.kmerl.tensor.Device;

/** The cases of {@code kmerl kernels bench}, run on the CPU backend (the check path without a GPU). */
class KernelCaseTest {
    private static final Map<String, String> SMALL = Map.of("gemm", "33x17x9", "softmax", "5x70", "layernorm", "5x70",
            "attention", "2x3x17x8", "reduce", "1001", "elementwise", "1001", "copy", "37x300", "index_add", "300x7",
            "clip_loss", "70x24");

    @Test
    void everyOpRunsChecksAndCountsItsWork() {
        KernelRegistry registry = new KernelRegistry();
        SMALL.forEach((op, shape) -> {
            KernelCase kc = KernelCase.of(op, shape);
            assertEquals(0.0, kc.check(Device.CPU), op + ": the CPU against itself");
            assertEquals(0.0, kc.check(Device.CPU, true), op + ": the CPU against itself, at TF32's tolerance");
            assertTrue(kc.flops() > 0 || kc.bytes() > 0, op + " reports GFLOP/s or GB/s");
            assertTrue(!registry.variants(kc.registryOp()).isEmpty(), op + " has CUDA variants to time");
            assertTrue(KernelCase.OPS.contains(op + " "), op + " is listed in the help");
        });
    }

    @Test
    void indexAddScattersEveryRowOnce() {
        KernelCase kc = KernelCase.of("index_add", "300x7");
        var in = kc.inputs(kc.shape(), Device.CPU, new org.kmerl.tensor.Generator(1));
        float total = in[0].sum().item();
        assertEquals(total, kc.run(in).sum().item(), 1e-3, "a permutation keeps the sum");
    }

    @Test
    void unknownOpsAndBadShapesAreNamed() {
        var e = assertThrows(IllegalArgumentException.class, () -> KernelCase.of("conv", null));
        assertTrue(e.getMessage().contains("index_add"), e.getMessage());
        var s = assertThrows(IllegalArgumentException.class, () -> KernelCase.of("copy", "12"));
        assertTrue(s.getMessage().contains("copy takes a shape of 2"), s.getMessage());
    }
}
