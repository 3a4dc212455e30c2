package org.kmerl.tensor.backend;

import org.kmerl.tensor.Device;

/**
 * Service-provider interface for backends outside the {@code tensor} module (the CUDA backend in
 * {@code kernels}). Listed in {@code META-INF/services/org.kmerl.tensor.backend.BackendProvider}.
 */
public interface BackendProvider {
    Device.Kind kind();

    /** Finds out, without side effects beyond loading native libraries, whether the device is usable. */
    Probe probe();

    /** Opens the backend for one device; throws {@link IllegalStateException} with the reason when it cannot. */
    Backend open(int deviceIndex);
}
