package org.kmerl.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
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
        // This build has no kernels yet: devices are listed but cannot run tensors.
        assertFalse(PROBE.usable());
    }

    @Test
    void openingTheBackendSaysWhyItCannot() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Backends.get(Device.cuda(0)));
        assertTrue(e.getMessage().contains("no CUDA kernels"), e.getMessage());
    }

    @Test
    void listsDevicesWhenADriverIsPresent() {
        Assumptions.assumeTrue(PROBE.summary().startsWith("CUDA driver found"),
                "no CUDA driver on this machine: " + PROBE.details());
        assertTrue(PROBE.details().stream().anyMatch(d -> d.startsWith("cuda:0 ")), PROBE.details().toString());
    }
}
