package org.kmerl.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.kmerl.kernels.runtime.PtxLibrary;
import org.kmerl.tensor.Backends;
import org.kmerl.tensor.Device;
import org.kmerl.tensor.backend.Probe;

class CudaBackendProviderTest {
    private static final Probe PROBE = new CudaBackendProvider().probe();

    @Test
    void isFoundThroughTheServiceLoader() {
        assertEquals(1, Backends.providers().size());
        assertEquals(Device.Kind.CUDA, Backends.providers().get(0).kind());
    }

    @Test
    void probingNeverThrowsAndExplainsItself() {
        assertFalse(PROBE.summary().isBlank());
        assertFalse(PROBE.details().isEmpty());
    }

    @Test
    void theBuildCarriesPtxWhenNvccIsPresent() {
        Assumptions.assumeTrue(new java.io.File("/usr/local/cuda/bin/nvcc").canExecute() || System.getenv("CUDA_HOME") != null,
                "nvcc is not installed here, so this build has no PTX");
        assertNull(PtxLibrary.missingReason());
        assertTrue(PtxLibrary.ptxSource("gemm").contains(".entry kmerl_gemm_v4_vectorized"));
    }

    @Test
    void withoutADriverOpeningTheBackendSaysWhy() {
        Assumptions.assumeFalse(PROBE.usable(), "a CUDA device is usable here");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Backends.get(Device.cuda(0)));
        assertTrue(e.getMessage().contains("cannot run tensors"), e.getMessage());
    }

    @Test
    void listsDevicesWhenADriverIsPresent() {
        Assumptions.assumeTrue(PROBE.summary().startsWith("CUDA driver found"),
                "no CUDA driver on this machine: " + PROBE.details());
        assertTrue(PROBE.details().stream().anyMatch(d -> d.startsWith("cuda:0 ")), PROBE.details().toString());
    }
}
